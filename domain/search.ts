import { z } from "zod";
import { IANAZone } from "luxon";
import { EndHHMMSchema, HHMMSchema, hhmmToMinutes } from "./schemas/availability";
import { TimeZoneSchema, canonicalTimeZone } from "./schemas/common";
import { SEARCH_SORTS, SEARCH_TEXT_MAX } from "./searchTerms";
import { type Interval, WEEK_MINUTES, intersect, merge, subtract } from "./time";
import { offsetAt, offsetTable, wallToInstant } from "./time/zone";

/** Windows are stored split at UTC day boundaries, so one is never longer than a day: that bounds the range scan. */
export const DAY_MINUTES = 1440;

export const SearchQuerySchema = z
  .object({
    /** A subject, forgivingly: any case, a prefix of it or of one of its words, or a common name ("math"). */
    subject: z.string().trim().max(SEARCH_TEXT_MAX, { message: `Search for at most ${SEARCH_TEXT_MAX} characters.` }).optional(),
    /** Free text: a subject as above, or part of a tutor's name. */
    q: z.string().trim().max(SEARCH_TEXT_MAX, { message: `Search for at most ${SEARCH_TEXT_MAX} characters (a subject or a tutor's name).` }).optional(),
    maxRateCents: z.coerce
      .number({ message: "Enter a price in dollars, like 40." })
      .int({ message: "Enter a whole price in dollars." })
      .min(0, { message: "A price can't be below $0." })
      .max(1_000_000, { message: "Enter a price up to $10,000 an hour." })
      .optional(),
    tz: TimeZoneSchema.optional(),
    from: HHMMSchema.optional(),
    to: EndHHMMSchema.optional(),
    sort: z.enum(SEARCH_SORTS, { message: "Sort by best match, price, rating or soonest free time." }).default("best"),
    limit: z.coerce.number().int().min(1).max(50).default(20),
  })
  .refine((q) => !!q.from === !!q.to, { message: "Set both times, or neither.", path: ["to"] })
  .refine((q) => !q.from || q.from !== q.to, { message: "The two times must differ.", path: ["to"] });
export type SearchQuery = z.infer<typeof SearchQuerySchema>;

/** Splits minutes-of-week intervals at every UTC midnight (see DAY_MINUTES). */
export function splitByDay(list: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const iv of list) {
    let s = iv.start;
    while (s < iv.end) {
      const e = Math.min(iv.end, (Math.floor(s / DAY_MINUTES) + 1) * DAY_MINUTES);
      out.push({ start: s, end: e });
      s = e;
    }
  }
  return out;
}

/** How many of the student's coming daily windows a search with preferred hours compares (a week of them). */
export const SEARCH_DAYS = 7;

const MINUTE = 60_000;
const DAY = 86_400_000;
const WEEK = WEEK_MINUTES * MINUTE;
const MONDAY_EPOCH = Date.UTC(2024, 0, 1); // a Monday 00:00 UTC: minute 0 of the stored weeks

/** The UTC minute of the week (0 = Monday 00:00 UTC) of instant `t`, as tutors' weekly windows are stored. */
const minuteOfWeek = (t: number) => mod(Math.round((t - MONDAY_EPOCH) / MINUTE), WEEK_MINUTES);
const mod = (n: number, m: number) => ((n % m) + m) % m;

/**
 * A stretch of the student's hours on the stored weekly clock: UTC minutes of the week [start, end), standing for the
 * real instants from `at` on. Tutors' stored windows meeting it are the real overlap at `at`.
 *
 * `realMinutes` is set on the second pass of the hour a fall-back repeats. The calendar opens a wall time in that hour at
 * its first pass (domain/time/expand.ts), so a tutor is free through the second pass only when open at the hour's last
 * minute: the piece is that one stored minute, standing for `realMinutes` real minutes from `at`. (Compared as the
 * first pass is, the hour's stored minutes would be counted twice, and hours running past it not at all.)
 */
export type PreferredPiece = { start: number; end: number; at: number; realMinutes?: number };

/**
 * The student's coming week of preferred hours, ready to compare with tutors' stored weekly windows. Those are held at
 * their zone's offset of now (calendar/rules.ts re-projects them at each clock change), so a tutor whose zone changes
 * its clocks within the searched days is compared with `groups`' pieces instead: the student's hours on the days at
 * the other offset are moved by the difference, which is the same as moving the tutor's hours on those days.
 */
export type SearchWeek = {
  /** Windows are shown from here: the next whole minute (as people read times). */
  shownFrom: number;
  /** For tutors whose zone keeps today's offset through the searched days. */
  preferred: PreferredPiece[];
  /** For tutors in `zones`, whose offset differs from today's on some searched days. */
  groups: { zones: string[]; pieces: PreferredPiece[] }[];
};

/** A clock change of one zone: at instant `at` its offset (ms, local − UTC) goes from `before` to `after`. */
export type ZoneChange = { zone: string; at: number; before: number; after: number };

/**
 * The student's next SEARCH_DAYS daily windows `from`–`to` in zone `tz` (one under way counts whole), each at its own
 * day's offset; an end at or before the start runs past midnight. Times in a spring-forward gap move to the end of it.
 */
export function comingWindows(tz: string, from: string, to: string, now: number): Interval[] {
  const table = offsetTable(tz, now - 2 * DAY, now + (SEARCH_DAYS + 2) * DAY);
  const today = Math.floor((now + offsetAt(table, now)) / DAY);
  const startMin = hhmmToMinutes(from);
  let endMin = hhmmToMinutes(to);
  if (endMin <= startMin) endMin += 1440;
  const shownFrom = Math.ceil(now / MINUTE) * MINUTE;
  const out: Interval[] = [];
  for (let day = today - 1; out.length < SEARCH_DAYS && day <= today + SEARCH_DAYS; day++) {
    const start = wallToInstant(table, day * DAY + startMin * MINUTE, "forward");
    const end = wallToInstant(table, day * DAY + endMin * MINUTE, "forward");
    if (end > start && end > shownFrom) out.push({ start, end });
  }
  return out;
}

/**
 * The search's week: the student's coming windows (comingWindows) laid on the stored weekly clock, at most a week of
 * them so each minute of the week stands for one instant, plus a group of pieces for each set of zones in `changes`
 * whose offset on some of those days is not today's. Offsets are looked up once per zone, never per tutor.
 */
export function searchWeek(tz: string, from: string, to: string, now: number, changes: readonly ZoneChange[] = zoneChangesAround(now)): SearchWeek {
  const windows = comingWindows(tz, from, to, now);
  const spanStart = windows[0]?.start ?? now;
  const spanEnd = spanStart + WEEK;
  const real = windows.map((w) => ({ start: w.start, end: Math.min(w.end, spanEnd) })).filter((w) => w.end > w.start);
  // Zones changing at the same instant by the same amount (most of Europe at once) share one group.
  const groups = new Map<string, { zones: string[]; pieces: PreferredPiece[] }>();
  for (const c of changes) {
    const key = `${c.at}|${c.after - c.before}`;
    const known = groups.get(key);
    if (known) {
      if (known.pieces.length) known.zones.push(c.zone);
      continue;
    }
    // The stored windows are at the offset of now; the days on the other side of the change are at the other one.
    const ahead = now < c.at;
    const other = ahead ? { start: c.at, end: spanEnd } : { start: spanStart, end: c.at };
    const moved = intersect(real, [{ start: Math.max(other.start, spanStart), end: Math.min(other.end, spanEnd) }]);
    const minutes = ahead ? (c.before - c.after) / MINUTE : (c.after - c.before) / MINUTE;
    const again = intersect(real, secondPass(c));
    const rest = subtract(real, again);
    const pieces =
      moved.length || again.length
        ? [
            ...subtract(rest, moved).flatMap((w) => onWeek(w, 0)),
            ...intersect(rest, moved).flatMap((w) => onWeek(w, minutes)),
            ...again.map((w) => onLastRepeatedMinute(w, c, ahead)),
          ]
        : [];
    groups.set(key, { zones: pieces.length ? [c.zone] : [], pieces: pieces.sort((a, b) => a.at - b.at) });
  }
  return { shownFrom: Math.ceil(now / MINUTE) * MINUTE, preferred: real.flatMap((w) => onWeek(w, 0)), groups: [...groups.values()].filter((g) => g.zones.length) };
}

/** The second pass of the hour a fall-back `c` repeats, in real instants; none for a spring-forward. */
const secondPass = (c: ZoneChange): Interval[] => (c.after < c.before ? [{ start: c.at, end: c.at + c.before - c.after }] : []);

/**
 * Real instants `w` of a fall-back's second pass as the repeated hour's last stored minute (PreferredPiece). The stored
 * clock keeps the offset of now: before the change (`ahead`) that minute is the one before it; after it, the one before
 * the second pass ends.
 */
function onLastRepeatedMinute(w: Interval, c: ZoneChange, ahead: boolean): PreferredPiece {
  const last = mod(minuteOfWeek(ahead ? c.at : c.at + c.before - c.after) - 1, WEEK_MINUTES);
  return { start: last, end: last + 1, at: w.start, realMinutes: Math.round((w.end - w.start) / MINUTE) };
}

/**
 * Real instants as pieces of the stored weekly clock, split at its end. `shift` minutes: on these days a tutor's stored
 * hours are that much earlier than their real ones (today's offset minus that day's), so the student's are compared
 * that much earlier too.
 */
function onWeek(w: Interval, shift: number): PreferredPiece[] {
  const start = minuteOfWeek(w.start) - shift;
  const length = Math.round((w.end - w.start) / MINUTE);
  const first = mod(start, WEEK_MINUTES);
  if (first + length <= WEEK_MINUTES) return [{ start: first, end: first + length, at: w.start }];
  const head = WEEK_MINUTES - first;
  return [
    { start: first, end: WEEK_MINUTES, at: w.start },
    { start: 0, end: length - head, at: w.start + head * MINUTE },
  ];
}

/** The pieces a tutor in `zone` is compared with: by its canonical name, whatever name it was stored under. */
export function piecesFor(week: SearchWeek, zone: string): PreferredPiece[] {
  const name = canonicalTimeZone(zone);
  return week.groups.find((g) => g.zones.includes(name))?.pieces ?? week.preferred;
}

/** The real instants where stored minutes [o.start, o.end) of piece `p` are. */
function realOf(p: PreferredPiece, o: Interval): Interval {
  if (p.realMinutes !== undefined) return { start: p.at, end: p.at + p.realMinutes * MINUTE };
  return { start: p.at + (o.start - p.start) * MINUTE, end: p.at + (o.end - p.start) * MINUTE };
}

/** Where a tutor's stored weekly windows meet the student's searched days, as real instants from `shownFrom` on. */
export function weekOverlap(week: SearchWeek, tutorWindows: readonly Interval[], zone: string): { start: string; end: string }[] {
  const tutor = merge(tutorWindows);
  const real = piecesFor(week, zone).flatMap((p) => intersect(tutor, [p]).map((o) => realOf(p, o)));
  return merge(real)
    .filter((w) => w.end > week.shownFrom)
    .map((w) => ({ start: new Date(Math.max(w.start, week.shownFrom)).toISOString(), end: new Date(w.end).toISOString() }));
}

/** Minutes of a tutor's stored weekly windows within the student's searched days (the SQL of search counts the same). */
export function weekOverlapMinutes(week: SearchWeek, tutorWindows: readonly Interval[], zone: string): number {
  const tutor = merge(tutorWindows);
  return piecesFor(week, zone).reduce((sum, p) => sum + intersect(tutor, [p]).reduce((s, o) => s + (o.end - o.start) * (p.realMinutes ?? 1), 0), 0);
}

/** How far either side of the day's start zone changes are looked for: more than a search's span reaches. */
const CHANGE_REACH_BEFORE = 2 * DAY;
const CHANGE_REACH_AFTER = (SEARCH_DAYS + 2) * DAY;
// Offsets are facts of the tz database: the day's changes are worked out once per isolate and day (~400 zones).
let changesOfDay: { day: number; changes: ZoneChange[] } | null = null;

/**
 * The clock changes in the days around `now` of every zone the runtime knows, by the names we store (canonicalTimeZone),
 * and again by each older name of those zones (OLDER_ZONE_NAMES).
 */
export function zoneChangesAround(now: number): ZoneChange[] {
  const day = Math.floor(now / DAY);
  if (changesOfDay?.day !== day) {
    const zones = new Set(Intl.supportedValuesOf("timeZone").map(canonicalTimeZone));
    const changes = zoneChanges([...zones], day * DAY - CHANGE_REACH_BEFORE, day * DAY + CHANGE_REACH_AFTER);
    changesOfDay = { day, changes: [...changes, ...underOlderNames(changes)] };
  }
  return changesOfDay.changes;
}

/**
 * Older names of zones (the tz database's links for renamed and merged zones, UTC's aside), which the runtime's list
 * leaves out. Zones are stored by their canonical name now, but a tutor saved through the API before may have one:
 * search lists these beside their zone, so the database compares such a tutor at the zone's offsets too.
 */
const OLDER_ZONE_NAMES = (
  "Africa/Asmera Africa/Timbuktu America/Argentina/ComodRivadavia America/Atka America/Buenos_Aires America/Catamarca " +
  "America/Coral_Harbour America/Cordoba America/Ensenada America/Fort_Wayne America/Godthab America/Indianapolis " +
  "America/Jujuy America/Knox_IN America/Louisville America/Mendoza America/Montreal America/Nipigon America/Pangnirtung " +
  "America/Porto_Acre America/Rainy_River America/Rosario America/Santa_Isabel America/Shiprock America/Thunder_Bay " +
  "America/Virgin America/Yellowknife Antarctica/South_Pole Asia/Ashkhabad Asia/Calcutta Asia/Choibalsan Asia/Chongqing " +
  "Asia/Chungking Asia/Dacca Asia/Harbin Asia/Istanbul Asia/Kashgar Asia/Katmandu Asia/Macao Asia/Rangoon Asia/Saigon " +
  "Asia/Tel_Aviv Asia/Thimbu Asia/Ujung_Pandang Asia/Ulan_Bator Atlantic/Faeroe Atlantic/Jan_Mayen Australia/ACT " +
  "Australia/Canberra Australia/Currie Australia/LHI Australia/NSW Australia/North Australia/Queensland Australia/South " +
  "Australia/Tasmania Australia/Victoria Australia/West Australia/Yancowinna Brazil/Acre Brazil/DeNoronha Brazil/East " +
  "Brazil/West Canada/Atlantic Canada/Central Canada/Eastern Canada/Mountain Canada/Newfoundland Canada/Pacific " +
  "Canada/Saskatchewan Canada/Yukon Chile/Continental Chile/EasterIsland Europe/Belfast Europe/Kiev Europe/Nicosia " +
  "Europe/Tiraspol Europe/Uzhgorod Europe/Zaporozhye Mexico/BajaNorte Mexico/BajaSur Mexico/General Pacific/Enderbury " +
  "Pacific/Johnston Pacific/Ponape Pacific/Samoa Pacific/Truk Pacific/Yap US/Alaska US/Aleutian US/Arizona US/Central " +
  "US/East-Indiana US/Eastern US/Hawaii US/Indiana-Starke US/Michigan US/Mountain US/Pacific US/Samoa"
).split(" ");

/** `changes` again under each older name of their zones. */
function underOlderNames(changes: readonly ZoneChange[]): ZoneChange[] {
  const byZone = new Map(changes.map((c) => [c.zone, c]));
  return OLDER_ZONE_NAMES.flatMap((name) => {
    const change = byZone.get(canonicalTimeZone(name));
    return change && name !== change.zone ? [{ ...change, zone: name }] : [];
  });
}

/**
 * The clock changes of `zones` between `from` and `to`: each zone is sampled at both ends (no zone changes twice
 * within a dozen days), and a change is found to the second by halving.
 */
export function zoneChanges(zones: readonly string[], from: number, to: number): ZoneChange[] {
  const changes: ZoneChange[] = [];
  for (const zone of zones) {
    const z = IANAZone.create(zone);
    if (!z.isValid) continue;
    const offset = (t: number) => z.offset(t) * MINUTE;
    const before = offset(from);
    const after = offset(to);
    if (before === after) continue;
    let lo = Math.floor(from / 1000);
    let hi = Math.ceil(to / 1000);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offset(mid * 1000) === before) lo = mid;
      else hi = mid;
    }
    changes.push({ zone, at: hi * 1000, before, after });
  }
  return changes;
}
