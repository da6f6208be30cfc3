import { describe, expect, it } from "vitest";
import { comingWindows, searchWeek, weekOverlap, weekOverlapMinutes, zoneChanges } from "./search";

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
