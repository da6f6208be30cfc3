import ICAL from "ical.js";
import { DateTime, Info } from "luxon";
import { z } from "zod";
import { candidateDays, walksCandidateDays } from "./candidateDays";
import { parseTolerant } from "./tolerantParse";
import { WINDOWS_ZONES } from "./windowsZones";

/**
 * Busy time from an outside calendar (an ICS export or a "secret address" feed): every occurrence of every
 * event in [from, to), with recurrences expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides), times
 * converted to UTC through the calendar's own zones — IANA names through the runtime's zone data, other
 * names (Windows ones like "Eastern Standard Time", or Outlook's "Canberra, Melbourne, Sydney") through the
 * file's VTIMEZONE, else CLDR's Windows table. All-day events take whole days in the tutor's zone.
 * Parsing and rule iteration are Mozilla's ical.js, except for rules filtered down to a few days, which are
 * walked over those days (./candidateDays); time zones are decided here.
 */
export type Occurrence = {
  /** Stable across syncs: the event's UID and, for a recurrence, the occurrence's original start. */
  externalId: string;
  start: number;
  end: number;
  allDay: boolean;
  summary: string;
  /** Whether the time is taken: not when cancelled (STATUS:CANCELLED) or marked free (TRANSP:TRANSPARENT). */
  busy: boolean;
};

export type ExpandOptions = {
  from: number;
  to: number;
  /** The tutor's IANA zone: where all-day events (and floating times, absent X-WR-TIMEZONE) are placed. */
  zone: string;
  /** Stop after this many occurrences in the window (the result says it was truncated). */
  maxOccurrences?: number;
  /** Rule steps to spend on the whole file (default 250,000); beyond them the result is truncated. */
  maxIterations?: number;
};

/** `skipped`: events left out because they could not be read (malformed); the rest of the file still counts. */
export type Expansion = { occurrences: Occurrence[]; truncated: boolean; skipped: number };

/** Dates ical.js may try for one rule before it is given up: an endless daily rule from 2009 needs ~7,000 to reach 2028. */
const MAX_ITERATIONS = 100_000;
/** Dates tried for the whole file, across its rules (a few seconds of ical.js at worst). */
const MAX_TOTAL_ITERATIONS = 250_000;
const DAY = 86_400_000;

type Wall = { year: number; month: number; day: number; hour: number; minute: number; second: number };
/** Turns a wall-clock time into an instant (or, `toWall`, an instant into a wall-clock time). */
type Zone = { toUtc(w: Wall): number; toWall(ms: number): Wall };

function isIana(name: string): boolean {
  try {
    return DateTime.local().setZone(name).isValid && name.length < 64;
  } catch {
    return false;
  }
}

/**
 * A zone given by its offset from UTC (ms) at each instant. Wall-clock times are read as RFC 5545 §3.3.5 says:
 * one the clocks skip (spring forward) with the offset in force before the gap, so 02:30 on Berlin's March night
 * is 03:30 summer time; one they repeat (fall back) as its first occurrence. luxon's fromObject does not promise
 * the latter: it picks between the two by the offset in force on the day the code runs.
 * Each occurrence asks for its instant a few times: answers are remembered.
 */
function zoneFrom(offsetAt: (ms: number) => number): Zone {
  const known = new Map<number, number>();
  const instantOf = (local: number): number => {
    // The offsets a day either side (wall clocks are within 14 hours of UTC): near a change, the two differ.
    const before = offsetAt(local - DAY);
    const fits = [local - before, local - offsetAt(local + DAY)].filter((t) => offsetAt(t) === local - t);
    return fits.length ? Math.min(...fits) : local - before;
  };
  return {
    toUtc: (w) => {
      const key = wallNumber(w);
      let ms = known.get(key);
      if (ms === undefined) {
        if (known.size > 20_000) known.clear();
        ms = instantOf(floatingMs(w));
        known.set(key, ms);
      }
      return ms;
    },
    toWall: (ms) => wallAt(ms + offsetAt(ms)),
  };
}

/** An IANA zone (or a name luxon reads as a fixed offset, like "UTC"), through the runtime's zone data. */
function ianaZone(name: string): Zone {
  const zone = Info.normalizeZone(name);
  return zoneFrom((ms) => Math.round(zone.offset(ms) * 60_000));
}

const UTC: Zone = ianaZone("UTC");

/** The changes of a VTIMEZONE as ical.js expands them: at UTC wall times, to offsets in seconds. */
const ZoneChangesSchema = z.array(
  z.object({ year: z.number(), month: z.number(), day: z.number(), hour: z.number(), minute: z.number(), second: z.number(), utcOffset: z.number(), prevUtcOffset: z.number() }),
);

/**
 * A zone the file defines. Its offsets come from the UTC times of its changes: ical.js's own conversions read
 * a UTC time as if it were local (wrong for the hours after a change) and a skipped time with the offset after
 * the gap (an hour early).
 */
function vtimezoneZone(tz: ICAL.Timezone): Zone {
  let throughYear = -Infinity;
  let changes: { at: number; offset: number; before: number }[] = [];
  return zoneFrom((ms) => {
    const year = new Date(ms).getUTCFullYear() + 1;
    if (year > throughYear) {
      tz.utcOffset(ICAL.Time.fromData({ year, month: 1, day: 1 })); // has ical.js expand its changes through `year`
      changes = ZoneChangesSchema.parse(tz.changes)
        .map((c) => ({ at: floatingMs(c), offset: c.utcOffset * 1000, before: c.prevUtcOffset * 1000 }))
        .sort((a, b) => a.at - b.at);
      throughYear = year;
    }
    // The last change at or before `ms`; before the first one, the offset it changed from.
    let lo = 0;
    let hi = changes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (changes[mid]!.at <= ms) lo = mid + 1;
      else hi = mid;
    }
    return lo ? changes[lo - 1]!.offset : (changes[0]?.before ?? 0);
  });
}

/** Resolves TZIDs as described above; unknown names fall back to the floating zone. */
function zoneResolver(root: ICAL.Component, floating: Zone) {
  const defined = new Map<string, ICAL.Timezone>();
  for (const vtz of root.getAllSubcomponents("vtimezone")) {
    const id = vtz.getFirstPropertyValue("tzid");
    if (typeof id === "string") {
      try {
        defined.set(id, new ICAL.Timezone(vtz));
      } catch {
        /* a broken definition: the name may still resolve below */
      }
    }
  }
  const cache = new Map<string, Zone>();
  const resolve = (tzid: string): Zone => {
    const cached = cache.get(tzid);
    if (cached) return cached;
    const name = tzid.replace(/^"|"$/g, "");
    // "/mozilla.org/20050126_1/America/New_York"-style prefixes.
    const tail = /([A-Za-z_]+\/[A-Za-z_+-]+(?:\/[A-Za-z_+-]+)?)$/.exec(name)?.[1];
    const vtz = defined.get(tzid) ?? defined.get(name);
    const zone = isIana(name)
      ? ianaZone(name)
      : vtz
        ? vtimezoneZone(vtz)
        : WINDOWS_ZONES[name]
          ? ianaZone(WINDOWS_ZONES[name]!)
          : tail && isIana(tail)
            ? ianaZone(tail)
            : floating;
    cache.set(tzid, zone);
    return zone;
  };
  return { resolve, only: defined.size === 1 ? [...defined.keys()][0] : undefined };
}

/** A wall-clock time as milliseconds on a clock without zones (for differences between wall times). */
function floatingMs(w: Wall): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}
/** The wall-clock time `floatingMs` gave. */
function wallAt(floating: number): Wall {
  const d = new Date(floating);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}
const wallOf = (t: ICAL.Time): Wall => ({ year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second });
/** A wall-clock time as one sortable number (YYYYMMDDhhmmss). */
const wallNumber = (w: Wall | ICAL.Time) => ((((w.year * 100 + w.month) * 100 + w.day) * 100 + w.hour) * 100 + w.minute) * 100 + w.second;
const dateKey = (w: Wall) => `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
const isUtc = (t: ICAL.Time) => t.zone === ICAL.Timezone.utcTimezone;

/** A DTSTART-like property's time with the zone that applies to it. */
function timeOf(prop: ICAL.Property | null, zones: ReturnType<typeof zoneResolver>, fallback: Zone): { time: ICAL.Time; zone: Zone } | null {
  const value = prop?.getFirstValue();
  if (!(value instanceof ICAL.Time)) return null;
  const tzid = prop!.getParameter("tzid");
  const zone = isUtc(value) ? UTC : typeof tzid === "string" && tzid ? zones.resolve(tzid) : fallback;
  return { time: value, zone };
}

/** Expands an ICS text into occurrences (see the module comment). Throws when the text is not iCalendar. */
export function expandIcs(text: string, opts: ExpandOptions): Expansion {
  const max = opts.maxOccurrences ?? 5_000;
  const parsed = parseTolerant(text);
  const out: Occurrence[] = [];
  const budget = { iterations: opts.maxIterations ?? MAX_TOTAL_ITERATIONS };
  let skipped = parsed.skipped;
  let truncated = false;
  const tutorZone = ianaZone(opts.zone);

  for (const root of parsed.calendars) {
    const wrZone = root.getFirstProperty("x-wr-timezone")?.getFirstValue();
    const floating = typeof wrZone === "string" && isIana(wrZone) ? ianaZone(wrZone) : tutorZone;
    const zones = zoneResolver(root, floating);
    // The zone a date-valued rule's UTC UNTIL is read in: the calendar's own, where it says which.
    const calendarZone = typeof wrZone === "string" && isIana(wrZone) ? floating : zones.only ? zones.resolve(zones.only) : tutorZone;
    const ctx: GroupContext = { opts, zones, floating, calendarZone, tutorZone, budget };

    const byUid = new Map<string, Group>();
    root.getAllSubcomponents("vevent").forEach((ev, i) => {
      const uid = String(ev.getFirstProperty("uid")?.getFirstValue() ?? `no-uid-${i}`).slice(0, 400);
      const entry = byUid.get(uid) ?? { overrides: [] };
      if (ev.hasProperty("recurrence-id")) entry.overrides.push(ev);
      else if (entry.master) entry.overrides.push(ev); // a second master is a copy at best; it is read, then ignored
      else entry.master = ev;
      byUid.set(uid, entry);
    });

    // Single events first: a file that runs out of budget on its rules still blocks its plain appointments.
    const groups = [...byUid].sort(([, a], [, b]) => Number(hasRule(a)) - Number(hasRule(b)));
    for (const [uid, group] of groups) {
      if (truncated) break;
      // One event (a series with its overrides) is read whole or not at all: a property that only fails when
      // it is read (a date that is not a date, a rule that is not a rule) costs that event, never the file.
      let found: GroupExpansion;
      try {
        found = expandGroup(uid, group, ctx, max - out.length);
      } catch {
        skipped += group.overrides.length + (group.master ? 1 : 0);
        continue;
      }
      out.push(...found.occurrences);
      truncated ||= found.truncated;
    }
  }
  out.sort((a, b) => a.start - b.start);
  return { occurrences: out, truncated, skipped };
}

type Group = { master?: ICAL.Component; overrides: ICAL.Component[] };
const hasRule = (g: Group) => !!g.master && (g.master.hasProperty("rrule") || g.master.hasProperty("rdate"));
type GroupContext = {
  opts: ExpandOptions;
  zones: ReturnType<typeof zoneResolver>;
  floating: Zone;
  calendarZone: Zone;
  tutorZone: Zone;
  /** Rule iterations left for the whole file: a file of endless rules cannot keep the sync busy. */
  budget: { iterations: number };
};
type GroupExpansion = { occurrences: Occurrence[]; truncated: boolean };

/** The occurrences of one UID in the window, at most `room` of them. Throws when the event cannot be read. */
function expandGroup(uid: string, { master, overrides }: Group, ctx: GroupContext, room: number): GroupExpansion {
  const { opts, zones, floating, tutorZone } = ctx;
  const out: Occurrence[] = [];
  const seen = new Set<string>();
  let truncated = false;
  /** Keeps an occurrence in the window; false once there is no more room. */
  const emit = (o: Occurrence): boolean => {
    if (o.end <= opts.from || o.start >= opts.to || o.end <= o.start || seen.has(o.externalId)) return true;
    if (out.length >= room) {
      truncated = true;
      return false;
    }
    seen.add(o.externalId);
    out.push(o);
    return true;
  };
  const masterDead = master ? String(master.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED" : false;
  const startOf = (ev: ICAL.Component) => {
    const start = timeOf(ev.getFirstProperty("dtstart"), zones, floating);
    if (!start) throw new Error("An event without a start");
    return start;
  };
  const single = (ev: ICAL.Component, externalId: string): boolean => {
    const start = startOf(ev);
    const first = placed(start.time, start.zone, spanOf(ev, start, zones, floating), tutorZone);
    return emit({ externalId, ...first, allDay: start.time.isDate, summary: summaryOf(ev), busy: !masterDead && isBusy(ev) });
  };

  // Overrides replace the occurrence their RECURRENCE-ID names, wherever they have moved it.
  const replaced = new Set<string>();
  const masterStart = master ? startOf(master) : null;
  for (const ov of overrides) {
    const rid = timeOf(ov.getFirstProperty("recurrence-id"), zones, masterStart?.zone ?? floating);
    if (!rid) continue;
    const key = occurrenceKey(rid.time, rid.zone, masterStart?.time.isDate ?? rid.time.isDate);
    replaced.add(key);
    if (!single(ov, `${uid}/${key}`)) return { occurrences: out, truncated };
  }

  if (!master || !masterStart) return { occurrences: out, truncated };
  const rules = master.getAllProperties("rrule").map((p) => p.getFirstValue()).filter((r): r is ICAL.Recur => r instanceof ICAL.Recur);
  const rdates = master.getAllProperties("rdate");
  if (!rules.length && !rdates.length) {
    single(master, uid);
    return { occurrences: out, truncated };
  }
  const isDate = masterStart.time.isDate;
  const span = spanOf(master, masterStart, zones, floating);
  const excluded = new Set<string>();
  for (const ex of master.getAllProperties("exdate")) {
    const tzid = ex.getParameter("tzid");
    for (const v of ex.getValues()) {
      if (!(v instanceof ICAL.Time)) continue;
      const zone = isUtc(v) ? UTC : typeof tzid === "string" && tzid ? zones.resolve(tzid) : masterStart.zone;
      excluded.add(occurrenceKey(v, zone, isDate));
    }
  }
  const summary = summaryOf(master);
  const busy = !masterDead && isBusy(master);
  /** An occurrence starting at wall time `t` in the master's zone, lasting the series' span or its own. */
  const occurrence = (t: ICAL.Time, own: Span = span): boolean => {
    const key = occurrenceKey(t, masterStart.zone, isDate);
    if (excluded.has(key) || replaced.has(key)) return true;
    const at = placed(t, masterStart.zone, own, tutorZone);
    return emit({ externalId: `${uid}/${key}`, ...at, allDay: isDate, summary, busy });
  };

  // RFC 5545 §3.8.5.2: DTSTART is the first occurrence. ical.js yields it first when it walks a rule; with
  // RDATEs alone, or only rules that name no date at all, nothing else would.
  const walked = rules.filter((r) => !namesNoDate(r));
  let open = walked.length ? true : occurrence(masterStart.time);
  const startFloating = ICAL.Time.fromData({ ...wallOf(masterStart.time), isDate });
  const first = wallNumber(startFloating);
  // Rules are walked on wall-clock times; those well before or after the window are told apart by their
  // fields alone (two days of margin cover any zone offset), so only occurrences near it are converted.
  const spanMs = "ms" in span ? Math.max(0, span.ms + span.nominalDays * DAY) : span.days * DAY;
  const lowerWall = masterStart.zone.toWall(opts.from - spanMs - 2 * DAY);
  const lower = wallNumber(lowerWall);
  const upperWall = masterStart.zone.toWall(opts.to + 2 * DAY);
  const upper = wallNumber(upperWall);
  for (const rule of walked) {
    const recur = rule.clone();
    if (recur.until && isUtc(recur.until)) {
      // UNTIL is an instant; the rule runs on wall-clock times, so compare in the event's own zone.
      const wall = (isDate ? ctx.calendarZone : masterStart.zone).toWall(recur.until.toJSDate().getTime());
      recur.until = ICAL.Time.fromData({ ...wall, isDate });
    }
    const named = namedBy(recur);
    let left = MAX_ITERATIONS;
    const tick = () => {
      if (--ctx.budget.iterations < 0) throw new OutOfSteps(true);
      if (--left < 0) throw new OutOfSteps(false);
    };
    // Rules filtered down to a few days (the last day of each month, Mondays in July) go straight to those days.
    const times = walksCandidateDays(recur, startFloating) ? candidateDays(recur, startFloating, { from: lowerWall, to: upperWall, tick }) : icalTimes(recur, startFloating, lowerWall, tick);
    try {
      for (const t of times) {
        if (!open) break;
        const n = wallNumber(t);
        if (n < lower) continue;
        if (n > upper || masterStart.zone.toUtc(wallOf(t)) >= opts.to) break;
        if (named(t) || n === first) open = occurrence(t);
      }
    } catch (e) {
      if (!(e instanceof OutOfSteps)) throw e;
      if (e.wholeFile) return { occurrences: out, truncated: true };
    }
  }
  for (const rd of rdates) {
    const tzid = rd.getParameter("tzid");
    for (const v of rd.getValues()) {
      const t = v instanceof ICAL.Time ? v : v instanceof ICAL.Period ? v.start : null;
      if (!t || !open) continue;
      const zone = isUtc(t) ? UTC : typeof tzid === "string" && tzid ? zones.resolve(tzid) : masterStart.zone;
      // Rule occurrences are keyed in the master's zone: bring an RDATE there.
      const local = isDate ? t : ICAL.Time.fromData({ ...masterStart.zone.toWall(zone.toUtc(wallOf(t))), isDate: false });
      // RFC 5545 §3.8.5.2: a PERIOD value is that occurrence's own start and end (or duration), not the series'.
      open = occurrence(local, v instanceof ICAL.Period ? periodSpan(v, zone, isDate) : span);
    }
  }
  return { occurrences: out, truncated };
}

/** A rule's steps ran out: those of the whole file, or those one rule may take (that rule ends there). */
class OutOfSteps extends Error {
  constructor(readonly wholeFile: boolean) {
    super("Out of rule steps");
  }
}

/** A rule's dates as ical.js walks them, skipped ahead to `before` where that changes nothing (see fastForward). */
function* icalTimes(recur: ICAL.Recur, start: ICAL.Time, before: Wall, tick: () => void): Generator<ICAL.Time> {
  const it = recur.iterator(fastForward(recur, start, before));
  countTries(it, tick);
  for (let t = it.next(); t; t = it.next()) yield t;
}

/**
 * Calls `tick` on every date ical.js tries while looking for a rule's next one. It looks inside a single
 * `next()`, for as long as it takes: a rule whose filters it never meets (FREQ=DAILY;BYDAY=1TU, an ordinal
 * weekday it only reads in monthly and yearly rules) would never return, and a Worker cannot interrupt it.
 * `tick` throws to stop it.
 */
function countTries(it: ICAL.RecurIterator, tick: () => void): void {
  const check = it.check_contracting_rules.bind(it);
  it.check_contracting_rules = () => {
    tick();
    return check();
  };
}

/** The longest each month can be (February in a leap year). */
const LONGEST_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Whether a rule names a day of the month that none of its months has (BYMONTH=4;BYMONTHDAY=31): such a rule
 * has no date (RFC 5545 §3.3.10 ignores invalid ones), but ical.js would look for one forever (DAILY and
 * finer) or roll 30 February over to March (YEARLY). Such a rule is not walked at all.
 */
function namesNoDate(recur: ICAL.Recur): boolean {
  const days = recur.parts.BYMONTHDAY;
  if (!days?.length) return false;
  const months = recur.parts.BYMONTH ?? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  return !months.some((m) => days.some((d) => d !== 0 && Math.abs(d) <= (LONGEST_MONTH[m - 1] ?? 0)));
}

/** Whether a date is one a rule's BYMONTH and BYMONTHDAY name: ical.js rolls a day a month lacks over into the next. */
function namedBy(recur: ICAL.Recur): (t: ICAL.Time) => boolean {
  const { BYMONTH: months, BYMONTHDAY: days } = recur.parts;
  return (t) => (!months || months.includes(t.month)) && (!days || days.some((d) => (d > 0 ? d : ICAL.Time.daysInMonth(t.month, t.year) + d + 1) === t.day));
}

/** Wall-clock length of one step of a rule that repeats with a fixed period, in milliseconds of floating time. */
const STEP_MS: Partial<Record<string, number>> = { SECONDLY: 1000, MINUTELY: 60_000, HOURLY: 3_600_000, DAILY: DAY, WEEKLY: 7 * DAY };

/**
 * Where to start walking a rule so that its occurrences before `before` are not walked one by one (ical.js
 * takes tens of microseconds a step: an endless daily rule from 2000 took a second to reach 2027). A rule
 * without COUNT whose frequency is a fixed wall-clock period (daily, weekly, hourly…) yields, from DTSTART
 * moved by whole periods, the same occurrences from there on: its BY parts are absolute (weekdays, months,
 * hours) and weeks keep their alignment. The moved start itself may be yielded even when it does not match
 * (ical.js treats DTSTART as an occurrence), so it is kept before `before`, where nothing is used.
 * Monthly and yearly rules take a dozen steps a year and are walked as they are.
 */
function fastForward(recur: ICAL.Recur, start: ICAL.Time, before: Wall): ICAL.Time {
  const step = STEP_MS[recur.freq];
  if (!step || recur.count || (start.isDate && step < DAY)) return start;
  const period = step * Math.max(1, recur.interval || 1);
  const gap = floatingMs(before) - floatingMs(wallOf(start));
  const periods = Math.floor(gap / period) - 1;
  if (periods <= 0) return start;
  const moved = new Date(floatingMs(wallOf(start)) + periods * period);
  return ICAL.Time.fromData({
    year: moved.getUTCFullYear(),
    month: moved.getUTCMonth() + 1,
    day: moved.getUTCDate(),
    hour: moved.getUTCHours(),
    minute: moved.getUTCMinutes(),
    second: moved.getUTCSeconds(),
    isDate: start.isDate,
  });
}


/** How long an RDATE period lasts: to its explicit end (in the same zone as its start), or for its duration. */
function periodSpan(p: ICAL.Period, zone: Zone, isDate: boolean): Span {
  const startZone = isUtc(p.start) ? UTC : zone;
  if (!p.end) return isDate ? { days: Math.max(1, Math.round((p.duration?.toSeconds() ?? 0) / 86_400)) } : durationSpan(p.duration);
  const ms = lengthOf({ time: p.start, zone: startZone }, { time: p.end, zone: isUtc(p.end) ? UTC : zone });
  return isDate ? { days: Math.max(1, Math.round(ms / DAY)) } : { ms, nominalDays: 0 };
}

/**
 * How long from a start to an end: the time between their instants (an event across a DST change is an hour
 * shorter or longer on the wall clock), except for a start the clocks skip. That one is read an hour late
 * (RFC 5545 §3.3.5) and the event keeps the length its wall-clock times give, as calendar apps show it: else
 * 02:30–03:30 on a spring-forward night would end at 03:30 summer time, when it starts, and block nothing.
 */
function lengthOf(start: { time: ICAL.Time; zone: Zone }, end: { time: ICAL.Time; zone: Zone }): number {
  const from = wallOf(start.time);
  const startMs = start.zone.toUtc(from);
  const skipped = floatingMs(start.zone.toWall(startMs)) !== floatingMs(from);
  if (skipped && end.zone === start.zone) return floatingMs(wallOf(end.time)) - floatingMs(from);
  return end.zone.toUtc(wallOf(end.time)) - startMs;
}

/**
 * How long an event lasts: whole days for all-day events; otherwise a DURATION's days and weeks, which are nominal
 * (RFC 5545 §3.3.6: the same wall-clock time that many days later, however long the clocks make them), then exact
 * milliseconds.
 */
type Span = { days: number } | { ms: number; nominalDays: number };

/** A timed event's DURATION (none: it takes no time). */
function durationSpan(d: unknown): Span {
  if (!(d instanceof ICAL.Duration)) return { ms: 0, nominalDays: 0 };
  const sign = d.isNegative ? -1 : 1;
  return { ms: sign * (d.hours * 3600 + d.minutes * 60 + d.seconds) * 1000, nominalDays: sign * (d.weeks * 7 + d.days) };
}

function spanOf(ev: ICAL.Component, start: { time: ICAL.Time; zone: Zone }, zones: ReturnType<typeof zoneResolver>, floating: Zone): Span {
  const endProp = ev.getFirstProperty("dtend");
  const end = endProp ? timeOf(endProp, zones, start.zone === UTC && !endProp.getParameter("tzid") ? floating : start.zone) : null;
  if (start.time.isDate) {
    if (end) return { days: Math.max(1, Math.round((Date.UTC(end.time.year, end.time.month - 1, end.time.day) - Date.UTC(start.time.year, start.time.month - 1, start.time.day)) / DAY)) };
    const d = ev.getFirstPropertyValue("duration");
    return { days: d instanceof ICAL.Duration ? Math.max(1, Math.round(d.toSeconds() / 86_400)) : 1 };
  }
  if (end) return { ms: lengthOf(start, end), nominalDays: 0 };
  return durationSpan(ev.getFirstPropertyValue("duration"));
}

/** An occurrence starting at wall time `t` in `zone`, as UTC instants; all-day ones as days in the tutor's zone. */
function placed(t: ICAL.Time, zone: Zone, span: Span, tutorZone: Zone): { start: number; end: number } {
  if ("days" in span) {
    const first = { year: t.year, month: t.month, day: t.day, hour: 0, minute: 0, second: 0 };
    const after = new Date(Date.UTC(t.year, t.month - 1, t.day + span.days));
    return { start: tutorZone.toUtc(first), end: tutorZone.toUtc({ year: after.getUTCFullYear(), month: after.getUTCMonth() + 1, day: after.getUTCDate(), hour: 0, minute: 0, second: 0 }) };
  }
  const start = zone.toUtc(wallOf(t));
  const dayLater = span.nominalDays ? zone.toUtc(wallAt(floatingMs(wallOf(t)) + span.nominalDays * DAY)) : start;
  return { start, end: dayLater + span.ms };
}

/** Names an occurrence by its original start: the date of an all-day one, else the instant. */
function occurrenceKey(t: ICAL.Time, zone: Zone, allDay: boolean): string {
  if (allDay) return dateKey(wallOf(t));
  return new Date(zone.toUtc(wallOf(t))).toISOString().replace(/\.000Z$/, "Z");
}

function isBusy(ev: ICAL.Component): boolean {
  const status = String(ev.getFirstPropertyValue("status") ?? "").toUpperCase();
  const transp = String(ev.getFirstPropertyValue("transp") ?? "").toUpperCase();
  return status !== "CANCELLED" && transp !== "TRANSPARENT";
}

const summaryOf = (ev: ICAL.Component) => String(ev.getFirstPropertyValue("summary") ?? "").trim().slice(0, 200) || "Busy";

/**
 * Only what takes time, cut to the window: the blocks an outside calendar puts in a tutor's calendar. A leave
 * of two years blocks the window's part of it (the tutor's calendar takes no block longer than 400 days).
 */
export function busyTimes(text: string, opts: ExpandOptions): Expansion {
  const all = expandIcs(text, { ...opts, maxOccurrences: (opts.maxOccurrences ?? 5_000) * 4 });
  const busy = all.occurrences.filter((o) => o.busy).map((o) => ({ ...o, start: Math.max(o.start, opts.from), end: Math.min(o.end, opts.to) }));
  const max = opts.maxOccurrences ?? 5_000;
  return { occurrences: busy.slice(0, max), truncated: all.truncated || busy.length > max, skipped: all.skipped };
}
