import { DateTime } from "luxon";

/**
 * The starts of a weekly series: the first start, then the same wall-clock time in the tutor's zone on the same
 * weekday for `weeks` weeks in all. Adding calendar weeks in the tutor's zone keeps 09:00 at 09:00 for the tutor
 * across DST changes (the UTC instant moves by an hour); a start that would fall in a DST gap moves forward by
 * the gap, as luxon resolves it.
 */
export function weeklyStarts(firstStartMs: number, tutorZone: string, weeks: number): number[] {
  const first = DateTime.fromMillis(firstStartMs, { zone: tutorZone });
  return Array.from({ length: weeks }, (_, k) => first.plus({ weeks: k }).toMillis());
}

