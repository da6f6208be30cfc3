import { describe, expect, it } from "vitest";
import type { Availability, WeeklyRule } from "../schemas/availability";
import { overlapMinutesOfWeek, weeklyMinutesUtc } from "./weekly";

const at = (iso: string) => Date.parse(iso);
const availability = (timezone: string, weekly: WeeklyRule[]): Availability => ({
  timezone,
  weekly,
  overrides: [{ date: "2027-01-04", intervals: [{ start: "00:00", end: "24:00" }] }],
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 60,
});
const january = at("2027-01-15T12:00:00Z");
const july = at("2027-07-15T12:00:00Z");

describe("weeklyMinutesUtc", () => {
  const monday = (start: string, end: string) => [{ weekday: 1, start, end }];
  it.each([
    ["places Kathmandu's Monday 09:00–17:00 at 03:15–11:15 UTC", "Asia/Kathmandu", monday("09:00", "17:00"), january, [
      { start: 195, end: 675 },
    ]],
    ["moves Kathmandu's early Monday hours back into Sunday UTC", "Asia/Kathmandu", monday("02:00", "04:00"), january, [
      { start: 9855, end: 9975 },
    ]],
    ["keeps Kathmandu's Sunday 22:00–02:00 in Sunday UTC", "Asia/Kathmandu", [{ weekday: 7, start: "22:00", end: "02:00" }], january, [
      { start: 9615, end: 9855 },
    ]],
    ["splits a Sunday-into-Monday rule at the week boundary", "UTC", [{ weekday: 7, start: "22:00", end: "02:00" }], january, [
      { start: 0, end: 120 },
      { start: 9960, end: 10_080 },
    ]],
    ["moves New York's Monday evening into Tuesday UTC", "America/New_York", monday("20:00", "23:00"), january, [
      { start: 1500, end: 1680 },
    ]],
    ["uses the winter offset for a winter reference date", "America/New_York", monday("09:00", "17:00"), january, [
      { start: 840, end: 1320 },
    ]],
    ["uses the summer offset for a summer reference date", "America/New_York", monday("09:00", "17:00"), july, [
      { start: 780, end: 1260 },
    ]],
    ["splits Sydney's Monday morning across the UTC week boundary", "Australia/Sydney", monday("09:00", "12:00"), january, [
      { start: 0, end: 60 },
      { start: 9960, end: 10_080 },
    ]],
    [
      "merges rules that touch across midnight",
      "UTC",
      [{ weekday: 1, start: "18:00", end: "24:00" }, { weekday: 2, start: "00:00", end: "06:00" }, { weekday: 3, start: "10:00", end: "11:00" }],
      january,
      [{ start: 1080, end: 1800 }, { start: 3480, end: 3540 }],
    ],
  ])("%s", (_name, zone, weekly, reference, expected) => {
    expect(weeklyMinutesUtc(availability(zone, weekly), reference)).toEqual(expected);
  });

  it("ignores overrides", () => {
    expect(weeklyMinutesUtc(availability("UTC", []), january)).toEqual([]);
  });
});

describe("overlapMinutesOfWeek", () => {
  it("intersects a tutor's hours with a student's preferred hours", () => {
    const tutor = weeklyMinutesUtc(availability("Asia/Kathmandu", [
      { weekday: 1, start: "09:00", end: "17:00" },
      { weekday: 7, start: "22:00", end: "02:00" },
    ]), january);
    const student = [{ start: 600, end: 900 }, { start: 9800, end: 10_080 }, { start: 0, end: 60 }];
    expect(overlapMinutesOfWeek(tutor, student)).toEqual([{ start: 600, end: 675 }, { start: 9800, end: 9855 }]);
  });

  it("is empty when the hours do not meet", () => {
    expect(overlapMinutesOfWeek([{ start: 0, end: 60 }], [{ start: 60, end: 120 }])).toEqual([]);
  });
});
