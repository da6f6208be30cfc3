import { hhmmToMinutes, type Availability } from "../schemas/availability";
import { merge, type Interval } from "./intervals";
import { offsetAt, offsetTable, wallToInstant, type OffsetTable } from "./zone";

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * One local date's opening: that date's rules (or its override) merged in wall-clock minutes, then placed
 * in time. `wallStart` is the rule's local start as "local epoch ms", the anchor of the slot grid even when
 * the start itself fell into a DST gap and was moved.
 */
export type Opening = { start: number; end: number; wallStart: number; wallEnd: number };

/** Flat [start, end, start, end, …] minutes after the date's midnight, merged; an end may exceed 1440. */
type DayHours = number[];

function dayHours(ranges: readonly { start: string; end: string }[]): DayHours {
  const spans = ranges.map((r) => {
    const start = hhmmToMinutes(r.start);
    const end = hhmmToMinutes(r.end);
    // An end at or before the start runs past midnight.
    return { start, end: end <= start ? end + 1440 : end };
  });
  return merge(spans).flatMap((s) => [s.start, s.end]);
}

function dayNumberOf(isoDate: string): number {
  return Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10))) / DAY;
}

/** ISO weekday (1 = Monday) of a day number counted from 1970-01-01, a Thursday. */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/**
 * The openings of every local date whose hours can touch [from, to), sorted by start, not clipped.
 * An override replaces the hours that START on its date; a previous day's rule running past midnight
 * still spills into it.
 */
export function expandOpenings(avail: Availability, from: number, to: number, table?: OffsetTable): Opening[] {
  if (!(from < to)) return [];
  // Padding covers the previous date and hours that run to the end of the next day.
  const offsets = table ?? offsetTable(avail.timezone, from - 3 * DAY, to + 3 * DAY);
  const weekly: DayHours[] = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    weekly[weekday] = dayHours(avail.weekly.filter((r) => r.weekday === weekday));
  }
  const overrides = new Map<number, DayHours>();
  for (const o of avail.overrides) overrides.set(dayNumberOf(o.date), dayHours(o.intervals));

  const firstDay = Math.floor((from + offsetAt(offsets, from)) / DAY) - 1;
  const lastDay = Math.floor((to + offsetAt(offsets, to)) / DAY);
  const out: Opening[] = [];
  for (let day = firstDay; day <= lastDay; day++) {
    const hours = overrides.get(day) ?? weekly[isoWeekday(day)]!;
    for (let i = 0; i < hours.length; i += 2) {
      const wallStart = day * DAY + hours[i]! * MINUTE;
      const wallEnd = day * DAY + hours[i + 1]! * MINUTE;
      const start = wallToInstant(offsets, wallStart, "forward");
      const end = wallToInstant(offsets, wallEnd, "forward");
      // Hours lying wholly inside a DST gap vanish.
      if (end > start) out.push({ start, end, wallStart, wallEnd });
    }
  }
  // Dates come in order, so this is nearly sorted already.
  return out.sort((a, b) => a.start - b.start);
}

/**
 * The tutor's open time within [from, to) as sorted, merged UTC intervals. Wall-clock rules stay at their
 * wall-clock time across DST changes; a boundary inside a spring-forward gap moves to the end of the gap,
 * and a repeated (fall-back) wall time means its first occurrence.
 */
export function expandAvailability(avail: Availability, from: number, to: number): Interval[] {
  const open: Interval[] = [];
  for (const o of merge(expandOpenings(avail, from, to))) {
    const start = Math.max(o.start, from);
    const end = Math.min(o.end, to);
    if (start < end) open.push({ start, end });
  }
  return open;
}
