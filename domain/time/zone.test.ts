import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { offsetTable, wallToInstant } from "./zone";

const at = (iso: string) => Date.parse(iso);
/** A wall-clock reading as "local epoch ms". */
const wall = (local: string) => Date.parse(`${local}Z`);
const iso = (t: number) => new Date(t).toISOString();
const year2027 = [at("2027-01-01T00:00:00Z"), at("2027-12-31T23:00:00Z")] as const;

describe("offsetTable", () => {
  it.each([
    ["America/New_York", ["2027-03-14T07:00:00.000Z", "2027-11-07T06:00:00.000Z"], [-300, -240, -300]],
    ["Europe/Berlin", ["2027-03-28T01:00:00.000Z", "2027-10-31T01:00:00.000Z"], [60, 120, 60]],
    ["Australia/Sydney", ["2027-04-03T16:00:00.000Z", "2027-10-02T16:00:00.000Z"], [660, 600, 660]],
    ["Australia/Lord_Howe", ["2027-04-03T15:00:00.000Z", "2027-10-02T15:30:00.000Z"], [660, 630, 660]],
    ["Asia/Kolkata", [], [330]],
    ["Asia/Kathmandu", [], [345]],
  ])("finds the exact 2027 transitions of %s", (zone, transitions, offsetMinutes) => {
    const table = offsetTable(zone, ...year2027);
    expect(table.starts.slice(1).map(iso)).toEqual(transitions);
    expect(table.offsets.map((o) => o / 60_000)).toEqual(offsetMinutes);
  });

  it("throws on an unknown zone", () => {
    expect(() => offsetTable("Mars/Olympus", ...year2027)).toThrow("Unknown time zone");
  });
});

describe("wallToInstant", () => {
  it.each(["America/New_York", "Europe/Berlin", "Australia/Sydney", "Asia/Kathmandu", "Pacific/Chatham"])(
    "agrees with luxon through 2027 in %s outside DST changes",
    (zone) => {
      const table = offsetTable(zone, at("2026-12-25T00:00:00Z"), at("2028-01-05T00:00:00Z"));
      let checked = 0;
      for (let local = wall("2027-01-01T00:00:00"); local < wall("2028-01-01T00:00:00"); local += 317 * 60_000) {
        const d = new Date(local);
        const dt = DateTime.fromObject(
          { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() },
          { zone },
        );
        const earlier = dt.minus({ hours: 3 }).offset;
        const later = dt.plus({ hours: 3 }).offset;
        if (earlier !== later) continue; // near a change luxon's choices differ from ours on purpose
        expect(wallToInstant(table, local, "skip")).toBe(dt.toMillis());
        checked++;
      }
      expect(checked).toBeGreaterThan(1_600);
    },
  );

  const ny = offsetTable("America/New_York", ...year2027);
  it.each([
    ["moves 02:30 in the March gap forward to 03:00 EDT", "2027-03-14T02:30:00", "forward", "2027-03-14T07:00:00.000Z"],
    ["moves 02:00 in the March gap forward to 03:00 EDT", "2027-03-14T02:00:00", "forward", "2027-03-14T07:00:00.000Z"],
    ["keeps 03:00 right after the gap", "2027-03-14T03:00:00", "forward", "2027-03-14T07:00:00.000Z"],
    ["keeps 01:59 right before the gap", "2027-03-14T01:59:00", "skip", "2027-03-14T06:59:00.000Z"],
    ["gives the first (EDT) 01:30 of the November repeat", "2027-11-07T01:30:00", "skip", "2027-11-07T05:30:00.000Z"],
    ["gives the only 02:00 after the November repeat", "2027-11-07T02:00:00", "skip", "2027-11-07T07:00:00.000Z"],
  ] as const)("%s", (_name, local, gap, expected) => {
    expect(iso(wallToInstant(ny, wall(local), gap))).toBe(expected);
  });

  it("skips a time inside the March gap", () => {
    expect(wallToInstant(ny, wall("2027-03-14T02:30:00"), "skip")).toBeNaN();
  });
});
