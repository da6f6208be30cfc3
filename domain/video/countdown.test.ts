import { describe, expect, it } from "vitest";
import { clock, countdown } from "./countdown";

const session = { start: Date.parse("2027-03-01T09:00:00Z"), end: Date.parse("2027-03-01T10:30:00Z") };

describe("clock", () => {
  it.each([
    [0, "0:00"],
    [59_999, "0:59"],
    [61_000, "1:01"],
    [3_600_000, "1:00:00"],
    [5_430_000, "1:30:30"],
    [-5_000, "0:00"],
  ])("shows %i ms as %s", (ms, text) => {
    expect(clock(ms)).toBe(text);
  });
});

describe("countdown", () => {
  it.each([
    ["2027-03-01T08:55:30Z", "before", "Starts in 4:30"],
    ["2027-03-01T09:00:00Z", "during", "1:30:00 left"],
    ["2027-03-01T10:29:01Z", "during", "0:59 left"],
    ["2027-03-01T10:30:00Z", "overtime", "Over by 0:00"],
    ["2027-03-01T10:33:20Z", "overtime", "Over by 3:20"],
  ] as const)("at %s is %s: %s", (now, phase, label) => {
    expect(countdown(session, Date.parse(now))).toMatchObject({ phase, label });
  });

  it("says how long the room stays open in overtime", () => {
    expect(countdown(session, Date.parse("2027-03-01T10:33:00Z"))).toMatchObject({ closesInMs: 7 * 60_000 });
  });
});
