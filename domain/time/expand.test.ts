import { describe, expect, it } from "vitest";
import type { Availability, Override, WeeklyRule } from "../schemas/availability";
import { expandAvailability } from "./expand";

const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString().replace(":00.000Z", "Z");
const everyDay = (start: string, end: string): WeeklyRule[] =>
  [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
const availability = (timezone: string, weekly: WeeklyRule[], overrides: Override[] = []): Availability => ({
  timezone,
  weekly,
  overrides,
  bufferMinutes: 0,
  minNoticeMinutes: 0,
  horizonDays: 365,
});
const open = (avail: Availability, from: string, to: string) =>
  expandAvailability(avail, at(from), at(to)).map((i) => `${iso(i.start)}–${iso(i.end)}`);

describe("expandAvailability", () => {
  it.each([
    [
      "keeps 09:00–17:00 local across the March change in New York",
      "America/New_York", "2027-03-13T00:00:00Z", "2027-03-16T00:00:00Z",
      ["2027-03-13T14:00Z–2027-03-13T22:00Z", "2027-03-14T13:00Z–2027-03-14T21:00Z", "2027-03-15T13:00Z–2027-03-15T21:00Z"],
    ],
    [
      "keeps 09:00–17:00 local across the November change in New York",
      "America/New_York", "2027-11-06T00:00:00Z", "2027-11-09T00:00:00Z",
      ["2027-11-06T13:00Z–2027-11-06T21:00Z", "2027-11-07T14:00Z–2027-11-07T22:00Z", "2027-11-08T14:00Z–2027-11-08T22:00Z"],
    ],
    [
      "keeps 09:00–17:00 local across the March change in Berlin",
      "Europe/Berlin", "2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
      ["2027-03-27T08:00Z–2027-03-27T16:00Z", "2027-03-28T07:00Z–2027-03-28T15:00Z"],
    ],
    [
      "keeps 09:00–17:00 local across the October change in Berlin",
      "Europe/Berlin", "2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z",
      ["2027-10-30T07:00Z–2027-10-30T15:00Z", "2027-10-31T08:00Z–2027-10-31T16:00Z"],
    ],
    [
      "keeps 09:00–17:00 local across the April (backward) change in Sydney",
      "Australia/Sydney", "2027-04-02T12:00:00Z", "2027-04-04T12:00:00Z",
      ["2027-04-02T22:00Z–2027-04-03T06:00Z", "2027-04-03T23:00Z–2027-04-04T07:00Z"],
    ],
    [
      "keeps 09:00–17:00 local across the October (forward) change in Sydney",
      "Australia/Sydney", "2027-10-01T12:00:00Z", "2027-10-03T12:00:00Z",
      ["2027-10-01T23:00Z–2027-10-02T07:00Z", "2027-10-02T22:00Z–2027-10-03T06:00Z"],
    ],
    [
      "places 09:00–17:00 at +05:30 in Kolkata",
      "Asia/Kolkata", "2027-06-01T00:00:00Z", "2027-06-02T00:00:00Z",
      ["2027-06-01T03:30Z–2027-06-01T11:30Z"],
    ],
    [
      "places 09:00–17:00 at +05:45 in Kathmandu",
      "Asia/Kathmandu", "2027-06-01T00:00:00Z", "2027-06-02T00:00:00Z",
      ["2027-06-01T03:15Z–2027-06-01T11:15Z"],
    ],
  ])("%s", (_name, zone, from, to, expected) => {
    expect(open(availability(zone, everyDay("09:00", "17:00")), from, to)).toEqual(expected);
  });

  it("clips open time to the window", () => {
    const avail = availability("UTC", everyDay("09:00", "17:00"));
    expect(open(avail, "2027-06-01T10:00:00Z", "2027-06-01T12:30:00Z")).toEqual(["2027-06-01T10:00Z–2027-06-01T12:30Z"]);
  });

  it("is empty for an empty window", () => {
    const avail = availability("UTC", everyDay("00:00", "24:00"));
    expect(open(avail, "2027-06-01T10:00:00Z", "2027-06-01T10:00:00Z")).toEqual([]);
  });

  it("runs a 22:00–02:00 rule into the next day", () => {
    const avail = availability("Asia/Kolkata", [{ weekday: 5, start: "22:00", end: "02:00" }]);
    // Friday 2027-06-04 22:00 IST to Saturday 02:00 IST.
    expect(open(avail, "2027-06-01T00:00:00Z", "2027-06-08T00:00:00Z")).toEqual(["2027-06-04T16:30Z–2027-06-04T20:30Z"]);
  });

  it("includes the after-midnight part of a rule that starts the day before the window", () => {
    const avail = availability("Asia/Kolkata", [{ weekday: 5, start: "22:00", end: "02:00" }]);
    // The window starts at Saturday 00:00 IST.
    expect(open(avail, "2027-06-04T18:30:00Z", "2027-06-05T18:30:00Z")).toEqual(["2027-06-04T18:30Z–2027-06-04T20:30Z"]);
  });

  it("reads 24:00 as the next midnight and merges it with the next day's 00:00 start", () => {
    const avail = availability("Europe/Berlin", [
      { weekday: 1, start: "18:00", end: "24:00" },
      { weekday: 2, start: "00:00", end: "02:00" },
    ]);
    expect(open(avail, "2027-06-07T00:00:00Z", "2027-06-09T00:00:00Z")).toEqual(["2027-06-07T16:00Z–2027-06-08T00:00Z"]);
  });

  it("merges overlapping and touching rules of one day", () => {
    const avail = availability("UTC", [
      { weekday: 1, start: "09:00", end: "12:00" },
      { weekday: 1, start: "12:00", end: "13:00" },
      { weekday: 1, start: "11:00", end: "11:30" },
      { weekday: 1, start: "15:00", end: "16:00" },
    ]);
    expect(open(avail, "2027-06-07T00:00:00Z", "2027-06-08T00:00:00Z")).toEqual([
      "2027-06-07T09:00Z–2027-06-07T13:00Z",
      "2027-06-07T15:00Z–2027-06-07T16:00Z",
    ]);
  });

  describe("in a DST gap or repeat (New York 2027)", () => {
    it.each([
      ["gives 01:00–04:00 on the March change its two real hours", "01:00", "04:00", "2027-03-14T06:00Z–2027-03-14T08:00Z"],
      ["moves a start inside the gap to 03:00 EDT", "02:30", "05:00", "2027-03-14T07:00Z–2027-03-14T09:00Z"],
      ["moves an end inside the gap to 03:00 EDT", "00:00", "02:30", "2027-03-14T05:00Z–2027-03-14T07:00Z"],
    ])("%s", (_name, start, end, expected) => {
      const avail = availability("America/New_York", [], [{ date: "2027-03-14", intervals: [{ start, end }] }]);
      expect(open(avail, "2027-03-14T00:00:00Z", "2027-03-15T00:00:00Z")).toEqual([expected]);
    });

    it("drops hours lying wholly inside the gap", () => {
      const avail = availability("America/New_York", [], [{ date: "2027-03-14", intervals: [{ start: "02:00", end: "02:45" }] }]);
      expect(open(avail, "2027-03-14T00:00:00Z", "2027-03-15T00:00:00Z")).toEqual([]);
    });

    it("gives 00:30–03:00 on the November change its three and a half real hours", () => {
      const avail = availability("America/New_York", [], [{ date: "2027-11-07", intervals: [{ start: "00:30", end: "03:00" }] }]);
      expect(open(avail, "2027-11-07T00:00:00Z", "2027-11-08T00:00:00Z")).toEqual(["2027-11-07T04:30Z–2027-11-07T08:00Z"]);
    });

    it("ends a rule at the first 01:30 of the November repeat", () => {
      const avail = availability("America/New_York", [], [{ date: "2027-11-07", intervals: [{ start: "00:00", end: "01:30" }] }]);
      expect(open(avail, "2027-11-07T00:00:00Z", "2027-11-08T00:00:00Z")).toEqual(["2027-11-07T04:00Z–2027-11-07T05:30Z"]);
    });
  });

  describe("overrides", () => {
    const weekly = everyDay("09:00", "17:00");

    it("takes a day off", () => {
      const avail = availability("Europe/Berlin", weekly, [{ date: "2027-06-08", intervals: [] }]);
      expect(open(avail, "2027-06-07T00:00:00Z", "2027-06-10T00:00:00Z")).toEqual([
        "2027-06-07T07:00Z–2027-06-07T15:00Z",
        "2027-06-09T07:00Z–2027-06-09T15:00Z",
      ]);
    });

    it("replaces the day's hours with other ones, including extra hours past midnight", () => {
      const avail = availability("Europe/Berlin", weekly, [
        { date: "2027-06-08", intervals: [{ start: "07:00", end: "08:00" }, { start: "20:00", end: "01:00" }] },
      ]);
      expect(open(avail, "2027-06-08T00:00:00Z", "2027-06-09T12:00:00Z")).toEqual([
        "2027-06-08T05:00Z–2027-06-08T06:00Z",
        "2027-06-08T18:00Z–2027-06-08T23:00Z",
        "2027-06-09T07:00Z–2027-06-09T12:00Z",
      ]);
    });

    it("applies to the tutor's local date, not the UTC date", () => {
      // Sydney's 2027-06-08 runs from 2027-06-07T14:00Z.
      const avail = availability("Australia/Sydney", weekly, [{ date: "2027-06-08", intervals: [{ start: "06:00", end: "07:00" }] }]);
      expect(open(avail, "2027-06-07T12:00:00Z", "2027-06-08T12:00:00Z")).toEqual(["2027-06-07T20:00Z–2027-06-07T21:00Z"]);
    });

    it("keeps the spill of the previous day's late rule on a day off", () => {
      const avail = availability("UTC", [{ weekday: 5, start: "22:00", end: "02:00" }], [{ date: "2027-06-05", intervals: [] }]);
      expect(open(avail, "2027-06-05T00:00:00Z", "2027-06-06T00:00:00Z")).toEqual(["2027-06-05T00:00Z–2027-06-05T02:00Z"]);
    });
  });
});
