import { describe, expect, it } from "vitest";
import type { Availability, Override, WeeklyRule } from "../schemas/availability";
import type { Interval } from "./intervals";
import { expandAvailability } from "./expand";
import { computeSlots, isSlotAvailable, type SlotQuery } from "./slots";
import { benchBusy, benchFrom, complexAvailability } from "./slots.bench-case";

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString().replace(":00.000Z", "Z");
const everyDay = (start: string, end: string): WeeklyRule[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
const availability = (
  timezone: string,
  weekly: WeeklyRule[],
  overrides: Override[] = [],
  policy: Partial<Pick<Availability, "bufferMinutes" | "minNoticeMinutes" | "horizonDays">> = {},
): Availability => ({ timezone, weekly, overrides, bufferMinutes: 0, minNoticeMinutes: 0, horizonDays: 365, ...policy });

const EARLY_NOW = at("2027-01-01T00:00:00Z");
type Query = { avail: Availability; from: string; to: string; duration?: number; step?: number; busy?: Interval[]; now?: string };
const query = (q: Query): SlotQuery => ({
  availability: q.avail,
  busy: q.busy ?? [],
  from: at(q.from),
  to: at(q.to),
  now: q.now ? at(q.now) : EARLY_NOW,
  durationMinutes: q.duration ?? 60,
  ...(q.step === undefined ? {} : { stepMinutes: q.step }),
});
const starts = (q: Query) => computeSlots(query(q)).map((s) => iso(s.start));

describe("computeSlots", () => {
  describe("keeps the wall-clock grid across DST changes", () => {
    it.each([
      [
        "keeps 09:00 local across the March DST change in New York",
        "America/New_York", "2027-03-13T00:00:00Z", "2027-03-16T00:00:00Z",
        ["2027-03-13T14:00Z", "2027-03-13T14:30Z", "2027-03-14T13:00Z", "2027-03-14T13:30Z", "2027-03-15T13:00Z", "2027-03-15T13:30Z"],
      ],
      [
        "keeps 09:00 local across the November DST change in New York",
        "America/New_York", "2027-11-06T00:00:00Z", "2027-11-09T00:00:00Z",
        ["2027-11-06T13:00Z", "2027-11-06T13:30Z", "2027-11-07T14:00Z", "2027-11-07T14:30Z", "2027-11-08T14:00Z", "2027-11-08T14:30Z"],
      ],
      [
        "keeps 09:00 local across the March DST change in Berlin",
        "Europe/Berlin", "2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
        ["2027-03-27T08:00Z", "2027-03-27T08:30Z", "2027-03-28T07:00Z", "2027-03-28T07:30Z"],
      ],
      [
        "keeps 09:00 local across the October DST change in Berlin",
        "Europe/Berlin", "2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z",
        ["2027-10-30T07:00Z", "2027-10-30T07:30Z", "2027-10-31T08:00Z", "2027-10-31T08:30Z"],
      ],
      [
        "keeps 09:00 local across the April DST change in Sydney",
        "Australia/Sydney", "2027-04-02T12:00:00Z", "2027-04-04T12:00:00Z",
        ["2027-04-02T22:00Z", "2027-04-02T22:30Z", "2027-04-03T23:00Z", "2027-04-03T23:30Z"],
      ],
      [
        "keeps 09:00 local across the October DST change in Sydney",
        "Australia/Sydney", "2027-10-01T12:00:00Z", "2027-10-03T12:00:00Z",
        ["2027-10-01T23:00Z", "2027-10-01T23:30Z", "2027-10-02T22:00Z", "2027-10-02T22:30Z"],
      ],
      [
        "offers 09:00 at +05:30 in Kolkata",
        "Asia/Kolkata", "2027-06-01T00:00:00Z", "2027-06-02T00:00:00Z",
        ["2027-06-01T03:30Z", "2027-06-01T04:00Z"],
      ],
      [
        "offers 09:00 at +05:45 in Kathmandu",
        "Asia/Kathmandu", "2027-06-01T00:00:00Z", "2027-06-02T00:00:00Z",
        ["2027-06-01T03:15Z", "2027-06-01T03:45Z"],
      ],
    ])("%s", (_name, zone, from, to, expected) => {
      expect(starts({ avail: availability(zone, everyDay("09:00", "10:30")), from, to })).toEqual(expected);
    });
  });

  describe("on New York's change days", () => {
    const onDay = (date: string, start: string, end: string) =>
      availability("America/New_York", [], [{ date, intervals: [{ start, end }] }]);

    it("skips 02:00 and 02:30 of 01:00–04:00 on the March change", () => {
      // 01:00 EST, 01:30 EST, then 03:00 EDT and 03:30 EDT.
      expect(starts({ avail: onDay("2027-03-14", "01:00", "04:00"), from: "2027-03-14T00:00:00Z", to: "2027-03-15T00:00:00Z", duration: 30 }))
        .toEqual(["2027-03-14T06:00Z", "2027-03-14T06:30Z", "2027-03-14T07:00Z", "2027-03-14T07:30Z"]);
    });

    it("skips a 45-minute grid time inside the March gap rather than shifting it", () => {
      // 01:00 EST, 01:45 EST, (02:30 does not exist), 03:15 EDT.
      expect(starts({ avail: onDay("2027-03-14", "01:00", "04:00"), from: "2027-03-14T00:00:00Z", to: "2027-03-15T00:00:00Z", duration: 30, step: 45 }))
        .toEqual(["2027-03-14T06:00Z", "2027-03-14T06:45Z", "2027-03-14T07:15Z"]);
    });

    it("starts the grid of a rule opening inside the March gap at its wall-clock anchor", () => {
      // 02:30–05:00: the 02:30 anchor does not exist; 03:00 EDT and 03:30 EDT follow on its grid.
      expect(starts({ avail: onDay("2027-03-14", "02:30", "05:00"), from: "2027-03-14T00:00:00Z", to: "2027-03-15T00:00:00Z", duration: 60 }))
        .toEqual(["2027-03-14T07:00Z", "2027-03-14T07:30Z", "2027-03-14T08:00Z"]);
    });

    it("offers the repeated 01:00 and 01:30 of 00:30–03:00 on the November change once", () => {
      // 00:30, 01:00, 01:30 EDT, then 02:00 and 02:30 EST; 01:00 and 01:30 EST are not offered again.
      expect(starts({ avail: onDay("2027-11-07", "00:30", "03:00"), from: "2027-11-07T00:00:00Z", to: "2027-11-08T00:00:00Z", duration: 30 }))
        .toEqual(["2027-11-07T04:30Z", "2027-11-07T05:00Z", "2027-11-07T05:30Z", "2027-11-07T07:00Z", "2027-11-07T07:30Z"]);
    });

    it("measures a 120-minute slot in real time across the November change", () => {
      // 00:00–03:00 local is four real hours; a slot at 02:00 EST would end after 03:00 EST.
      const slots = computeSlots(query({ avail: onDay("2027-11-07", "00:00", "03:00"), from: "2027-11-07T00:00:00Z", to: "2027-11-08T00:00:00Z", duration: 120 }));
      expect(slots.map((s) => [iso(s.start), iso(s.end)])).toEqual([
        ["2027-11-07T04:00Z", "2027-11-07T06:00Z"],
        ["2027-11-07T04:30Z", "2027-11-07T06:30Z"],
        ["2027-11-07T05:00Z", "2027-11-07T07:00Z"],
        ["2027-11-07T05:30Z", "2027-11-07T07:30Z"],
      ]);
    });
  });

  it("offers a 22:00–02:00 rule through midnight", () => {
    const avail = availability("Europe/Berlin", [{ weekday: 5, start: "22:00", end: "02:00" }]);
    // Friday 2027-06-04 22:00 CEST = 20:00Z.
    expect(starts({ avail, from: "2027-06-01T00:00:00Z", to: "2027-06-08T00:00:00Z", duration: 90 }))
      .toEqual(["2027-06-04T20:00Z", "2027-06-04T20:30Z", "2027-06-04T21:00Z", "2027-06-04T21:30Z", "2027-06-04T22:00Z", "2027-06-04T22:30Z"]);
  });

  it("lets a slot run across touching hours of two days", () => {
    const avail = availability("UTC", [
      { weekday: 1, start: "23:00", end: "24:00" },
      { weekday: 2, start: "00:00", end: "00:30" },
    ]);
    expect(starts({ avail, from: "2027-06-07T00:00:00Z", to: "2027-06-09T00:00:00Z", duration: 90 })).toEqual(["2027-06-07T23:00Z"]);
  });

  it("offers overlapping rules of one day once, on one grid", () => {
    const avail = availability("UTC", [
      { weekday: 1, start: "09:00", end: "10:30" },
      { weekday: 1, start: "09:45", end: "11:00" },
    ]);
    expect(starts({ avail, from: "2027-06-07T00:00:00Z", to: "2027-06-08T00:00:00Z" }))
      .toEqual(["2027-06-07T09:00Z", "2027-06-07T09:30Z", "2027-06-07T10:00Z"]);
  });

  describe("overrides", () => {
    const weekly = everyDay("09:00", "10:30");
    const window = { from: "2027-06-07T00:00:00Z", to: "2027-06-10T00:00:00Z" };

    it("offers nothing on a day off", () => {
      const avail = availability("UTC", weekly, [{ date: "2027-06-08", intervals: [] }]);
      expect(starts({ avail, ...window })).toEqual(["2027-06-07T09:00Z", "2027-06-07T09:30Z", "2027-06-09T09:00Z", "2027-06-09T09:30Z"]);
    });

    it("offers the override's hours instead of the weekly ones", () => {
      const avail = availability("UTC", weekly, [{ date: "2027-06-08", intervals: [{ start: "14:15", end: "15:45" }] }]);
      expect(starts({ avail, ...window })).toEqual([
        "2027-06-07T09:00Z", "2027-06-07T09:30Z", "2027-06-08T14:15Z", "2027-06-08T14:45Z", "2027-06-09T09:00Z", "2027-06-09T09:30Z",
      ]);
    });
  });

  describe("busy time and buffer", () => {
    const weekly = everyDay("09:00", "13:00");
    const window = { from: "2027-06-07T00:00:00Z", to: "2027-06-08T00:00:00Z", duration: 30 };
    const booking = { start: at("2027-06-07T10:00:00Z"), end: at("2027-06-07T11:00:00Z") };

    it("skips slots overlapping a busy interval, touching is fine", () => {
      expect(starts({ avail: availability("UTC", weekly), busy: [booking], ...window })).toEqual([
        "2027-06-07T09:00Z", "2027-06-07T09:30Z", "2027-06-07T11:00Z", "2027-06-07T11:30Z", "2027-06-07T12:00Z", "2027-06-07T12:30Z",
      ]);
    });

    it("keeps the buffer clear on both sides of a busy interval", () => {
      const avail = availability("UTC", weekly, [], { bufferMinutes: 15 });
      expect(starts({ avail, busy: [booking], ...window })).toEqual([
        "2027-06-07T09:00Z", "2027-06-07T11:30Z", "2027-06-07T12:00Z", "2027-06-07T12:30Z",
      ]);
    });

    it("accepts busy intervals unsorted and overlapping", () => {
      const busy = [
        { start: at("2027-06-07T12:10:00Z"), end: at("2027-06-07T12:20:00Z") },
        { start: at("2027-06-07T09:00:00Z"), end: at("2027-06-07T09:40:00Z") },
        { start: at("2027-06-07T09:20:00Z"), end: at("2027-06-07T09:50:00Z") },
      ];
      expect(starts({ avail: availability("UTC", weekly), busy, ...window })).toEqual([
        "2027-06-07T10:00Z", "2027-06-07T10:30Z", "2027-06-07T11:00Z", "2027-06-07T11:30Z", "2027-06-07T12:30Z",
      ]);
    });
  });

  describe("notice, horizon and window", () => {
    const weekly = everyDay("08:00", "10:00");

    it("starts no earlier than the minimum notice after now", () => {
      const avail = availability("UTC", weekly, [], { minNoticeMinutes: 60 });
      expect(starts({ avail, now: "2027-06-07T07:10:00Z", from: "2027-06-07T00:00:00Z", to: "2027-06-08T00:00:00Z" }))
        .toEqual(["2027-06-07T08:30Z", "2027-06-07T09:00Z"]);
    });

    it("starts before the horizon", () => {
      const avail = availability("UTC", weekly, [], { horizonDays: 1 });
      expect(starts({ avail, now: "2027-06-07T08:10:00Z", from: "2027-06-01T00:00:00Z", to: "2027-06-10T00:00:00Z" }))
        .toEqual(["2027-06-07T08:30Z", "2027-06-07T09:00Z", "2027-06-08T08:00Z"]);
    });

    it("starts within [from, to) even when open time extends past both", () => {
      expect(starts({ avail: availability("UTC", weekly), from: "2027-06-07T08:15:00Z", to: "2027-06-07T09:00:00Z" }))
        .toEqual(["2027-06-07T08:30Z"]);
    });

    it("is empty when notice pushes past the window", () => {
      const avail = availability("UTC", weekly, [], { minNoticeMinutes: 20_160 });
      expect(starts({ avail, now: "2027-06-07T00:00:00Z", from: "2027-06-07T00:00:00Z", to: "2027-06-10T00:00:00Z" })).toEqual([]);
    });
  });

  describe("durations and steps", () => {
    const avail = availability("UTC", everyDay("09:00", "11:00"));
    const window = { from: "2027-06-07T00:00:00Z", to: "2027-06-08T00:00:00Z" };

    it.each([
      [30, 30, ["09:00", "09:30", "10:00", "10:30"]],
      [45, 30, ["09:00", "09:30", "10:00"]],
      [60, 30, ["09:00", "09:30", "10:00"]],
      [90, 30, ["09:00", "09:30"]],
      [120, 30, ["09:00"]],
      [30, 15, ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30"]],
      [45, 45, ["09:00", "09:45"]],
      [60, 45, ["09:00", "09:45"]],
      [60, 60, ["09:00", "10:00"]],
      [120, 60, ["09:00"]],
    ])("offers %i-minute slots every %i minutes inside 09:00–11:00", (duration, step, expected) => {
      const slots = computeSlots(query({ avail, ...window, duration, step }));
      expect(slots.map((s) => iso(s.start).slice(11, 16))).toEqual(expected);
      expect(slots.every((s) => s.end - s.start === duration * 60_000)).toBe(true);
    });

    it("refuses a zero step", () => {
      expect(() => computeSlots(query({ avail, ...window, step: 0 }))).toThrow(RangeError);
    });
  });

  it("returns sorted, unique, bookable slots for 90 days of the complex bench tutor", () => {
    const busy = benchBusy(benchFrom);
    const slots = computeSlots({
      availability: complexAvailability,
      busy,
      from: benchFrom,
      to: benchFrom + 90 * 86_400_000,
      now: benchFrom - 3_600_000,
      durationMinutes: 60,
    });
    expect(slots.length).toBe(851);
    const open = expandAvailability(complexAvailability, benchFrom, benchFrom + 91 * 86_400_000);
    const buffer = 15 * 60_000;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      if (i > 0) expect(s.start).toBeGreaterThan(slots[i - 1]!.start);
      expect(busy.some((b) => b.start < s.end + buffer && s.start - buffer < b.end)).toBe(false);
      expect(open.some((o) => o.start <= s.start && s.end <= o.end)).toBe(true);
    }
  });
});

describe("isSlotAvailable", () => {
  // Open 09:00–17:00 CEST = 07:00–15:00Z; booked 11:00–12:00 CEST.
  const avail = availability("Europe/Berlin", everyDay("09:00", "17:00"), [], { bufferMinutes: 15, minNoticeMinutes: 120, horizonDays: 30 });
  const booking = { start: at("2027-06-08T09:00:00Z"), end: at("2027-06-08T10:00:00Z") };
  const base = { availability: avail, busy: [booking], now: at("2027-06-07T05:10:00Z"), durationMinutes: 60 };

  it.each([
    ["accepts a grid start", "2027-06-08T07:30:00Z", true],
    ["rejects an off-grid start", "2027-06-08T07:10:00Z", false],
    ["rejects a start whose slot runs into the buffer before a booking", "2027-06-08T08:00:00Z", false],
    ["rejects a start inside the buffer after a booking", "2027-06-08T10:00:00Z", false],
    ["accepts the first start clear of the buffer after a booking", "2027-06-08T10:30:00Z", true],
    ["accepts the last slot, ending at closing time", "2027-06-08T14:00:00Z", true],
    ["rejects a slot running past closing time", "2027-06-08T14:30:00Z", false],
    ["rejects a start before the minimum notice", "2027-06-07T07:00:00Z", false],
    ["accepts the first start after the minimum notice", "2027-06-07T07:30:00Z", true],
    ["rejects a start beyond the horizon", "2027-07-07T07:00:00Z", false],
    ["accepts a start just inside the horizon", "2027-07-06T07:00:00Z", true],
  ])("%s", (_name, start, expected) => {
    expect(isSlotAvailable(base, at(start))).toBe(expected);
  });

  it("agrees with computeSlots on every quarter hour of 30 days of the complex bench tutor, on a 45-minute grid", () => {
    const q = { availability: complexAvailability, busy: benchBusy(benchFrom), now: benchFrom - 3_600_000, durationMinutes: 45, stepMinutes: 45 };
    const to = benchFrom + 30 * 86_400_000;
    const offered = new Set(computeSlots({ ...q, from: benchFrom, to }).map((s) => s.start));
    expect(offered.size).toBeGreaterThan(200);
    for (let t = benchFrom; t < to; t += 15 * 60_000) {
      expect(isSlotAvailable(q, t)).toBe(offered.has(t));
    }
  });
});
