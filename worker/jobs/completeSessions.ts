import { and, eq, lt } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { bookings, sessionAttendance } from "../../platform/db/schema";
import { calendarOf } from "../lib/stubs";

/** Sessions stay open this long after their end for the tutor to end them; then the system completes them. */
export const COMPLETION_GRACE_MS = 15 * 60_000;

/**
 * Completes confirmed sessions that are over (their tutors' earnings accrue from this) — except when students
 * came to the room and the tutor never did: that is the tutor's no-show (students refunded, no earnings).
 * Sessions nobody joined are completed as booked (students who skip a session are not refunded).
 */
export async function completePastSessions(env: Env, now: Date): Promise<{ completed: number; tutorNoShows: number }> {
  const due = await getDb(env)
    .select({ id: bookings.id, tutorId: bookings.tutorId })
    .from(bookings)
    .where(and(eq(bookings.status, "confirmed"), lt(bookings.endAt, new Date(now.getTime() - COMPLETION_GRACE_MS).toISOString())))
    .limit(500)
    .all();
  let completed = 0;
  let tutorNoShows = 0;
  for (const b of due) {
    const joined = new Set(
      (await getDb(env).selectDistinct({ userId: sessionAttendance.userId }).from(sessionAttendance).where(and(eq(sessionAttendance.bookingId, b.id), eq(sessionAttendance.kind, "join"))).all()).map((r) => r.userId),
    );
    const calendar = calendarOf(env, b.tutorId);
    if (joined.size > 0 && !joined.has(b.tutorId)) {
      if ((await calendar.tutorNoShow({ tutorId: b.tutorId, sessionId: b.id, now: now.getTime() })).ok) tutorNoShows++;
      continue;
    }
    const r = await calendar.complete({ tutorId: b.tutorId, sessionId: b.id, actor: "system", now: now.getTime() });
    if (r.ok) completed++;
  }
  return { completed, tutorNoShows };
}
