import ICAL from "ical.js";
import { DateTime } from "luxon";
import { WINDOWS_ZONES } from "./windowsZones";

/**
 * Busy time from an outside calendar (an ICS export or a "secret address" feed): every occurrence of every
 * event in [from, to), with recurrences expanded (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides), times
 * converted to UTC through the calendar's own zones — IANA names through the runtime's zone data, other
 * names (Windows ones like "Eastern Standard Time", or Outlook's "Canberra, Melbourne, Sydney") through the
 * file's VTIMEZONE, else CLDR's Windows table. All-day events take whole days in the tutor's zone.
 * Parsing and rule iteration are Mozilla's ical.js; time zones are decided here.
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
};

export type Expansion = { occurrences: Occurrence[]; truncated: boolean };

/** Iterations of one rule before giving up: an endless daily rule from 2009 needs ~7,000 to reach 2028. */
const MAX_ITERATIONS = 100_000;
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

const ianaZone = (name: string): Zone => ({
  toUtc: (w) => DateTime.fromObject(w, { zone: name }).toMillis(),
  toWall: (ms) => DateTime.fromMillis(ms, { zone: name }).toObject() as Wall,
});

const UTC: Zone = ianaZone("UTC");

const vtimezoneZone = (tz: ICAL.Timezone): Zone => ({
  toUtc: (w) => {
    const t = ICAL.Time.fromData({ ...w, isDate: false });
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - tz.utcOffset(t) * 1000;
  },
  toWall: (ms) => {
    const t = ICAL.Time.fromJSDate(new Date(ms), true).convertToZone(tz);
    return { year: t.year, month: t.month, day: t.day, hour: t.hour, minute: t.minute, second: t.second };
  },
});

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

const wallOf = (t: ICAL.Time): Wall => ({ year: t.year, month: t.month, day: t.day, hour: t.isDate ? 0 : t.hour, minute: t.isDate ? 0 : t.minute, second: t.isDate ? 0 : t.second });
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
  const parsed = ICAL.parse(text) as unknown[];
  const roots: ICAL.Component[] = (Array.isArray(parsed[0]) ? parsed : [parsed]).map((j) => new ICAL.Component(j as never));
  const out: Occurrence[] = [];
  let truncated = false;
  const tutorZone = ianaZone(opts.zone);
  const emit = (o: Occurrence) => {
    if (o.end <= opts.from || o.start >= opts.to || o.end <= o.start) return true;
    if (out.length >= max) {
      truncated = true;
      return false;
    }
    out.push(o);
    return true;
  };

  for (const root of roots) {
    if (root.name !== "vcalendar") throw new Error("Not an iCalendar file");
    const wrZone = root.getFirstPropertyValue("x-wr-timezone");
    const floating = typeof wrZone === "string" && isIana(wrZone) ? ianaZone(wrZone) : tutorZone;
    const zones = zoneResolver(root, floating);
    // The zone a date-valued rule's UTC UNTIL is read in: the calendar's own, where it says which.
    const calendarZone = typeof wrZone === "string" && isIana(wrZone) ? floating : zones.only ? zones.resolve(zones.only) : tutorZone;

    const byUid = new Map<string, { master?: ICAL.Component; overrides: ICAL.Component[] }>();
    root.getAllSubcomponents("vevent").forEach((ev, i) => {
      const uid = String(ev.getFirstPropertyValue("uid") ?? `no-uid-${i}`).slice(0, 400);
      const entry = byUid.get(uid) ?? { overrides: [] };
      if (ev.hasProperty("recurrence-id")) entry.overrides.push(ev);
      else entry.master ??= ev;
      byUid.set(uid, entry);
    });

    for (const [uid, { master, overrides }] of byUid) {
      const masterDead = master ? String(master.getFirstPropertyValue("status") ?? "").toUpperCase() === "CANCELLED" : false;
      const single = (ev: ICAL.Component, externalId: string): boolean => {
        const start = timeOf(ev.getFirstProperty("dtstart"), zones, floating);
        if (!start) return true;
        const span = spanOf(ev, start, zones, floating);
        const first = placed(start.time, start.zone, span, tutorZone);
        return emit({ externalId, ...first, allDay: start.time.isDate, summary: summaryOf(ev), busy: !masterDead && isBusy(ev) });
      };

      // Overrides replace the occurrence their RECURRENCE-ID names, wherever they have moved it.
      const replaced = new Set<string>();
      const masterStart = master ? timeOf(master.getFirstProperty("dtstart"), zones, floating) : null;
      for (const ov of overrides) {
        const rid = timeOf(ov.getFirstProperty("recurrence-id"), zones, masterStart?.zone ?? floating);
        if (!rid) continue;
        const key = occurrenceKey(rid.time, rid.zone, masterStart?.time.isDate ?? rid.time.isDate);
        replaced.add(key);
        if (!single(ov, `${uid}/${key}`)) break;
      }

      if (!master || !masterStart) continue;
      const rules = master.getAllProperties("rrule").map((p) => p.getFirstValue()).filter((r): r is ICAL.Recur => r instanceof ICAL.Recur);
      const rdates = master.getAllProperties("rdate");
      if (!rules.length && !rdates.length) {
        if (!single(master, uid)) break;
        continue;
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
      const occurrence = (t: ICAL.Time): boolean => {
        const key = occurrenceKey(t, masterStart.zone, isDate);
        if (excluded.has(key) || replaced.has(key)) return true;
        const at = placed(t, masterStart.zone, span, tutorZone);
        return emit({ externalId: `${uid}/${key}`, ...at, allDay: isDate, summary, busy });
      };

      let open = true;
      const startFloating = ICAL.Time.fromData({ ...wallOf(masterStart.time), isDate });
      for (const rule of rules) {
        const recur = rule.clone();
        if (recur.until && isUtc(recur.until)) {
          // UNTIL is an instant; the rule runs on wall-clock times, so compare in the event's own zone.
          const wall = (isDate ? calendarZone : masterStart.zone).toWall(recur.until.toJSDate().getTime());
          recur.until = ICAL.Time.fromData({ ...wall, isDate });
        }
        const it = recur.iterator(startFloating);
        for (let i = 0, t = it.next(); t && open && i < MAX_ITERATIONS; i++, t = it.next()) {
          if (masterStart.zone.toUtc(wallOf(t)) >= opts.to) break;
          open = occurrence(t);
        }
      }
      for (const rd of rdates) {
        const tzid = rd.getParameter("tzid");
        for (const v of rd.getValues()) {
          const t = v instanceof ICAL.Time ? v : v instanceof ICAL.Period ? v.start : null;
          if (!t || !open) continue;
          const zone = isUtc(t) ? UTC : typeof tzid === "string" && tzid ? zones.resolve(tzid) : masterStart.zone;
          // Rule occurrences are keyed in the master's zone: bring an RDATE there.
          open = occurrence(isDate ? t : ICAL.Time.fromData({ ...masterStart.zone.toWall(zone.toUtc(wallOf(t))), isDate: false }));
        }
      }
      if (!open) break;
    }
  }
  out.sort((a, b) => a.start - b.start);
  return { occurrences: out, truncated };
}

/** How long an event lasts: whole days for all-day events (nominal), milliseconds otherwise. */
type Span = { days: number } | { ms: number };

function spanOf(ev: ICAL.Component, start: { time: ICAL.Time; zone: Zone }, zones: ReturnType<typeof zoneResolver>, floating: Zone): Span {
  const endProp = ev.getFirstProperty("dtend");
  const end = endProp ? timeOf(endProp, zones, start.zone === UTC && !endProp.getParameter("tzid") ? floating : start.zone) : null;
  if (start.time.isDate) {
    if (end) return { days: Math.max(1, Math.round((Date.UTC(end.time.year, end.time.month - 1, end.time.day) - Date.UTC(start.time.year, start.time.month - 1, start.time.day)) / DAY)) };
    const d = ev.getFirstPropertyValue("duration");
    return { days: d instanceof ICAL.Duration ? Math.max(1, Math.round(d.toSeconds() / 86_400)) : 1 };
  }
  if (end) return { ms: end.zone.toUtc(wallOf(end.time)) - start.zone.toUtc(wallOf(start.time)) };
  const d = ev.getFirstPropertyValue("duration");
  return { ms: d instanceof ICAL.Duration ? d.toSeconds() * 1000 : 0 };
}

/** An occurrence starting at wall time `t` in `zone`, as UTC instants; all-day ones as days in the tutor's zone. */
function placed(t: ICAL.Time, zone: Zone, span: Span, tutorZone: Zone): { start: number; end: number } {
  if ("days" in span) {
    const first = { year: t.year, month: t.month, day: t.day, hour: 0, minute: 0, second: 0 };
    const after = new Date(Date.UTC(t.year, t.month - 1, t.day + span.days));
    return { start: tutorZone.toUtc(first), end: tutorZone.toUtc({ year: after.getUTCFullYear(), month: after.getUTCMonth() + 1, day: after.getUTCDate(), hour: 0, minute: 0, second: 0 }) };
  }
  const start = zone.toUtc(wallOf(t));
  return { start, end: start + span.ms };
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

/** Only what takes time: the blocks an outside calendar puts in a tutor's calendar. */
export function busyTimes(text: string, opts: ExpandOptions): Expansion {
  const all = expandIcs(text, { ...opts, maxOccurrences: (opts.maxOccurrences ?? 5_000) * 4 });
  const busy = all.occurrences.filter((o) => o.busy);
  const max = opts.maxOccurrences ?? 5_000;
  return { occurrences: busy.slice(0, max), truncated: all.truncated || busy.length > max };
}
