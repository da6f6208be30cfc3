import { describe, expect, it } from "vitest";
import { rebookChoice, rebookWindow, sameTimeNextWeek } from ".";

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe("the same time next week", () => {
  it("is a week after the last session when that is still ahead", () => {
    expect(iso(sameTimeNextWeek(at("2026-12-01T15:00:00Z"), "UTC", at("2026-12-03T10:00:00Z")))).toBe("2026-12-08T15:00:00.000Z");
  });

  it("is the first such time still ahead when the last session was weeks ago", () => {
    expect(iso(sameTimeNextWeek(at("2026-11-03T15:00:00Z"), "UTC", at("2026-12-03T10:00:00Z")))).toBe("2026-12-08T15:00:00.000Z");
    // Exactly at the start of one week's time: that one is gone, the next is offered.
    expect(iso(sameTimeNextWeek(at("2026-11-03T15:00:00Z"), "UTC", at("2026-12-01T15:00:00Z")))).toBe("2026-12-08T15:00:00.000Z");
  });

  it("keeps the tutor's wall-clock time across their DST change (09:00 New York before and after November 1)", () => {
    // Wednesday October 28 2026, 09:00 EDT = 13:00Z; after the change 09:00 EST = 14:00Z.
    expect(iso(sameTimeNextWeek(at("2026-10-28T13:00:00Z"), "America/New_York", at("2026-10-29T00:00:00Z")))).toBe("2026-11-04T14:00:00.000Z");
    expect(iso(sameTimeNextWeek(at("2026-10-28T13:00:00Z"), "America/New_York", at("2026-12-03T00:00:00Z")))).toBe("2026-12-09T14:00:00.000Z");
    // And across the March change back: 09:00 EST = 14:00Z, then 09:00 EDT = 13:00Z.
    expect(iso(sameTimeNextWeek(at("2027-03-10T14:00:00Z"), "America/New_York", at("2027-03-11T00:00:00Z")))).toBe("2027-03-17T13:00:00.000Z");
  });

  it("is the first 01:30 of the night London's clocks go back, as the tutor's slots offer it, after a lesson in winter time", () => {
    // Last lesson Sunday 21 March 2027 01:30 GMT; on 31 October 01:30 comes twice: 00:30Z (BST), then 01:30Z (GMT).
    expect(iso(sameTimeNextWeek(at("2027-03-21T01:30:00Z"), "Europe/London", at("2027-10-27T12:00:00Z")))).toBe("2027-10-31T00:30:00.000Z");
  });
});

describe("choosing what to offer", () => {
  const slot = (s: string) => ({ start: s, end: iso(at(s) + 3_600_000) });
  const slots = ["2026-12-07T09:00:00.000Z", "2026-12-08T13:00:00.000Z", "2026-12-08T17:00:00.000Z", "2026-12-10T15:00:00.000Z"].map(slot);

  it("says the time is free when it is among the free slots", () => {
    expect(rebookChoice([...slots, slot("2026-12-08T15:00:00.000Z")], at("2026-12-08T15:00:00Z"))).toEqual({ free: true, alternatives: [] });
  });

  it("offers the nearest free slots, in time order, when it is taken", () => {
    const choice = rebookChoice(slots, at("2026-12-08T15:00:00Z"));
    expect(choice.free).toBe(false);
    expect(choice.alternatives.map((s) => s.start)).toEqual(["2026-12-07T09:00:00.000Z", "2026-12-08T13:00:00.000Z", "2026-12-08T17:00:00.000Z"]);
  });

  it("looks from now over two weeks, and at least three days past the target", () => {
    const now = at("2026-12-03T00:00:00Z");
    expect(rebookWindow(at("2026-12-08T15:00:00Z"), now)).toEqual({ from: now, to: now + 14 * 86_400_000 });
    expect(rebookWindow(at("2026-12-30T15:00:00Z"), now).to).toBe(at("2027-01-02T15:00:00Z"));
  });
});
