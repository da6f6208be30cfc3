import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { offsetTable } from "./zone";
import { nextWeeklyStartIntl, wallToUtc, weeklyStartsIntl } from "./wallClock";

const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;
const WEEK = 7 * 86_400_000;
const ZONES = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe"];

/** The zone's clock changes in 2027: when, and the offsets before and after (ms). */
function changes2027(zone: string) {
  const { starts, offsets } = offsetTable(zone, Date.UTC(2027, 0, 1), Date.UTC(2027, 11, 31));
  return starts.flatMap((at, i) => (i > 0 && at >= Date.UTC(2027, 0, 1) && offsets[i] !== offsets[i - 1] ? [{ at, before: offsets[i - 1]!, after: offsets[i]! }] : []));
}

/**
 * The week `k` weeks after `first` as luxon's wall-clock arithmetic places it, on the first pass of a wall time the
 * clocks repeat (luxon keeps the first week's offset there, which may be the second pass).
 */
function luxonWeek(first: number, zone: string, k: number): number {
  const week = DateTime.fromMillis(first, { zone }).plus({ weeks: k });
  const wall = week.toFormat("yyyy-MM-dd HH:mm");
  const earlier = [60, 30].map((m) => week.toMillis() - m * MINUTE).find((t) => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd HH:mm") === wall);
  return earlier ?? week.toMillis();
}

describe("weeklyStartsIntl (the server's weeks and the web app's weekly preview) keeps the tutor's wall clock", () => {
  it.each(ZONES)("%s: wall times around each 2027 clock change, series begun 1 to 45 weeks before", (zone) => {
    const changes = changes2027(zone);
    expect(changes).toHaveLength(2);
    for (const { at, before, after } of changes) {
      // The wall clock of the change (read in the old offset), and times either side, inside the gap or the repeated hour.
      const changeWall = at + before;
      for (let m = -90; m <= 90; m += 15) {
        const wall = changeWall + m * MINUTE + Math.min(0, after - before) / 2;
        for (const weeksBefore of [1, 2, 20, 45]) {
          const first = DateTime.fromMillis(wall - weeksBefore * WEEK, { zone: "UTC" }).setZone(zone, { keepLocalTime: true }).toMillis();
          const weeks = weeksBefore + 2;
          const expected = Array.from({ length: weeks }, (_, k) => iso(luxonWeek(first, zone, k)));
          expect(weeklyStartsIntl(first, zone, weeks).map(iso), `${zone} from ${iso(first)}`).toEqual(expected);
        }
      }
    }
  });

  it("books a New York Sunday 02:30 lesson in the week of the spring-forward gap at 03:30 EDT (07:30Z), as the server does", () => {
    const starts = weeklyStartsIntl(Date.parse("2027-03-07T07:30:00Z"), "America/New_York", 2).map(iso);
    expect(starts).toEqual(["2027-03-07T07:30:00.000Z", "2027-03-14T07:30:00.000Z"]);
  });
});

describe("nextWeeklyStartIntl", () => {
  it.each(ZONES)("%s: the first week after a moment, as luxon's weeks give it", (zone) => {
    for (const { at, before } of changes2027(zone)) {
      const first = DateTime.fromMillis(at + before - 3 * WEEK + 30 * MINUTE, { zone: "UTC" }).setZone(zone, { keepLocalTime: true });
      for (const after of [first.toMillis() - MINUTE, first.toMillis(), at - 3 * 86_400_000, at, at + 2 * 86_400_000, at + 40 * WEEK]) {
        let k = 0;
        while (first.plus({ weeks: k }).toMillis() <= after) k++;
        expect(iso(nextWeeklyStartIntl(first.toMillis(), zone, after)), `${zone} after ${iso(after)}`).toBe(iso(first.plus({ weeks: k }).toMillis()));
      }
    }
  });
});

describe("wallToUtc", () => {
  it.each(ZONES)("%s: a time in the spring-forward gap moves forward by the gap, as luxon; a repeated time is its first occurrence", (zone) => {
    for (const { at, before, after } of changes2027(zone)) {
      const changeWall = at + before;
      const local = (wall: number) => DateTime.fromMillis(wall, { zone: "UTC" }).setZone(zone, { keepLocalTime: true }).toMillis();
      if (after > before) {
        // The gap: [changeWall, changeWall + gap) does not exist.
        const gap = after - before;
        for (const wall of [changeWall, changeWall + gap / 2, changeWall + gap - MINUTE]) {
          expect(iso(wallToUtc(wall, zone))).toBe(iso(local(wall)));
          expect(wallToUtc(wall, zone)).toBe(wall - before);
        }
      } else {
        // The repeated hour: [changeWall − (before − after), changeWall) happens twice; the first is in the old offset.
        for (const wall of [changeWall - (before - after), changeWall - MINUTE]) expect(iso(wallToUtc(wall, zone))).toBe(iso(wall - before));
      }
      // Away from the change, the one instant.
      for (const wall of [changeWall - 86_400_000, changeWall + 86_400_000]) expect(iso(wallToUtc(wall, zone))).toBe(iso(local(wall)));
    }
  });
});
