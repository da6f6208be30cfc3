import { hhmmToMinutes, type Availability } from "../schemas/availability";
import { intersect, merge, type Interval } from "./intervals";
import { offsetAt, offsetTable } from "./zone";

/** Minutes in a week; minute 0 is Monday 00:00 UTC. */
export const WEEK_MINUTES = 10_080;

/**
 * The weekly rules (not overrides) as minutes of the week in UTC, using the zone's offset at
 * `referenceDate`: sorted, merged, split at the week boundary. Tutor search compares these with a
 * student's preferred hours.
 */
export function weeklyMinutesUtc(avail: Availability, referenceDate: number): Interval[] {
  const offsetMinutes = offsetAt(offsetTable(avail.timezone, referenceDate, referenceDate), referenceDate) / 60_000;
  const spans: Interval[] = [];
  for (const rule of avail.weekly) {
    const startOfDay = (rule.weekday - 1) * 1440 - offsetMinutes;
    const startMinute = hhmmToMinutes(rule.start);
    let endMinute = hhmmToMinutes(rule.end);
    if (endMinute <= startMinute) endMinute += 1440;
    const start = mod(startOfDay + startMinute, WEEK_MINUTES);
    const end = start + (endMinute - startMinute);
    if (end <= WEEK_MINUTES) {
      spans.push({ start, end });
    } else {
      spans.push({ start, end: WEEK_MINUTES }, { start: 0, end: end - WEEK_MINUTES });
    }
  }
  return merge(spans);
}

/** The minutes of the week present in both lists (e.g. a tutor's hours and a student's preferred hours). */
export function overlapMinutesOfWeek(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  return intersect(a, b);
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m;
}
