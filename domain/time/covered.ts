import { DateTime } from "luxon";
import type { Availability } from "../schemas/availability";
import { expandAvailability } from "./expand";

/**
 * The local dates whose hours a change of availability replaces: date overrides added, removed or changed (every
 * override date of either side when the time zone changes).
 */
export function changedOverrideDates(before: Availability | null, after: Availability): Set<string> {
  const hours = (o: Availability["overrides"][number]) => o.intervals.map((i) => `${i.start}-${i.end}`).join(",");
  const was = new Map((before?.overrides ?? []).map((o) => [o.date, hours(o)]));
  const now = new Map(after.overrides.map((o) => [o.date, hours(o)]));
  const zoneMoved = before !== null && before.timezone !== after.timezone;
  const out = new Set<string>();
  for (const [date, h] of now) if (zoneMoved || was.get(date) !== h) out.add(date);
  for (const date of was.keys()) if (!now.has(date)) out.add(date);
  return out;
}

/** An interval that ends after midnight (22:00–02:00): its hours reach into the next date. */
const pastMidnight = (i: { start: string; end: string }) => i.end !== "24:00" && i.end <= i.start;

/** `dates` and, for each whose override (on either side) runs past midnight, the next date, whose early hours it held. */
function withNightSpill(dates: Set<string>, sides: readonly (Availability | null)[]): Set<string> {
  const out = new Set(dates);
  for (const date of dates) {
    const spills = sides.some((a) => a?.overrides.some((o) => o.date === date && o.intervals.some(pastMidnight)));
    if (spills) out.add(DateTime.fromISO(date, { zone: "UTC" }).plus({ days: 1 }).toISODate()!);
  }
  return out;
}

/** Whether the whole of [start, end) is open under `availability` (its rules only: notice and horizon aside). */
export function isOpen(availability: Availability, start: number, end: number): boolean {
  const open = expandAvailability(availability, start, end);
  return open.length === 1 && open[0]!.start === start && open[0]!.end === end;
}

/**
 * The sessions a change of availability would leave outside the tutor's hours because a day off or a date override
 * now covers them: each touches a date whose override changed, in the new zone, and is no longer wholly open.
 * Weekly hours changing under a booked session do not count (a booked session stays; only new bookings follow them).
 */
export function coveredSessions<S extends { start: number; end: number }>(before: Availability | null, after: Availability, sessions: readonly S[]): S[] {
  const dates = withNightSpill(changedOverrideDates(before, after), [before, after]);
  if (!dates.size) return [];
  const dateOf = (ms: number) => DateTime.fromMillis(ms, { zone: after.timezone }).toISODate();
  return sessions.filter((s) => {
    const first = dateOf(s.start);
    const last = dateOf(s.end - 1);
    const touches = (first !== null && dates.has(first)) || (last !== null && dates.has(last));
    return touches && !isOpen(after, s.start, s.end);
  });
}
