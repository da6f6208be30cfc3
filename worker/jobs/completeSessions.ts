import { and, eq, lt } from "drizzle-orm";
import { getDb } from "../db/client";
import { bookings } from "../db/schema";
import { calendarOf } from "../lib/stubs";

/** Sessions stay open this long after their end for the tutor to end them; then the system completes them. */
export const COMPLETION_GRACE_MS = 15 * 60_000;

/** Completes confirmed sessions that are over (their tutors' earnings accrue from this). */
export async function completePastSessions(env: Env, now: Date): Promise<{ completed: number }> {
  const due = await getDb(env)
    .select({ id: bookings.id, tutorId: bookings.tutorId })
    .from(bookings)
    .where(and(eq(bookings.status, "confirmed"), lt(bookings.endAt, new Date(now.getTime() - COMPLETION_GRACE_MS).toISOString())))
    .limit(500)
    .all();
  let completed = 0;
  for (const b of due) {
    const r = await calendarOf(env, b.tutorId).complete({ tutorId: b.tutorId, sessionId: b.id, actor: "system", now: now.getTime() });
    if (r.ok) completed++;
  }
  return { completed };
}
