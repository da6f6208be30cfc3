/** A half-open span [start, end) of epoch milliseconds (or any other integer unit, e.g. minutes of a week). */
export type Interval = { start: number; end: number };

/** Sorted, disjoint, non-touching, non-empty copy of `list`. Touching intervals ([1,2) and [2,3)) coalesce. */
export function merge(list: readonly Interval[]): Interval[] {
  const sorted = list.filter((iv) => iv.end > iv.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  let last: Interval | undefined;
  for (const iv of sorted) {
    if (last && iv.start <= last.end) {
      if (iv.end > last.end) last.end = iv.end;
    } else {
      last = { start: iv.start, end: iv.end };
      out.push(last);
    }
  }
  return out;
}

/** Instants covered by both `a` and `b`. */
export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = merge(a);
  const y = merge(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const p = x[i]!;
    const q = y[j]!;
    const start = Math.max(p.start, q.start);
    const end = Math.min(p.end, q.end);
    if (start < end) out.push({ start, end });
    if (p.end < q.end) i++;
    else j++;
  }
  return out;
}

/** Instants covered by `a` but not by `b`. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const x = merge(a);
  const y = merge(b);
  const out: Interval[] = [];
  let j = 0;
  for (const p of x) {
    let start = p.start;
    // Cuts that end before this piece cannot touch any later piece either.
    while (j < y.length && y[j]!.end <= start) j++;
    let k = j;
    while (k < y.length && y[k]!.start < p.end) {
      const cut = y[k]!;
      if (cut.start > start) out.push({ start, end: cut.start });
      start = Math.max(start, cut.end);
      if (start >= p.end) break;
      k++;
    }
    if (start < p.end) out.push({ start, end: p.end });
  }
  return out;
}

/**
 * Whether `iv` shares any instant with an interval of `sortedList`, which must be merged (the output of
 * `merge`, `intersect` or `subtract`) so that its ends are sorted too. Binary search: O(log n).
 */
export function overlapsAny(iv: Interval, sortedList: readonly Interval[]): boolean {
  if (iv.end <= iv.start) return false;
  // First interval whose end is after iv.start; it overlaps iff it starts before iv.end.
  let lo = 0;
  let hi = sortedList.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sortedList[mid]!.end <= iv.start) lo = mid + 1;
    else hi = mid;
  }
  const candidate = sortedList[lo];
  return candidate !== undefined && candidate.start < iv.end;
}

/** `iv` widened by `beforeMs` at the start and `afterMs` at the end (e.g. a booking plus its buffers). */
export function expand(iv: Interval, beforeMs: number, afterMs: number): Interval {
  return { start: iv.start - beforeMs, end: iv.end + afterMs };
}
