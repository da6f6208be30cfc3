import { describe, expect, it } from "vitest";
import { joinWindow, windowPhase } from "./window";

const session = { start: Date.parse("2027-03-01T09:00:00Z"), end: Date.parse("2027-03-01T10:00:00Z") };

describe("joinWindow", () => {
  it("opens 10 minutes before the start and closes 10 minutes after the end", () => {
    const w = joinWindow(session);
    expect(new Date(w.opensAt).toISOString()).toBe("2027-03-01T08:50:00.000Z");
    expect(new Date(w.closesAt).toISOString()).toBe("2027-03-01T10:10:00.000Z");
  });
});

describe("windowPhase", () => {
  it.each([
    ["2027-03-01T08:49:59.999Z", "before"],
    ["2027-03-01T08:50:00.000Z", "open"],
    ["2027-03-01T09:30:00.000Z", "open"],
    ["2027-03-01T10:10:00.000Z", "open"],
    ["2027-03-01T10:10:00.001Z", "after"],
  ] as const)("at %s the room is %s", (now, phase) => {
    expect(windowPhase(session, Date.parse(now))).toBe(phase);
  });
});
