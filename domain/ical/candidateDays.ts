import ICAL from "ical.js";

/**
 * RFC 5545 expansion of the rules ical.js walks a day (or an hour, a minute) at a time though few days can match:
 * DAILY and finer rules limited by BYMONTH, BYMONTHDAY or BYDAY, WEEKLY ones limited by BYMONTH, and any of them
 * with BYSETPOS. ical.js tries every day of such a rule, never matches a negative BYMONTHDAY below MONTHLY
 * (FREQ=DAILY;BYMONTHDAY=-1, "the last day of each month", spent a rule's whole step budget and gave nothing) and
 * ignores BYSETPOS below MONTHLY. Here the months a rule names are visited and, in each, only the days its
 * BYMONTHDAY and BYDAY name; their times come from BYHOUR, BYMINUTE and BYSECOND (or DTSTART's).
 *
 * Semantics kept from ical.js, which walks the other rules: wall-clock times (a rule runs on the event's
 * floating time; zones are applied by the caller), DTSTART is the first occurrence and the first one COUNT
 * counts even when the rule does not name it (§3.8.5.2), UNTIL is inclusive and compared as wall time.
 */

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };

export type CandidateWalk = {
  /** Where occurrences start to matter: a rule without COUNT starts its walk there instead of at DTSTART. */
  from: Wall;
  /** The last wall time that matters: the walk ends after it even when nothing matched (an endless rule). */
  to: Wall;
  /** Called for every month, day and time tried; throws to stop the walk (the caller's step budget). */
  tick: () => void;
};

const DAY_MS = 86_400_000;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
/** The time unit a rule finer than a day repeats in (0 hour, 1 minute, 2 second); -1 for days and weeks. */
const LEVEL: Partial<Record<string, number>> = { WEEKLY: -1, DAILY: -1, HOURLY: 0, MINUTELY: 1, SECONDLY: 2 };
const UNIT_SECONDS = [3600, 60, 1];
const RANGES = [24, 60, 60];

/**
 * Whether a rule is expanded here: a frequency of a week or finer with a day filter (or BYSETPOS), in the forms
 * RFC 5545 allows for it. Others (BYYEARDAY, BYWEEKNO, BYDAY=1MO below MONTHLY, WEEKLY with BYMONTHDAY) stay
 * with ical.js, which reads them as it always has (or refuses them).
 */
export function walksCandidateDays(recur: ICAL.Recur, start: ICAL.Time): boolean {
  const p = recur.parts;
  const level = LEVEL[recur.freq];
  if (level === undefined || (level >= 0 && start.isDate)) return false;
  if (p.BYYEARDAY?.length || p.BYWEEKNO?.length) return false;
  if (p.BYDAY?.some((d) => !WEEKDAYS.includes(String(d)))) return false;
  if (recur.freq === "WEEKLY" && p.BYMONTHDAY?.length) return false;
  return !!(p.BYMONTH?.length || p.BYMONTHDAY?.length || p.BYSETPOS?.length || (recur.freq !== "WEEKLY" && p.BYDAY?.length));
}

/** One candidate occurrence: its day number (days since 1970-01-01), its time of day and its BYSETPOS set. */
type Item = { dn: number; h: number; m: number; s: number; set: number };

/** The occurrences of a rule `walksCandidateDays` accepts, in order, as floating times of DTSTART's kind. */
export function* candidateDays(recur: ICAL.Recur, start: ICAL.Time, walk: CandidateWalk): Generator<ICAL.Time> {
  const until = recur.until ? wallNumber(recur.until) : Infinity;
  const first = wallNumber(start);
  if (first > until) return;
  const count = recur.count || Infinity;
  // A rule without COUNT gives the same occurrences wherever its walk starts (its periods are counted from
  // DTSTART's): start a week before `from`, so that a week's BYSETPOS set is whole.
  // A rule with COUNT is walked from DTSTART's week (a BYSETPOS set starts with its period, not at DTSTART).
  const fromDn = dayNumber(walk.from) - 7;
  const fromDtstart = !!recur.count || fromDn <= dayNumber(start);
  let given = 0;
  if (fromDtstart) {
    yield start.clone();
    given++;
  }
  const wanted = wallNumber(walk.from);
  for (const item of chosen(recur, items(recur, start, fromDtstart ? dayNumber(start) - 7 : fromDn, walk))) {
    if (given >= count) return;
    const n = itemNumber(item);
    if (n <= first) continue;
    if (n > until) return;
    given++;
    // Counted for COUNT, but not made into a time: it is before anything that matters.
    if (n >= wanted) yield timeOf(item, start.isDate);
  }
}

/** Keeps the BYSETPOS positions of each set (a day for DAILY, a week for WEEKLY, an hour for HOURLY…). */
function* chosen(recur: ICAL.Recur, all: Iterable<Item>): Generator<Item> {
  const positions = recur.parts.BYSETPOS?.map(Number).filter((p) => Number.isInteger(p) && p !== 0);
  if (!positions?.length) return yield* all;
  let group: Item[] = [];
  const pick = (g: Item[]) => [...new Set(positions.map((p) => (p > 0 ? p - 1 : g.length + p)))].filter((i) => i >= 0 && i < g.length).sort((a, b) => a - b).map((i) => g[i]!);
  for (const item of all) {
    if (group.length && group[0]!.set !== item.set) {
      yield* pick(group);
      group = [];
    }
    group.push(item);
  }
  yield* pick(group);
}

/** Every time the rule's BY parts and INTERVAL allow from day `fromDn` to `walk.to`, months it does not name skipped. */
function* items(recur: ICAL.Recur, start: ICAL.Time, fromDn: number, walk: CandidateWalk): Generator<Item> {
  const p = recur.parts;
  const level = LEVEL[recur.freq] ?? -1;
  const interval = Math.max(1, recur.interval || 1);
  const startDn = dayNumber(start);
  const wkst = (recur.wkst || ICAL.Time.MONDAY) - 1;
  const week = (dn: number) => Math.floor((dn - mod(weekdayOf(dn) - wkst, 7)) / 7);
  const months = sortedInts(p.BYMONTH, 1, 12);
  const monthDays = p.BYMONTHDAY?.map(Number).filter((d) => Number.isInteger(d) && d !== 0 && Math.abs(d) <= 31);
  const weekdays = new Set((p.BYDAY?.length ? p.BYDAY : recur.freq === "WEEKLY" ? [WEEKDAYS[weekdayOf(startDn)]!] : WEEKDAYS).map((d) => WEEKDAYS.indexOf(String(d))));
  const inPeriod =
    recur.freq === "DAILY" ? (dn: number) => mod(dn - startDn, interval) === 0 : recur.freq === "WEEKLY" ? (dn: number) => mod(week(dn) - week(startDn), interval) === 0 : () => true;
  const setOf = recur.freq === "WEEKLY" ? week : (dn: number) => dn;
  const times = timesOfDay(recur, start, level, interval);
  const endDn = dayNumber(walk.to);
  if (months?.length === 0) return;

  const from = new Date(fromDn * DAY_MS);
  let year = from.getUTCFullYear();
  let month = from.getUTCMonth() + 1;
  while (dayNumber({ year, month, day: 1 }) <= endDn) {
    walk.tick();
    if (months && !months.includes(month)) {
      // Straight to the next month the rule names.
      const next = months.find((m) => m > month);
      if (next === undefined) year++;
      month = next ?? months[0]!;
      continue;
    }
    const length = ICAL.Time.daysInMonth(month, year);
    for (const day of monthDays ? namedDays(monthDays, length) : weekdaysOf(weekdays, dayNumber({ year, month, day: 1 }), length)) {
      walk.tick();
      const dn = dayNumber({ year, month, day });
      if (dn < fromDn) continue;
      if (dn > endDn) return;
      if (!weekdays.has(weekdayOf(dn)) || !inPeriod(dn)) continue;
      for (const [h, m, s, unit] of times(dn)) {
        walk.tick();
        yield { dn, h, m, s, set: level < 0 ? setOf(dn) : unit };
      }
    }
    month++;
    if (month > 12) {
      month = 1;
      year++;
    }
  }
}

/** The days of a month of `length` days that BYMONTHDAY names (negative ones count from its end), in order. */
const namedDays = (monthDays: number[], length: number) => [...new Set(monthDays.map((d) => (d > 0 ? d : length + d + 1)))].filter((d) => d >= 1 && d <= length).sort((a, b) => a - b);

/** The days of a month (its first day is day number `dn1`) that fall on the given weekdays, in order. */
function weekdaysOf(weekdays: Set<number>, dn1: number, length: number): number[] {
  if (weekdays.size === 7) return range(1, length);
  const days: number[] = [];
  for (const wd of weekdays) for (let day = 1 + mod(wd - weekdayOf(dn1), 7); day <= length; day += 7) days.push(day);
  return days.sort((a, b) => a - b);
}

/**
 * The times of a day the rule takes, in order, with the index of the hour/minute/second they fall in (the
 * BYSETPOS set of a finer-than-daily rule). A day or week rule takes BYHOUR × BYMINUTE × BYSECOND (DTSTART's
 * where absent); a finer one takes every unit of its frequency that INTERVAL reaches from DTSTART, limited by
 * the coarser BY parts and expanded by the finer ones. The cheaper of two enumerations is used: the BY parts'
 * product, or the units INTERVAL reaches.
 */
function timesOfDay(recur: ICAL.Recur, start: ICAL.Time, level: number, interval: number): (dn: number) => [number, number, number, number][] {
  if (start.isDate) return () => [[0, 0, 0, 0]];
  const p = recur.parts;
  const by = [sortedInts(p.BYHOUR, 0, 23), sortedInts(p.BYMINUTE, 0, 59), sortedInts(p.BYSECOND, 0, 59)];
  const own = [start.hour, start.minute, start.second];
  const sets = by.map((b, i) => b ?? (i <= level ? range(0, RANGES[i]! - 1) : [own[i]!]));
  if (level < 0) {
    const all: [number, number, number, number][] = [];
    for (const h of sets[0]!) for (const m of sets[1]!) for (const s of sets[2]!) all.push([h, m, s, 0]);
    return () => all;
  }
  const unit = UNIT_SECONDS[level]!;
  const startUnit = Math.floor((dayNumber(start) * 86_400 + start.hour * 3600 + start.minute * 60 + start.second) / unit);
  const unitOf = (dn: number, sec: number) => Math.floor((dn * 86_400 + sec) / unit);
  const finer = sets.slice(level + 1).reduce((n, s) => n * s.length, 1);
  const product = sets.reduce((n, s) => n * s.length, 1);
  const reached = Math.ceil(86_400 / unit / interval) * finer;
  return (dn) => {
    const out: [number, number, number, number][] = [];
    if (product <= reached) {
      for (const h of sets[0]!)
        for (const m of sets[1]!)
          for (const s of sets[2]!) {
            const u = unitOf(dn, h * 3600 + m * 60 + s);
            if (mod(u - startUnit, interval) === 0) out.push([h, m, s, u]);
          }
      return out;
    }
    const dayFirst = unitOf(dn, 0);
    for (let u = dayFirst + mod(startUnit - dayFirst, interval); u < dayFirst + 86_400 / unit; u += interval) {
      const sec = (u - dayFirst) * unit;
      const parts = [Math.floor(sec / 3600), Math.floor(sec / 60) % 60, sec % 60];
      if (!parts.every((v, i) => i > level || sets[i]!.includes(v))) continue;
      const [hs, ms, ss] = sets.map((s, i) => (i <= level ? [parts[i]!] : s));
      for (const h of hs!) for (const m of ms!) for (const s of ss!) out.push([h, m, s, u]);
    }
    return out;
  };
}

const dateOf = (dn: number) => {
  const d = new Date(dn * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
const timeOf = (i: Item, isDate: boolean): ICAL.Time => ICAL.Time.fromData({ ...dateOf(i.dn), hour: i.h, minute: i.m, second: i.s, isDate });
const itemNumber = (i: Item) => wallNumber({ ...dateOf(i.dn), hour: i.h, minute: i.m, second: i.s });

/** Days since 1970-01-01 of a calendar date. */
const dayNumber = (w: { year: number; month: number; day: number }) => Math.round(Date.UTC(w.year, w.month - 1, w.day) / DAY_MS);
/** 0 for Sunday … 6 for Saturday (1 January 1970 was a Thursday). */
const weekdayOf = (dn: number) => mod(dn + 4, 7);
const mod = (a: number, n: number) => ((a % n) + n) % n;
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
/** A BY part's valid values, unique and in order; undefined when the rule has none. */
function sortedInts(values: readonly unknown[] | undefined, min: number, max: number): number[] | undefined {
  if (!values?.length) return undefined;
  return [...new Set(values.map(Number).filter((v) => Number.isInteger(v) && v >= min && v <= max))].sort((a, b) => a - b);
}
/** A wall-clock time as one sortable number (YYYYMMDDhhmmss). */
const wallNumber = (w: Wall | ICAL.Time) => ((((w.year * 100 + w.month) * 100 + w.day) * 100 + w.hour) * 100 + w.minute) * 100 + w.second;
