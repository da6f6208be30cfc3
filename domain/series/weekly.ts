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

/** An occurrence whose local time for the viewer differs from the first one's (a DST change on one side only). */
export type LocalShift = { start: string; localTime: string; usualTime: string };

/**
 * The occurrences that land at another local time in `viewerZone` than the first one does: the series is fixed
 * in the tutor's wall-clock, so when only one of the two zones changes clocks the viewer's time moves by the
 * difference. "HH:mm" in the viewer's zone; instants as ISO strings with Z.
 */
export function localShifts(startsIso: readonly string[], viewerZone: string): LocalShift[] {
  if (!startsIso.length) return [];
  const hm = (iso: string) => DateTime.fromISO(iso, { zone: viewerZone }).toFormat("HH:mm");
  const usualTime = hm(startsIso[0]!);
  return startsIso.filter((s) => hm(s) !== usualTime).map((start) => ({ start, localTime: hm(start), usualTime }));
}
