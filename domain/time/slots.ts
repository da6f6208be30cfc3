import { DEFAULT_SLOT_STEP_MINUTES, type Availability } from "../schemas/availability";
import { expandOpenings } from "./expand";
import { merge, type Interval } from "./intervals";
import { offsetTable, segmentAt, wallToInstant } from "./zone";

const MINUTE = 60_000;
const DAY = 86_400_000;

export type SlotQuery = {
  availability: Availability;
  /** Time already taken: bookings, group sessions, external blocks. Any order; may overlap. */
  busy: readonly Interval[];
  from: number;
  to: number;
  now: number;
  durationMinutes: number;
  stepMinutes?: number;
};

export type Slot = { start: number; end: number };

/**
 * Bookable slots starting in [from, to), sorted.
 *
 * Starts lie on a wall-clock grid: each day's opening start + k × step in the tutor's zone, so 09:00 stays
 * 09:00 across DST changes; a grid time inside a spring-forward gap is skipped and one repeated by a
 * fall-back is offered once (first occurrence). A slot lasts `durationMinutes` of real time, lies inside
 * one stretch of open time, keeps `bufferMinutes` clear of every busy interval on both sides, starts at
 * least `minNoticeMinutes` after `now` and less than `horizonDays` after it.
 */
export function computeSlots(query: SlotQuery): Slot[] {
  const { availability: avail, now } = query;
  const stepMinutes = query.stepMinutes ?? DEFAULT_SLOT_STEP_MINUTES;
  if (!(query.durationMinutes > 0) || !(stepMinutes > 0)) {
    throw new RangeError("durationMinutes and stepMinutes must be positive");
  }
  const step = stepMinutes * MINUTE;
  const duration = query.durationMinutes * MINUTE;
  const buffer = avail.bufferMinutes * MINUTE;
  const lo = Math.max(query.from, now + avail.minNoticeMinutes * MINUTE);
  const hi = Math.min(query.to, now + avail.horizonDays * DAY);
  if (!(lo < hi)) return [];

  // Openings that hold a start in [lo, hi) and those a slot starting before hi can run into.
  const table = offsetTable(avail.timezone, lo - 3 * DAY, hi + duration + 3 * DAY);
  const openings = expandOpenings(avail, lo, hi + duration, table);

  const starts: number[] = [];
  let sorted = true;
  let runEnd = -Infinity;
  let seg = 0;
  for (let i = 0; i < openings.length; i++) {
    const o = openings[i]!;
    // Openings are sorted by start: a run of overlapping/touching ones is one stretch of open time.
    if (o.start > runEnd) {
      runEnd = o.end;
      for (let j = i + 1; j < openings.length && openings[j]!.start <= runEnd; j++) {
        runEnd = Math.max(runEnd, openings[j]!.end);
      }
    }
    const last = Math.min(o.end - 1, hi - 1, runEnd - duration);
    if (last < lo || last < o.start) continue;

    while (seg + 1 < table.starts.length && table.starts[seg + 1]! <= o.start) seg++;
    const offset = table.offsets[seg]!;
    const before = starts.length;
    if (o.start === o.wallStart - offset && segmentAt(table, o.end - 1) === seg) {
      // One offset across the whole opening: the wall-clock grid is a plain UTC grid.
      const k = o.start >= lo ? 0 : Math.ceil((lo - o.start) / step);
      for (let t = o.start + k * step; t <= last; t += step) starts.push(t);
    } else {
      // The opening crosses a DST change or starts in a gap: place each wall-clock grid time on its own.
      for (let wall = o.wallStart; wall < o.wallEnd; wall += step) {
        const t = wallToInstant(table, wall, "skip");
        if (Number.isNaN(t) || t < lo) continue;
        if (t > last) break;
        starts.push(t);
      }
    }
    if (starts.length > before && before > 0 && starts[before]! <= starts[before - 1]!) sorted = false;
  }
  if (!sorted) starts.sort((a, b) => a - b);

  // One pass with a pointer over merged busy time: starts only grow, so passed busy intervals stay passed.
  const busy = merge(query.busy);
  const slots: Slot[] = [];
  let b = 0;
  let previous = NaN;
  for (const start of starts) {
    if (start === previous) continue;
    previous = start;
    const end = start + duration;
    while (b < busy.length && busy[b]!.end <= start - buffer) b++;
    if (b < busy.length && busy[b]!.start < end + buffer) continue;
    slots.push({ start, end });
  }
  return slots;
}

/**
 * Whether `start` is exactly one of `computeSlots`' starts for this query: the server's check for a
 * booking that did not come from the offered slots (off-grid, inside a buffer, too soon, too far ahead).
 */
export function isSlotAvailable(query: Omit<SlotQuery, "from" | "to">, start: number): boolean {
  // The grid of a day is anchored at that day's own opening, so a one-instant window gives the same answer.
  return computeSlots({ ...query, from: start, to: start + 1 }).length === 1;
}
