/**
 * How Tutorly writes instants for people: in a given zone, in the reader's locale (12- or 24-hour as that locale
 * says). The SPA passes no locale (the browser's); notices and emails pass the recipient's. Pure: time and zone
 * are inputs; `Intl` formatters are cached per locale, zone and style.
 */
import { languageOf } from "../i18n/locales";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

type Instant = number | string;
const toMs = (t: Instant) => (typeof t === "number" ? t : Date.parse(t));

const cache = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: string | undefined, zone: string, style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ""}|${zone}|${style}`;
  let f = cache.get(key);
  if (!f) cache.set(key, (f = new Intl.DateTimeFormat(locale, { timeZone: zone, ...options })));
  return f;
}

// The locale's own short time ("2:30 PM", "14:30", "04:00"): its clock, its padding.
const TIME: Intl.DateTimeFormatOptions = { timeStyle: "short" };

/** "2:30 PM" / "14:30". */
export const formatTime = (t: Instant, zone: string, locale?: string) => dtf(locale, zone, "time", TIME).format(toMs(t));

/**
 * How wide a weekday before a date is written. Spanish writes it in full: its dates follow an article ("el {at}",
 * "del {at}", "hasta el {date}") and its abbreviations read there as other words ("el mar, 8 dic": the sea). Arabic's
 * short weekday is its full name already; English keeps "Tue".
 */
export const weekdayWidth = (locale: string | undefined): "long" | "short" => (languageOf(locale) === "es" ? "long" : "short");

/** "Tue, May 13" / "Tue 13 May" / "martes, 13 may": the local date of an instant, short. */
export const formatShortDate = (t: Instant, zone: string, locale?: string) =>
  dtf(locale, zone, "shortdate", { weekday: weekdayWidth(locale), month: "short", day: "numeric" }).format(toMs(t));

const separatorsBeforeTime = new Map<string, string>();
/** What the locale writes between a date and its time (", " in English and Spanish, "، " in Arabic), read from a sample. */
export function beforeTime(locale: string | undefined): string {
  let sep = separatorsBeforeTime.get(locale ?? "");
  if (sep === undefined) {
    const parts = dtf(locale, "UTC", "sample", { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" }).formatToParts(Date.UTC(2000, 0, 1, 10));
    const hour = parts.findIndex((p) => p.type === "hour");
    const literal = parts[hour - 1];
    separatorsBeforeTime.set(locale ?? "", (sep = literal?.type === "literal" && literal.value.trim() ? literal.value : ", "));
  }
  return sep;
}

/** "Tue, May 13, 2:30 PM" / "Tue 13 May, 14:30" / "martes, 13 may, 14:30". */
export const formatDateTime = (t: Instant, zone: string, locale?: string) => `${formatShortDate(t, zone, locale)}${beforeTime(locale)}${formatTime(t, zone, locale)}`;

/** "Tuesday, May 13, 2027, 2:30 PM" (emails and detail pages). */
export const formatLongDateTime = (t: Instant, zone: string, locale?: string) =>
  `${dtf(locale, zone, "longdate", { weekday: "long", month: "long", day: "numeric", year: "numeric" }).format(toMs(t))}${beforeTime(locale)}${formatTime(t, zone, locale)}`;

/** "Dec 24, 2026": the local date of an instant. */
export const formatDate = (t: Instant, zone: string, locale?: string) => dtf(locale, zone, "date", { month: "short", day: "numeric", year: "numeric" }).format(toMs(t));

// The dash between two times as the locale writes it ("2:30 – 3:30 PM", "14:30–15:30"), read from a sample range.
const separators = new Map<string, string>();
function rangeSeparator(locale: string | undefined): string {
  let sep = separators.get(locale ?? "");
  if (sep === undefined) {
    const parts = dtf(locale, "UTC", "time", TIME).formatRangeToParts(Date.UTC(2000, 0, 1, 10), Date.UTC(2000, 0, 1, 11));
    const shared = parts.find((p) => p.type === "literal" && p.source === "shared")?.value ?? "";
    separators.set(locale ?? "", (sep = /^\s*[–-]\s*$/.test(shared) ? shared : "–"));
  }
  return sep;
}

/**
 * "2:30 – 3:30 PM" / "14:30–15:30". A session that ends after midnight keeps the short form ("23:00–00:00"):
 * `Intl` would write both full dates, which reads as a two-day event.
 */
export function formatTimeRange(start: Instant, end: Instant, zone: string, locale?: string): string {
  const a = toMs(start);
  const b = toMs(end);
  if (b - a < DAY && calendarDay(a, zone) !== calendarDay(b, zone)) return `${formatTime(a, zone, locale)}${rangeSeparator(locale)}${formatTime(b, zone, locale)}`;
  return dtf(locale, zone, "time", TIME).formatRange(a, b);
}

/** "Asia/Kathmandu" → "Asia/Kathmandu", "America/New_York" → "America/New York": a zone named for people. */
export const zoneName = (zone: string) => zone.replace(/_/g, " ");

/**
 * A zone named in the reader's language, as `Intl` names it ("hora central", "hora de Brasilia", "توقيت شرق أوروبا"),
 * for readers of languages other than the zones' own English ids. A zone `Intl` has no name for is its offset from
 * UTC as the locale writes it ("GMT+3"); UTC is "UTC".
 */
export function zoneTitle(zone: string, t: Instant, locale: string | undefined): string {
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  return genericZoneName(zone, t, locale) ?? zoneOffset(zone, t, locale);
}

/**
 * A zone named in a sentence for a reader of `locale` (notices, emails, the server's answers): in English its id,
 * which is English ("America/New York"); in another language the name `Intl` gives it there ("hora de Europa
 * central", "توقيت وسط أوروبا"), never an English city in a Spanish email. A zone `Intl` has no name for keeps its
 * id: an offset ("GMT+5:45") names no place, and holds only until the zone's next clock change.
 */
export function zoneNameFor(zone: string, t: Instant, locale: string | undefined): string {
  if (languageOf(locale) === "en") return zoneName(zone);
  if (zone === "UTC" || zone === "Etc/UTC") return "UTC";
  return genericZoneName(zone, t, locale) ?? zoneName(zone);
}

/** `Intl`'s name of a zone in the locale's language, or null when all it has is an offset ("GMT+5:45", "غرينتش+٣"). */
function genericZoneName(zone: string, t: Instant, locale: string | undefined): string | null {
  const generic = dtf(locale, zone, "zone-longGeneric", { timeZoneName: "longGeneric" })
    .formatToParts(toMs(t))
    .find((p) => p.type === "timeZoneName")?.value;
  return generic && !/^(GMT|UTC)\b/.test(generic) && !/[0-9\u0660-\u0669\u06f0-\u06f9]/.test(generic) ? generic : null;
}

/** The zone's offset from UTC at an instant, as the locale writes it: "GMT-6", "GMT+5:45", "غرينتش-٦". */
export const zoneOffset = (zone: string, t: Instant, locale: string | undefined) =>
  zone === "UTC" || zone === "Etc/UTC"
    ? "UTC"
    : (dtf(locale, zone, "zone-shortOffset", { timeZoneName: "shortOffset" })
        .formatToParts(toMs(t))
        .find((p) => p.type === "timeZoneName")?.value ?? zoneName(zone));

/** The calendar date "YYYY-MM-DD" of an instant in `zone`. */
export function calendarDay(t: Instant, zone: string): string {
  const parts = dtf("en-US", zone, "ymd", { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(toMs(t));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

const relative = new Map<string, Intl.RelativeTimeFormat>();

/**
 * How far `t` is from `now`, as a reader of `zone` counts it: minutes within the hour, hours within the same
 * calendar day, and beyond that calendar days — so a session tomorrow evening is "tomorrow", never "in 2 days".
 */
export function formatRelative(t: Instant, now: number, zone: string, locale?: string): string {
  let rtf = relative.get(locale ?? "");
  if (!rtf) relative.set(locale ?? "", (rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" })));
  const diff = toMs(t) - now;
  if (Math.abs(diff) < HOUR) return rtf.format(Math.round(diff / MINUTE), "minute");
  const days = Math.round((Date.parse(calendarDay(t, zone)) - Date.parse(calendarDay(now, zone))) / DAY);
  if (days === 0) return rtf.format(Math.round(diff / HOUR), "hour");
  return rtf.format(days, "day");
}
