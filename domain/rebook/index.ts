import { z } from "zod";
import { DurationSchema } from "../schemas/availability";
import { SubjectSchema } from "../schemas/tutor";
import { nextWeeklyStartIntl } from "../time/wallClock";

/** What "My tutors" offers per tutor (the numbers are shown in the UI). */
export const REBOOK_POLICY = {
  /** Free slots listed per tutor, the soonest first. */
  nextFreeCount: 3,
  /** How far ahead the next free slots are looked for. */
  nextFreeDays: 14,
  /** When "the same time next week" is taken: this many free slots nearest to it are offered instead… */
  alternativesCount: 3,
  /** …looked for this many days either side of it. */
  alternativesDays: 3,
  /** At most this many tutors are listed (the most recently met first). */
  maxTutors: 20,
} as const;

const DAY = 86_400_000;

/**
 * "The same time next week": the first start after `nowMs` on the last session's weekday at its wall-clock time in
 * the tutor's zone, one or more weeks after it. Adding calendar weeks in the tutor's zone keeps 09:00 at 09:00 for
 * the tutor across DST changes (the UTC instant moves by the change), placed as weekly lessons place their weeks.
 */
export function sameTimeNextWeek(lastStartMs: number, tutorZone: string, nowMs: number): number {
  // The weekly series from the last session, its first week still ahead (never the last session itself).
  return nextWeeklyStartIntl(lastStartMs, tutorZone, Math.max(nowMs, lastStartMs));
}

type Slot = { start: string; end: string };

/**
 * From the free slots around "the same time next week" (ISO starts), whether that time is free, and if not, the
 * free slots nearest to it (in time order). An earlier slot wins a tie.
 */
export function rebookChoice(slots: readonly Slot[], targetMs: number, count: number = REBOOK_POLICY.alternativesCount): { free: boolean; alternatives: Slot[] } {
  const free = slots.some((s) => Date.parse(s.start) === targetMs);
  if (free) return { free, alternatives: [] };
  const distance = (s: Slot) => Math.abs(Date.parse(s.start) - targetMs);
  const nearest = [...slots].sort((a, b) => distance(a) - distance(b) || Date.parse(a.start) - Date.parse(b.start)).slice(0, count);
  return { free, alternatives: nearest.sort((a, b) => Date.parse(a.start) - Date.parse(b.start)) };
}

/** The window free slots are asked for: from now over the next free days, and around the target. */
export function rebookWindow(targetMs: number, nowMs: number): { from: number; to: number } {
  return { from: nowMs, to: Math.max(nowMs + REBOOK_POLICY.nextFreeDays * DAY, targetMs + REBOOK_POLICY.alternativesDays * DAY) };
}

const SlotSchema = z.object({ start: z.string(), end: z.string() });

/** One tutor on "My tutors" (`GET /api/me/tutors`). */
export const MyTutorSchema = z.object({
  tutor: z.object({ id: z.string(), name: z.string(), timezone: z.string() }),
  /** The last completed session with them. */
  last: z.object({ id: z.string(), start: z.string(), end: z.string(), subject: SubjectSchema, durationMinutes: DurationSchema }),
  /** How many sessions with them were completed. */
  completed: z.number().int(),
  /** The student's next session already booked with them, if any. */
  upcoming: z.object({ id: z.string(), start: z.string(), end: z.string() }).nullable(),
  /** What a session of the last one's length costs now. */
  price: z.object({ creditMinutes: z.number().int() }),
  /** The same weekday and time (the tutor's wall-clock) after the last session, the first still ahead. */
  nextWeek: z.object({ start: z.string(), end: z.string(), free: z.boolean(), alternatives: z.array(SlotSchema) }),
  /** The tutor's soonest free slots of that length. */
  nextFree: z.array(SlotSchema),
});
export type MyTutor = z.infer<typeof MyTutorSchema>;
