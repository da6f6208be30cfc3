import { and, eq, lt } from "drizzle-orm";
import { summarizeAttendance } from "../../domain/video/attendance";
import { getDb } from "../../platform/db/client";
import { bookings } from "../../platform/db/schema";
import { attendanceEvents } from "../../platform/video/attendance";
import { calendarOf } from "../lib/stubs";

/** Sessions stay open this long after their end for the tutor to end them; then the system completes them. */
export const COMPLETION_GRACE_MS = 15 * 60_000;

/**
 * Completes confirmed sessions that are over (their tutors' earnings accrue from this, as settlement decides from
 * attendance) — except when students came to the room and the tutor was never there inside the booked time (a look
 * in after the end does not count): that is the tutor's no-show (students refunded, no earnings, reliability).
 */
export async function completePastSessions(env: Env, now: Date): Promise<{ completed: number; tutorNoShows: number }> {
  const due = await getDb(env)
    .select({ id: bookings.id, tutorId: bookings.tutorId, startAt: bookings.startAt, endAt: bookings.endAt })
    .from(bookings)
    .where(and(eq(bookings.status, "confirmed"), lt(bookings.endAt, new Date(now.getTime() - COMPLETION_GRACE_MS).toISOString())))
    .limit(500)
    .all();
  let completed = 0;
  let tutorNoShows = 0;
  for (const b of due) {
    const events = await attendanceEvents(getDb(env), b.id);
    const studentsCame = events.some((e) => e.kind === "join" && e.userId !== b.tutorId);
    const [tutor] = summarizeAttendance({
      session: { start: Date.parse(b.startAt), end: Date.parse(b.endAt), status: "completed" },
      attendees: [{ userId: b.tutorId, role: "tutor" }],
      events,
      now: now.getTime(),
    }).attendees;
    const calendar = calendarOf(env, b.tutorId);
    if (studentsCame && !tutor?.presentMs) {
      if ((await calendar.tutorNoShow({ tutorId: b.tutorId, sessionId: b.id, now: now.getTime() })).ok) tutorNoShows++;
      continue;
    }
    const r = await calendar.complete({ tutorId: b.tutorId, sessionId: b.id, actor: "system", now: now.getTime() });
    if (r.ok) completed++;
  }
  return { completed, tutorNoShows };
}
