import { describe, expect, it } from "vitest";
import { chargeAt, localShifts, movedWeekStart, nextChargeTry, releaseAt, weeklyStarts } from ".";

const iso = (ms: number) => new Date(ms).toISOString();

describe("weeklyStarts", () => {
  it("keeps 09:00 in New York across the November DST change (the UTC instant moves)", () => {
    const starts = weeklyStarts(Date.parse("2026-10-26T13:00:00Z"), "America/New_York", 3).map(iso);
    expect(starts).toEqual(["2026-10-26T13:00:00.000Z", "2026-11-02T14:00:00.000Z", "2026-11-09T14:00:00.000Z"]);
  });

  it("keeps 18:00 in Berlin across the March change", () => {
    const starts = weeklyStarts(Date.parse("2027-03-22T17:00:00Z"), "Europe/Berlin", 2).map(iso);
    expect(starts).toEqual(["2027-03-22T17:00:00.000Z", "2027-03-29T16:00:00.000Z"]);
  });

  it("places a week in the hour the clocks repeat on its first pass, as the slots offer it, whatever the first week's offset", () => {
    // Sundays 01:30 London from 3 January 2027 (GMT): on 31 October 01:30 comes at 00:30Z (BST), then at 01:30Z (GMT).
    const winter = weeklyStarts(Date.parse("2027-01-03T01:30:00Z"), "Europe/London", 45).map(iso);
    expect(winter.slice(-2)).toEqual(["2027-10-31T00:30:00.000Z", "2027-11-07T01:30:00.000Z"]);
    // Begun in summer time (24 October, BST), the same.
    expect(weeklyStarts(Date.parse("2027-10-24T00:30:00Z"), "Europe/London", 2).map(iso)).toEqual(["2027-10-24T00:30:00.000Z", "2027-10-31T00:30:00.000Z"]);
    // New York, Sundays 01:30 from 10 January 2027 (EST), reaching 7 November (01:30 EDT = 05:30Z, then EST 06:30Z).
    expect(weeklyStarts(Date.parse("2027-01-10T06:30:00Z"), "America/New_York", 44).at(-1)).toBe(Date.parse("2027-11-07T05:30:00Z"));
  });

  it("gives exactly one start for one week, and 52 for a year", () => {
    expect(weeklyStarts(Date.parse("2026-12-07T10:00:00Z"), "UTC", 1)).toHaveLength(1);
    const year = weeklyStarts(Date.parse("2026-12-07T10:00:00Z"), "UTC", 52);
    expect(year).toHaveLength(52);
    expect(iso(year[51]!)).toBe("2027-11-29T10:00:00.000Z");
  });
});

describe("movedWeekStart", () => {
  it("moves Mondays 09:00 New York to Thursdays 18:00, still 18:00 after the March change", () => {
    const zone = "America/New_York";
    // Mon March 8 2027 09:00 EST → Thu March 11 18:00 EST; Mon March 15 09:00 EDT → Thu March 18 18:00 EDT.
    const from = Date.parse("2027-03-08T14:00:00Z");
    const to = Date.parse("2027-03-11T23:00:00Z");
    expect(iso(movedWeekStart(from, from, to, zone))).toBe("2027-03-11T23:00:00.000Z");
    expect(iso(movedWeekStart(Date.parse("2027-03-15T13:00:00Z"), from, to, zone))).toBe("2027-03-18T22:00:00.000Z");
  });

  it("moves the first week to the very instant asked for, also the second pass of a fall-back's repeated hour", () => {
    const zone = "Australia/Sydney";
    // Sun 4 April 2027, 03:00 AEDT → 02:00 AEST: 02:30 happens twice; the second (AEST) is 2027-04-03T16:30Z.
    const from = Date.parse("2027-04-04T00:00:00Z"); // Sun 10:00 AEST
    const to = Date.parse("2027-04-03T16:30:00Z");
    expect(iso(movedWeekStart(from, from, to, zone))).toBe("2027-04-03T16:30:00.000Z");
  });

  it("moves a week to an earlier day (Thursday to Monday of the same week)", () => {
    const from = Date.parse("2027-01-14T10:00:00Z");
    const to = Date.parse("2027-01-11T08:30:00Z");
    expect(iso(movedWeekStart(Date.parse("2027-01-21T10:00:00Z"), from, to, "UTC"))).toBe("2027-01-18T08:30:00.000Z");
  });
});

describe("localShifts", () => {
  it("flags the weeks a Tokyo student sees an hour later when New York falls back", () => {
    const starts = weeklyStarts(Date.parse("2026-10-26T13:00:00Z"), "America/New_York", 3).map(iso);
    expect(localShifts(starts, "Asia/Tokyo")).toEqual([
      { start: "2026-11-02T14:00:00.000Z", localTime: "23:00", usualTime: "22:00" },
      { start: "2026-11-09T14:00:00.000Z", localTime: "23:00", usualTime: "22:00" },
    ]);
  });

  it("flags nothing for a viewer in the tutor's zone, or one whose clocks change the same day", () => {
    const starts = weeklyStarts(Date.parse("2026-10-26T13:00:00Z"), "America/New_York", 3).map(iso);
    expect(localShifts(starts, "America/New_York")).toEqual([]);
    expect(localShifts(starts, "America/Chicago")).toEqual([]);
  });

  it("flags no clock change for a week moved by hand, and measures from the week that says the series' time", () => {
    // Mexico City (no clock changes) sees a Mexico City tutor's Tuesdays 11:00; the third week was moved to Thursday 12:00.
    const starts = ["2026-12-08T17:00:00.000Z", "2026-12-15T17:00:00.000Z", "2026-12-24T18:00:00.000Z", "2026-12-29T17:00:00.000Z"];
    expect(localShifts(starts, "America/Mexico_City", { tutorZone: "America/Mexico_City" })).toEqual([]);
    // The DST weeks are still flagged with the tutor's zone given, measured from the week named as the usual one.
    const ny = weeklyStarts(Date.parse("2026-10-26T13:00:00Z"), "America/New_York", 3).map(iso);
    expect(localShifts(ny, "Asia/Tokyo", { tutorZone: "America/New_York", reference: ny[2] })).toEqual([{ start: ny[0], localTime: "22:00", usualTime: "23:00" }]);
  });
});

describe("charge timing", () => {
  const start = Date.parse("2026-12-20T10:00:00Z");
  it("charges 7 days before and releases 24 hours before", () => {
    expect(iso(chargeAt(start))).toBe("2026-12-13T10:00:00.000Z");
    expect(iso(releaseAt(start))).toBe("2026-12-19T10:00:00.000Z");
  });
  it("retries every 6 hours, never after the release", () => {
    expect(iso(nextChargeTry(start, Date.parse("2026-12-13T10:00:00Z")))).toBe("2026-12-13T16:00:00.000Z");
    expect(iso(nextChargeTry(start, Date.parse("2026-12-19T07:00:00Z")))).toBe("2026-12-19T10:00:00.000Z");
  });
});
