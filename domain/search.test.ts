import { describe, expect, it } from "vitest";
import type { Availability } from "./schemas/availability";
import { comingWindows, searchWeek, splitByDay, weekOverlap, weekOverlapMinutes, zoneChanges } from "./search";
import { expandAvailability, intersect, weeklyMinutesUtc } from "./time";

// Minutes from Monday 00:00 UTC: Monday 12:15–16:00.
const MONDAY_AFTERNOON = [{ start: 12 * 60 + 15, end: 16 * 60 }];
const DAILY = (start: number, end: number) => [0, 1, 2, 3, 4, 5, 6].map((d) => ({ start: d * 1440 + start, end: d * 1440 + end }));
const at = (iso: string) => Date.parse(iso);

describe("weekOverlap", () => {
  const week = (now: number) => searchWeek("UTC", "12:15", "16:00", now, []);

  it("shows a window under way from the next whole minute, never at the second it was asked", () => {
    const now = at("2026-11-30T12:58:28.724Z"); // a Monday, inside the window
    expect(weekOverlap(week(now), MONDAY_AFTERNOON, "UTC")).toEqual([{ start: "2026-11-30T12:59:00.000Z", end: "2026-11-30T16:00:00.000Z" }]);
  });

  it("shows a window that has not begun from its start, and one that is over in the coming week", () => {
    expect(weekOverlap(week(at("2026-11-30T09:00:00Z")), MONDAY_AFTERNOON, "UTC")[0]!.start).toBe("2026-11-30T12:15:00.000Z");
    expect(weekOverlap(week(at("2026-11-30T15:59:30Z")), MONDAY_AFTERNOON, "UTC")[0]!.start).toBe("2026-12-07T12:15:00.000Z");
  });

  it("counts a week's worth whatever the time of day when no clock changes", () => {
    for (const iso of ["2026-11-30T00:00:00Z", "2026-11-30T13:00:00Z", "2026-12-03T23:59:00Z"]) {
      expect(weekOverlapMinutes(week(at(iso)), DAILY(12 * 60, 17 * 60), "Asia/Kathmandu")).toBe(7 * 225);
    }
  });
});

describe("the searched days at each day's offsets", () => {
  const now = at("2026-10-22T12:00:00Z"); // Europe changes on 25 October, New York on 1 November
  const changes = zoneChanges(["Europe/Berlin", "Europe/Paris", "America/New_York", "Asia/Kathmandu"], now - 2 * 86_400_000, now + 9 * 86_400_000);

  it("finds the clock changes near a day, to the second, once per zone", () => {
    expect(changes).toEqual([
      { zone: "Europe/Berlin", at: at("2026-10-25T01:00:00Z"), before: 7_200_000, after: 3_600_000 },
      { zone: "Europe/Paris", at: at("2026-10-25T01:00:00Z"), before: 7_200_000, after: 3_600_000 },
    ]);
  });

  it("takes the student's next seven windows each at its own offset", () => {
    const starts = comingWindows("Europe/Berlin", "18:00", "21:00", now).map((w) => new Date(w.start).toISOString().slice(5, 16));
    expect(starts).toEqual(["10-22T16:00", "10-23T16:00", "10-24T16:00", "10-25T17:00", "10-26T17:00", "10-27T17:00", "10-28T17:00"]);
  });

  it("compares a tutor whose zone changes with their hours at the offset of each day", () => {
    // A Paris tutor's 18:00–19:00 stored today (UTC+2) as 16:00–17:00Z; a UTC student asking 16:00–18:00.
    const week = searchWeek("UTC", "16:00", "18:00", now, changes);
    expect(week.groups).toHaveLength(1);
    expect(week.groups[0]!.zones).toEqual(["Europe/Berlin", "Europe/Paris"]);
    const paris = DAILY(16 * 60, 17 * 60);
    expect(weekOverlapMinutes(week, paris, "Europe/Paris")).toBe(7 * 60);
    expect(weekOverlap(week, paris, "Europe/Paris").map((w) => w.start.slice(5, 16))).toEqual([
      "10-22T16:00",
      "10-23T16:00",
      "10-24T16:00",
      "10-25T17:00",
      "10-26T17:00",
      "10-27T17:00",
      "10-28T17:00",
    ]);
    // The same stored hours in a zone without a change stay at 16:00Z.
    expect(weekOverlap(week, paris, "Asia/Kathmandu").map((w) => w.start.slice(11, 16))).toEqual(Array(7).fill("16:00"));
  });

  it("keeps a whole day's hours to a week across a fall-back night", () => {
    const week = searchWeek("Europe/Berlin", "00:00", "24:00", now, changes);
    expect(week.preferred.reduce((sum, p) => sum + p.end - p.start, 0)).toBe(7 * 1440);
  });
});

describe("a tutor's zone saved under another name", () => {
  // Thursday 29 October 2026: New York goes from UTC−4 to UTC−5 on Sunday 1 November.
  const now = at("2026-10-29T12:00:00Z");
  // 09:00–10:00 New York daily, stored at today's offset as 13:00–14:00Z.
  const nine = DAILY(13 * 60, 14 * 60);

  it.each(["US/Eastern", "us/eastern", "America/New_York"])("compares %s at New York's offsets on each day searched", (zone) => {
    // The runtime's own list of zones and their changes, as the search route uses them.
    const week = searchWeek("UTC", "13:00", "14:00", now);
    expect(weekOverlapMinutes(week, nine, zone)).toBe(3 * 60);
    expect(weekOverlap(week, nine, zone).map((w) => w.start.slice(5, 16))).toEqual(["10-29T13:00", "10-30T13:00", "10-31T13:00"]);
  });

  it("lists a zone's older names with it, so a tutor stored under one meets the same days in the database", () => {
    const week = searchWeek("UTC", "13:00", "14:00", now);
    const newYork = week.groups.find((g) => g.zones.includes("America/New_York"));
    expect(newYork?.zones).toEqual(expect.arrayContaining(["US/Eastern", "America/Detroit", "US/Michigan"]));
  });
});

/** A tutor open on Sundays (ISO 7) at `hours` in `zone`, and nothing else. */
const sundays = (zone: string, ...hours: [string, string][]): Availability => ({
  timezone: zone,
  weekly: hours.map(([start, end]) => ({ weekday: 7, start, end })),
  overrides: [],
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 60,
});

/**
 * What search finds for `tutor` (its hours stored as the calendar projects them at `now`) and the real free time its
 * calendar has in the student's coming windows.
 */
function searchAndReal(tutor: Availability, tz: string, from: string, to: string, now: number) {
  const week = searchWeek(tz, from, to, now, zoneChanges([tutor.timezone], now - 2 * 86_400_000, now + 9 * 86_400_000));
  const stored = splitByDay(weeklyMinutesUtc(tutor, now));
  const windows = comingWindows(tz, from, to, now);
  const spanEnd = windows[0]!.start + 7 * 86_400_000;
  const open = intersect(
    expandAvailability(tutor, windows[0]!.start, spanEnd),
    windows.map((w) => ({ start: w.start, end: Math.min(w.end, spanEnd) })),
  );
  const iso = (t: number) => new Date(t).toISOString();
  return {
    minutes: weekOverlapMinutes(week, stored, tutor.timezone),
    realMinutes: open.reduce((sum, w) => sum + (w.end - w.start) / 60_000, 0),
    shown: weekOverlap(week, stored, tutor.timezone),
    real: open.filter((w) => w.end > week.shownFrom).map((w) => ({ start: iso(Math.max(w.start, week.shownFrom)), end: iso(w.end) })),
  };
}

describe("the hour a fall-back repeats", () => {
  // New York's 01:00–02:00 on Sunday 1 November 2026 happens twice: 05:00–06:00Z (EDT), then 06:00–07:00Z (EST).
  // The calendar opens a rule's start or end inside it at its first pass; a tutor open at 01:59 is open through both.
  it.each([
    ["until 01:30", [["00:00", "01:30"]], 30],
    ["01:00–01:30", [["01:00", "01:30"]], 30],
    ["01:00–02:00", [["01:00", "02:00"]], 120],
    ["from 01:30 on", [["01:30", "03:00"]], 90],
    ["all night", [["00:00", "03:00"]], 120],
    ["until 01:30 and from 01:45", [["00:00", "01:30"], ["01:45", "03:00"]], 105],
  ] as const)("counts a New York tutor open %s only for the time they are free (a New York student asking 01:00–02:00)", (_, hours, minutes) => {
    const tutor = sundays("America/New_York", ...hours.map(([s, e]): [string, string] => [s, e]));
    for (const now of [at("2026-10-29T12:00:00Z"), at("2026-11-01T06:30:00Z")]) {
      const found = searchAndReal(tutor, "America/New_York", "01:00", "02:00", now);
      expect(found.realMinutes).toBe(minutes);
      expect(found.minutes).toBe(minutes);
      expect(found.shown).toEqual(found.real);
    }
  });

  it("counts a Berlin tutor's 02:00–02:30 once for a UTC student asking the whole night", () => {
    // Berlin's 02:00–03:00 on 25 October 2026 is 00:00–01:00Z (CEST), then 01:00–02:00Z (CET).
    const tutor = sundays("Europe/Berlin", ["01:00", "02:30"]);
    const found = searchAndReal(tutor, "UTC", "23:00", "03:00", at("2026-10-22T12:00:00Z"));
    expect(found.realMinutes).toBe(90); // 23:00Z Saturday to 00:30Z Sunday
    expect(found.minutes).toBe(90);
    expect(found.shown).toEqual(found.real);
  });
});
