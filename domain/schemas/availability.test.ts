import { describe, expect, it } from "vitest";
import {
  AvailabilityInputSchema,
  AvailabilityUpdateSchema,
  DurationSchema,
  OverrideSchema,
  WeeklyRuleSchema,
  hhmmToMinutes,
} from "./availability";

describe("WeeklyRuleSchema", () => {
  it.each([
    ["a daytime rule", { weekday: 1, start: "09:00", end: "17:00" }],
    ["a rule running past midnight", { weekday: 5, start: "22:00", end: "02:00" }],
    ["a rule ending at midnight as 24:00", { weekday: 7, start: "18:00", end: "24:00" }],
    ["a whole day", { weekday: 3, start: "00:00", end: "24:00" }],
    ["the last minute of the day", { weekday: 3, start: "23:59", end: "00:00" }],
  ])("accepts %s", (_name, rule) => {
    expect(WeeklyRuleSchema.safeParse(rule).success).toBe(true);
  });

  it.each([
    ["weekday 0", { weekday: 0, start: "09:00", end: "17:00" }],
    ["weekday 8", { weekday: 8, start: "09:00", end: "17:00" }],
    ["a fractional weekday", { weekday: 1.5, start: "09:00", end: "17:00" }],
    ["24:00 as a start", { weekday: 1, start: "24:00", end: "02:00" }],
    ["a one-digit hour", { weekday: 1, start: "9:00", end: "17:00" }],
    ["minute 60", { weekday: 1, start: "09:60", end: "17:00" }],
    ["hour 25 as an end", { weekday: 1, start: "09:00", end: "25:00" }],
    ["seconds", { weekday: 1, start: "09:00:00", end: "17:00" }],
    ["equal start and end", { weekday: 1, start: "09:00", end: "09:00" }],
  ])("rejects %s", (_name, rule) => {
    expect(WeeklyRuleSchema.safeParse(rule).success).toBe(false);
  });

  it("reports equal start and end on the end field", () => {
    const result = WeeklyRuleSchema.safeParse({ weekday: 1, start: "09:00", end: "09:00" });
    expect(result.error?.issues.map((i) => i.path)).toEqual([["end"]]);
  });
});

describe("OverrideSchema", () => {
  it.each([
    ["a day off", { date: "2027-03-14", intervals: [] }],
    ["other hours", { date: "2027-03-14", intervals: [{ start: "10:00", end: "12:00" }, { start: "22:00", end: "01:00" }] }],
    ["a leap day", { date: "2028-02-29", intervals: [] }],
  ])("accepts %s", (_name, override) => {
    expect(OverrideSchema.safeParse(override).success).toBe(true);
  });

  it.each([
    ["February 29 of a common year", { date: "2027-02-29", intervals: [] }],
    ["April 31", { date: "2027-04-31", intervals: [] }],
    ["a date with a time", { date: "2027-03-14T00:00:00Z", intervals: [] }],
    ["an interval with equal start and end", { date: "2027-03-14", intervals: [{ start: "10:00", end: "10:00" }] }],
  ])("rejects %s", (_name, override) => {
    expect(OverrideSchema.safeParse(override).success).toBe(false);
  });
});

describe("AvailabilityInputSchema", () => {
  it("applies the defaults for buffer, notice and horizon", () => {
    expect(AvailabilityInputSchema.parse({ timezone: "Asia/Kathmandu", weekly: [], overrides: [] })).toEqual({
      timezone: "Asia/Kathmandu",
      weekly: [],
      overrides: [],
      bufferMinutes: 0,
      minNoticeMinutes: 120,
      horizonDays: 60,
    });
  });

  it("rejects an unknown time zone", () => {
    expect(AvailabilityInputSchema.safeParse({ timezone: "Mars/Olympus", weekly: [], overrides: [] }).success).toBe(false);
  });

  it("rejects two overrides for one date, pointing at the second", () => {
    const result = AvailabilityInputSchema.safeParse({
      timezone: "Europe/Berlin",
      weekly: [],
      overrides: [
        { date: "2027-05-01", intervals: [] },
        { date: "2027-05-02", intervals: [] },
        { date: "2027-05-01", intervals: [{ start: "10:00", end: "11:00" }] },
      ],
    });
    expect(result.error?.issues.map((i) => i.path)).toEqual([["overrides", 2, "date"]]);
  });

  it("rejects more than 50 weekly rules", () => {
    const weekly = Array.from({ length: 51 }, () => ({ weekday: 1, start: "09:00", end: "10:00" }));
    expect(AvailabilityInputSchema.safeParse({ timezone: "UTC", weekly, overrides: [] }).success).toBe(false);
  });

  it.each([
    ["bufferMinutes", 121],
    ["bufferMinutes", -1],
    ["minNoticeMinutes", 20_161],
    ["horizonDays", 0],
    ["horizonDays", 366],
    ["horizonDays", 1.5],
  ])("rejects %s = %s", (field, value) => {
    const input = { timezone: "UTC", weekly: [], overrides: [], [field]: value };
    expect(AvailabilityInputSchema.safeParse(input).success).toBe(false);
  });
});

describe("DurationSchema", () => {
  it.each([30, 45, 60, 90, 120])("accepts %i minutes", (minutes) => {
    expect(DurationSchema.parse(minutes)).toBe(minutes);
  });

  it.each([0, 50, 180, "60"])("rejects %s", (value) => {
    expect(DurationSchema.safeParse(value).success).toBe(false);
  });
});

describe("hhmmToMinutes", () => {
  it.each([
    ["00:00", 0],
    ["09:30", 570],
    ["23:59", 1439],
    ["24:00", 1440],
  ])("reads %s as %i", (hhmm, minutes) => {
    expect(hhmmToMinutes(hhmm)).toBe(minutes);
  });
});

describe("AvailabilityUpdateSchema: overlapping weekly hours are refused, saying which", () => {
  const base = { timezone: "UTC", overrides: [] };
  const messages = (weekly: { weekday: number; start: string; end: string }[]) => {
    const r = AvailabilityUpdateSchema.safeParse({ ...base, weekly });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  };

  it("names both ranges on the later one", () => {
    expect(messages([{ weekday: 1, start: "09:00", end: "12:00" }, { weekday: 1, start: "11:00", end: "14:00" }])).toEqual([
      "weekly.1: Monday 11:00–14:00 overlaps Monday 09:00–12:00. Join them into one range or change one of them.",
    ]);
  });

  it.each([
    ["touching ranges", [{ weekday: 1, start: "09:00", end: "12:00" }, { weekday: 1, start: "12:00", end: "14:00" }]],
    ["the same hours on different days", [{ weekday: 1, start: "09:00", end: "12:00" }, { weekday: 2, start: "09:00", end: "12:00" }]],
    ["whole days side by side", [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: "00:00", end: "24:00" }))],
    ["a night ending where the next morning starts", [{ weekday: 5, start: "22:00", end: "02:00" }, { weekday: 6, start: "02:00", end: "06:00" }]],
  ])("accepts %s", (_name, weekly) => {
    expect(messages(weekly)).toEqual([]);
  });

  it.each([
    ["a night running into the next morning", [{ weekday: 5, start: "22:00", end: "02:00" }, { weekday: 6, start: "01:00", end: "06:00" }]],
    ["Sunday night running into Monday", [{ weekday: 1, start: "00:00", end: "03:00" }, { weekday: 7, start: "23:00", end: "01:00" }]],
    ["a range inside another", [{ weekday: 3, start: "08:00", end: "20:00" }, { weekday: 3, start: "10:00", end: "11:00" }]],
  ])("refuses %s", (_name, weekly) => {
    expect(messages(weekly)).toHaveLength(1);
  });

  it("the stored rules keep parsing without the check (what the calendar reads back)", () => {
    const weekly = [{ weekday: 1, start: "09:00", end: "12:00" }, { weekday: 1, start: "11:00", end: "14:00" }];
    expect(AvailabilityInputSchema.safeParse({ ...base, weekly }).success).toBe(true);
  });
});
