/**
 * Zone-aware date helpers on top of `Intl.DateTimeFormat` (no date library: the first-load budget is tight).
 * Instants are epoch milliseconds or ISO strings; a "day" is a local calendar date "YYYY-MM-DD" in some zone.
 */
import {
  beforeTime as fBeforeTime,
  formatDate as fDate,
  formatDateTime as fDateTime,
  formatRelative as fRelative,
  formatTime as fTime,
  formatTimeRange as fRange,
  zoneName,
  zoneOffset,
  zoneTitle as fZoneTitle,
  weekdayWidth,
} from "../../../domain/format/time";
import { formatDuration } from "../../../domain/format/amounts";
import { wordsFor } from "../../../domain/format/words";
import { wallToUtc } from "../../../domain/time/wallClock";
import { language, locale } from "../i18n/state";
import { cityOf } from "./zones";

const MINUTE = 60_000;
export const DAY_MS = 86_400_000;

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat) {
  let f = cache.get(key);
  if (!f) cache.set(key, (f = make()));
  return f;
}

const toMs = (t: number | string) => (typeof t === "number" ? t : Date.parse(t));

export type ZonedParts = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The wall-clock fields of an instant in `zone`. */
export function zonedParts(t: number | string, zone: string): ZonedParts {
  const f = formatter(`parts|${zone}`, () =>
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }),
  );
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(toMs(t))) if (p.type !== "literal") out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour! % 24, minute: out.minute!, second: out.second! };
}

/** Local − UTC in ms for `zone` at instant `t`. */
export function offsetMs(t: number | string, zone: string): number {
  const ms = toMs(t);
  const p = zonedParts(ms, zone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (ms - (((ms % 1000) + 1000) % 1000));
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The local calendar date of an instant in `zone`, "YYYY-MM-DD". */
export function dayOf(t: number | string, zone: string): string {
  const p = zonedParts(t, zone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** "HH:mm" wall-clock time of an instant in `zone`. */
export function hhmmOf(t: number | string, zone: string): string {
  const p = zonedParts(t, zone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

const dayUtc = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const dayFromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const addDays = (day: string, n: number) => dayFromUtc(dayUtc(day) + n * DAY_MS);
/** ISO weekday of a calendar date: 1 = Monday … 7 = Sunday. */
export const isoWeekday = (day: string) => ((new Date(dayUtc(day)).getUTCDay() + 6) % 7) + 1;
/** The Monday on or before a calendar date. */
export const mondayOf = (day: string) => addDays(day, 1 - isoWeekday(day));
export const isDay = (s: unknown): s is string => typeof s === "string" && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(dayUtc(s));

/**
 * The instant a local wall-clock time happens in `zone`, settled as the server's luxon does (domain/time/wallClock.ts):
 * a time inside a spring-forward gap moves forward by the gap (02:30 → 03:30), in zones ahead of UTC and behind it;
 * a time that happens twice when clocks go back is its first occurrence.
 */
export function zonedToUtc(day: string, hhmm: string, zone: string): number {
  return wallToUtc(dayUtc(day) + (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * MINUTE, zone);
}

/** The first instant of a local date in `zone`. */
export const startOfDay = (day: string, zone: string) => zonedToUtc(day, "00:00", zone);

// ───────────── display ─────────────
// Every instant is written by domain/format/time.ts in the viewer's locale (the language they chose, with their
// region's formats), the same code that writes notices and emails in the recipient's.


/** "2:30 PM" / "14:30" in the viewer's locale. */
export const formatTime = (t: number | string, zone: string) => fTime(t, zone, locale());

/** A wall-clock "HH:mm" in the viewer's locale ("2:30 PM" / "14:30"); "24:00" reads as midnight. */
export const formatHHmm = (hhmm: string) => fTime(Date.UTC(2000, 0, 1, Number(hhmm.slice(0, 2)), Number(hhmm.slice(3, 5))), "UTC", locale());

/** "Tue, May 13" ("martes, 13 may": a weekday as wide as notices write it, weekdayWidth) for a calendar date (no zone involved). */
export function formatDay(day: string, opts: { long?: boolean } = {}): string {
  const key = `day|${opts.long ? "l" : "s"}|${locale()}`;
  return formatter(key, () =>
    new Intl.DateTimeFormat(locale(), { timeZone: "UTC", weekday: opts.long ? "long" : weekdayWidth(locale()), month: opts.long ? "long" : "short", day: "numeric" }),
  ).format(dayUtc(day));
}

/** "Tue" / "May 13" for a calendar date, for compact day headers. */
export const formatWeekday = (day: string) =>
  formatter(`wd|${locale()}`, () => new Intl.DateTimeFormat(locale(), { timeZone: "UTC", weekday: "short" })).format(dayUtc(day));
/** The name of an ISO weekday (1 = Monday) in the viewer's language: "Monday" / "lunes" / "الاثنين". */
export const weekdayName = (isoDay: number, style: "long" | "short" = "long") =>
  formatter(`wdn|${style}|${locale()}`, () => new Intl.DateTimeFormat(locale(), { timeZone: "UTC", weekday: style })).format(Date.UTC(2024, 0, isoDay));
/** A count with its unit, spelled out by Intl: "2 hours" / "2 horas" / "ساعتان", "1 day", "10 minutes". */
const units = new Map<string, Intl.NumberFormat>();
export const formatUnit = (n: number, unit: "minute" | "hour" | "day") => {
  const key = `${unit}|${locale()}`;
  let f = units.get(key);
  if (!f) units.set(key, (f = new Intl.NumberFormat(locale(), { style: "unit", unit, unitDisplay: "long" })));
  return f.format(n);
};
export const formatMonthDay = (day: string) =>
  formatter(`md|${locale()}`, () => new Intl.DateTimeFormat(locale(), { timeZone: "UTC", month: "short", day: "numeric" })).format(dayUtc(day));

/** "Tue, May 13, 2:30 PM" of an instant in `zone`. */
export const formatDateTime = (t: number | string, zone: string) => fDateTime(t, zone, locale());
/** What goes between a date and a time written apart (", "; "، " in Arabic). */
export const beforeTime = () => fBeforeTime(locale());

/** "2:30 – 3:30 PM" style range, same day assumed. */
export const formatTimeRange = (start: number | string, end: number | string, zone: string) => fRange(start, end, zone, locale());

/** The zone's short offset name at an instant: "GMT+5:45", "EST". */
export function zoneAbbr(zone: string, t: number | string = Date.now()): string {
  const f = formatter(`abbr|${zone}`, () => new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" }));
  return f.formatToParts(toMs(t)).find((p) => p.type === "timeZoneName")?.value ?? zone;
}

/*
 * Zones by name. English readers read the zones' ids, which are English ("America/New York", "Chicago"); readers of
 * another language read the names `Intl` gives the zones in it ("hora central", "توقيت شرق أوروبا"), never an English
 * city ("hora de Mexico City").
 */
const inEnglish = () => language() === "en";

/** The zone's short name for the viewer: "EST", "GMT+5:45" in English; its offset as the locale writes it elsewhere. */
export const zoneShort = (zone: string, t: number | string = Date.now()) => (inEnglish() ? zoneAbbr(zone, t) : zoneOffset(zone, t, locale()));

/** The zone by name: "America/New York"; "hora del este" / "التوقيت الرسمي الشرقي لأمريكا الشمالية". */
export const zoneTitle = (zone: string, t: number | string = Date.now()) => (inEnglish() ? zoneName(zone) : fZoneTitle(zone, t, locale()));

/** Where a zone's clock is, in a word or two: "Chicago" ("Chicago time"); the zone's own name in other languages. */
export const zonePlace = (zone: string, t: number | string = Date.now()) => (inEnglish() ? cityOf(zone) : fZoneTitle(zone, t, locale()));

/** A zone's place with its short name: "Chicago (CST)"; "hora central (GMT-6)". */
export const zonePlaceLabel = (zone: string, t: number | string = Date.now()) => (inEnglish() ? `${cityOf(zone)} (${zoneAbbr(zone, t)})` : zoneLabel(zone, t));

/** "Asia/Kathmandu (GMT+5:45)", "hora de Nepal (GMT+5:45)"; "UTC" alone, not "UTC (UTC)". */
export function zoneLabel(zone: string, t?: number | string): string {
  const short = zoneShort(zone, t);
  const title = zoneTitle(zone, t);
  return short === title ? short : `${title} (${short})`;
}

// ───────────── zone pickers ─────────────

/**
 * Where a zone is, as its id says: "Buenos Aires, Argentina", "Center, North Dakota", "Tokyo". `Intl` names zones but
 * not their cities, and a zone name alone cannot tell Argentina's twelve zones apart; cities are also what people type.
 */
function zonePlaceOf(zone: string): string {
  const parts = zone.split("/");
  return parts.length > 2 ? `${cityOf(zone)}, ${parts[parts.length - 2]!.replace(/_/g, " ")}` : cityOf(zone);
}

/** The zone's offset from UTC at an instant, written in full as the locale writes it: "GMT-03:00", "غرينتش+05:45". */
const zoneLongOffset = (zone: string, t: number | string) =>
  formatter(`loff|${zone}|${locale()}`, () => new Intl.DateTimeFormat(locale(), { timeZone: zone, timeZoneName: "longOffset" }))
    .formatToParts(toMs(t))
    .find((p) => p.type === "timeZoneName")?.value ?? zoneOffset(zone, t, locale());

/**
 * A zone as a picker lists it, city first so typing a city finds it, then `Intl`'s name for the zone in the reader's
 * language and the offset now: "Buenos Aires, Argentina — Argentina Standard Time (GMT-03:00)", "Buenos Aires,
 * Argentina — hora estándar de Argentina (GMT-03:00)"; a zone `Intl` has no name for is its place and offset. A name
 * in another script than the (Latin) city comes first: "توقيت الأرجنتين الرسمي — Buenos Aires, Argentina (غرينتش-٠٣:٠٠)"
 * — read first in the reader's own script, the city after it still telling apart the zones that share the name.
 */
export function zoneChoiceLabel(zone: string, t: number | string = Date.now()): string {
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  const title = fZoneTitle(zone, t, locale());
  const offset = ` (${zoneLongOffset(zone, t)})`;
  // Unnamed, the title is the offset again ("GMT-3"): told by its digits, without a formatter more per zone.
  if (/[0-9\u0660-\u0669\u06f0-\u06f9]/.test(title)) return zonePlaceOf(zone) + offset;
  return (/[a-z]/i.test(title) ? `${zonePlaceOf(zone)} — ${title}` : `${title} — ${zonePlaceOf(zone)}`) + offset;
}

/** Minutes as "1 h 30 min", "45 min", "4 h" (durations; credit amounts use formatCredits in lib/format.ts). */
export const formatMinutes = (minutes: number) => formatDuration(minutes, locale());

/** "in 3 hours", "tomorrow", "5 minutes ago": calendar days in the viewer's `zone` (never "in 2 days" for tomorrow). */
export const formatRelative = (t: number | string, zone: string, now = Date.now()) => fRelative(t, now, zone, locale());

/** Whole minutes between two instants. */
export const minutesBetween = (a: number | string, b: number | string) => Math.round((toMs(b) - toMs(a)) / MINUTE);

/** "Dec 24, 2026" for the local date of an instant in `zone`. */
export const formatDate = (t: number | string, zone: string) => fDate(t, zone, locale());

/** A length of time for countdowns: "2 days 4 h", "1 day", "5 h 12 min", "12 min" (rounded up to the minute). */
export function formatSpan(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  if (minutes < 24 * 60) return formatMinutes(minutes);
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const w = wordsFor(locale());
  const n = new Intl.NumberFormat(locale());
  const dayWord = new Intl.PluralRules(locale()).select(days) === "one" ? w.day.one : w.day.other;
  return `${n.format(days)} ${dayWord}${hours ? ` ${n.format(hours)} ${w.hours}` : ""}`;
}
