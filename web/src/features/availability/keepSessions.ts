import type { Override } from "../../../../domain/schemas/availability";
import { fetchBookingDetail } from "../bookings/detail";
import { addDays, dayOf } from "../../lib/time";

type Rules = { timezone: string; overrides: Override[] };

const hoursOf = (o: Override | undefined) => (o ? o.intervals.map((i) => `${i.start}-${i.end}`).join(",") : null);
/** An interval that ends after midnight (22:00–02:00) holds the next date's early hours. */
const pastMidnight = (o: Override | undefined) => !!o?.intervals.some((i) => i.end !== "24:00" && i.end <= i.start);

/**
 * The draft's overrides with every date a booked session falls on put back as saved (`saved` null: nothing saved
 * yet), so the save keeps those sessions and takes every other change. A session touches its start and end dates in
 * the draft's zone, and the date before when an override there runs past midnight into it (domain/time/covered.ts
 * counts the same dates). `kept`: the dates whose change was left out, sorted.
 */
export function withSessionDatesKept(saved: Rules | null, draft: Rules, sessions: readonly { start: string; end: string }[]): { overrides: Override[]; kept: string[] } {
  const was = new Map((saved?.overrides ?? []).map((o) => [o.date, o]));
  const now = new Map(draft.overrides.map((o) => [o.date, o]));
  const changed = (date: string) => hoursOf(was.get(date)) !== hoursOf(now.get(date));
  const kept = new Set<string>();
  for (const s of sessions) {
    const first = dayOf(s.start, draft.timezone);
    const last = dayOf(Date.parse(s.end) - 1, draft.timezone);
    for (const date of new Set([first, last])) {
      if (changed(date)) kept.add(date);
      const before = addDays(date, -1);
      if (changed(before) && (pastMidnight(was.get(before)) || pastMidnight(now.get(before)))) kept.add(before);
    }
  }
  const overrides = [...draft.overrides.filter((o) => !kept.has(o.date)), ...[...kept].flatMap((d) => (was.has(d) ? [structuredClone(was.get(d)!)] : []))];
  return { overrides: overrides.sort((a, b) => a.date.localeCompare(b.date)), kept: [...kept].sort() };
}

/** The start and end of the booked sessions a refused save named, read one by one (the tutor sees each of them). */
export const sessionTimes = async (ids: readonly string[]) => Promise.all(ids.map(async (id) => (await fetchBookingDetail(id)).booking));
