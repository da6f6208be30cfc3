import { DateTime } from "luxon";
import { weeklyStartsIntl } from "../time/wallClock";

/**
 * The starts of a weekly series: the first start, then the same wall-clock time in the tutor's zone on the same
 * weekday for `weeks` weeks in all. Calendar weeks in the tutor's zone keep 09:00 at 09:00 for the tutor across DST
 * changes (the UTC instant moves by an hour); a start in a DST gap moves forward by the gap, and one in the hour the
 * clocks repeat is its first pass, as the tutor's slots offer it (luxon's `plus({ weeks })` would keep the first
 * week's offset there: a series begun in winter would land on the second pass, which no slot offers). The web app's
 * weekly preview runs the same function.
 */
export const weeklyStarts: (firstStartMs: number, tutorZone: string, weeks: number) => number[] = weeklyStartsIntl;

/**
 * Where a week lands when the rest of a series moves: the first week to move goes from `fromMs` to `toMs`, and every
 * week moves by the same change of the tutor's wall clock — the same number of calendar days, to the new time of day
 * — so "Mondays 09:00 from now on Thursdays 18:00" stays 18:00 for the tutor across DST changes.
 */
export function movedWeekStart(weekStartMs: number, fromMs: number, toMs: number, tutorZone: string): number {
  // The first week goes exactly where asked: a wall time read back could be the other pass of a fall-back's hour.
  if (weekStartMs === fromMs) return toMs;
  const from = DateTime.fromMillis(fromMs, { zone: tutorZone });
  const to = DateTime.fromMillis(toMs, { zone: tutorZone });
  const days = Math.round(to.startOf("day").diff(from.startOf("day"), "days").days);
  const week = DateTime.fromMillis(weekStartMs, { zone: tutorZone });
  return week.startOf("day").plus({ days }).set({ hour: to.hour, minute: to.minute, second: 0, millisecond: 0 }).toMillis();
}
