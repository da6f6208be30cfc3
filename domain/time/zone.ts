import { IANAZone } from "luxon";

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The UTC offsets of one zone over a span of time, as segments: `offsets[i]` (ms, local − UTC) applies on
 * [starts[i], starts[i + 1]); starts[0] is −∞ and the last segment runs to +∞.
 * Converting with a table is arithmetic, so a slot grid needs no luxon call per candidate.
 */
export type OffsetTable = { starts: number[]; offsets: number[] };

type MonthOffsets = { startOffset: number; transitions: { at: number; offset: number }[] };

// Offsets are facts of the tz database, so memoising them keeps the functions pure; bounded, per isolate.
const monthCache = new Map<string, MonthOffsets>();
const MONTH_CACHE_LIMIT = 20_000;

function zoneOf(name: string): IANAZone {
  const zone = IANAZone.create(name);
  if (!zone.isValid) throw new Error(`Unknown time zone: ${name}`);
  return zone;
}

/** Offset transitions within one UTC calendar month, found by daily samples and a binary search to the second. */
function monthOffsets(zone: IANAZone, monthIndex: number): MonthOffsets {
  const key = `${zone.name}|${monthIndex}`;
  const cached = monthCache.get(key);
  if (cached) return cached;

  const begin = Date.UTC(Math.floor(monthIndex / 12), monthIndex % 12, 1);
  const end = Date.UTC(Math.floor(monthIndex / 12), (monthIndex % 12) + 1, 1);
  const offsetMs = (t: number) => zone.offset(t) * MINUTE;
  const startOffset = offsetMs(begin);
  const transitions: { at: number; offset: number }[] = [];
  let a = begin;
  let oa = startOffset;
  while (a < end - 1000) {
    const b = Math.min(a + DAY, end - 1000);
    const ob = offsetMs(b);
    if (ob !== oa) {
      // Assumes at most one transition per day, true of every zone in the tz database since 1970.
      let lo = a / 1000;
      let hi = b / 1000;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetMs(mid * 1000) === oa) lo = mid;
        else hi = mid;
      }
      transitions.push({ at: hi * 1000, offset: ob });
    }
    a = b;
    oa = ob;
  }

  const result = { startOffset, transitions };
  if (monthCache.size >= MONTH_CACHE_LIMIT) monthCache.clear();
  monthCache.set(key, result);
  return result;
}

function monthIndexOf(t: number): number {
  const d = new Date(t);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** The offsets of `zone` valid for every instant in [from, to]; outside, the first/last offset is extended. */
export function offsetTable(zoneName: string, from: number, to: number): OffsetTable {
  const zone = zoneOf(zoneName);
  const first = monthIndexOf(from);
  const last = monthIndexOf(Math.max(from, to));
  const starts = [-Infinity];
  const offsets = [monthOffsets(zone, first).startOffset];
  for (let m = first; m <= last; m++) {
    const month = monthOffsets(zone, m);
    if (month.startOffset !== offsets[offsets.length - 1]) {
      starts.push(Date.UTC(Math.floor(m / 12), m % 12, 1));
      offsets.push(month.startOffset);
    }
    for (const t of month.transitions) {
      starts.push(t.at);
      offsets.push(t.offset);
    }
  }
  return { starts, offsets };
}

/** Index of the segment of `table` holding instant `t`. */
export function segmentAt(table: OffsetTable, t: number): number {
  let i = table.starts.length - 1;
  while (i > 0 && table.starts[i]! > t) i--;
  return i;
}

/** The offset (ms) in force at instant `t`. */
export function offsetAt(table: OffsetTable, t: number): number {
  return table.offsets[segmentAt(table, t)]!;
}

/**
 * The instant of a wall-clock time, given as "local epoch ms" (the wall clock read as if it were UTC).
 * A time that occurs twice (fall-back) gives its first occurrence. A time that does not exist
 * (spring-forward gap) gives NaN with `gap: "skip"`, or with `gap: "forward"` the first instant after the
 * gap (the transition itself: 02:30 on a 02:00→03:00 day becomes 03:00, where luxon would give 03:30).
 */
export function wallToInstant(table: OffsetTable, wall: number, gap: "skip" | "forward"): number {
  const { starts, offsets } = table;
  const n = starts.length;
  for (let i = 0; i < n; i++) {
    const t = wall - offsets[i]!;
    if (t >= starts[i]! && (i + 1 === n || t < starts[i + 1]!)) return t;
  }
  if (gap === "skip") return NaN;
  for (let i = 1; i < n; i++) {
    if (wall >= starts[i]! + offsets[i - 1]! && wall < starts[i]! + offsets[i]!) return starts[i]!;
  }
  return NaN;
}

/**
 * The first instant after `t` at which `zone`'s UTC offset changes, looking up to `withinMs` ahead; null when it
 * keeps its offset that long (a zone without daylight saving).
 */
export function nextOffsetChange(zoneName: string, t: number, withinMs = 366 * DAY): number | null {
  const { starts, offsets } = offsetTable(zoneName, t, t + withinMs);
  for (let i = 1; i < starts.length; i++) {
    if (starts[i]! > t && starts[i]! <= t + withinMs && offsets[i] !== offsets[i - 1]) return starts[i]!;
  }
  return null;
}
