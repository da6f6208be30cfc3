import { z } from "zod";
import { AvailabilityInputSchema, EndHHMMSchema, HHMMSchema } from "./schemas/availability";
import { TimeZoneSchema } from "./schemas/common";
import { SEARCH_SORTS, SEARCH_TEXT_MAX } from "./searchTerms";
import { type Interval, WEEK_MINUTES, intersect, merge, weeklyMinutesUtc } from "./time";

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

/** A student's preferred daily hours in their zone as UTC minutes-of-week, at the zone's offset `now`. */
export function preferredWindows(tz: string, from: string, to: string, now: number): Interval[] {
  const daily = AvailabilityInputSchema.parse({
    timezone: tz,
    weekly: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: from, end: to })),
    overrides: [],
  });
  return weeklyMinutesUtc(daily, now);
}

const MONDAY_EPOCH = Date.UTC(2024, 0, 1); // a Monday 00:00 UTC

/** Minutes-of-week windows as the next concrete instants on or after `now` (within the coming 7 days). */
export function nextOccurrences(windows: readonly Interval[], now: number): { start: string; end: string }[] {
  const week = WEEK_MINUTES * 60_000;
  // A window already under way is shown from the next whole minute, as people read times.
  const from = Math.ceil(now / 60_000) * 60_000;
  const weekStart = from - ((from - MONDAY_EPOCH) % week);
  return merge(windows)
    .map((w) => {
      let start = weekStart + w.start * 60_000;
      let end = weekStart + w.end * 60_000;
      if (end <= from) {
        start += week;
        end += week;
      }
      return { start: Math.max(start, from), end };
    })
    .sort((a, b) => a.start - b.start)
    .map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString() }));
}

export const overlapOf = (tutorWindows: readonly Interval[], preferred: readonly Interval[]) => intersect(merge(tutorWindows), merge(preferred));
