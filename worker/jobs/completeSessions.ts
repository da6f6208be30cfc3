import { and, eq, lt } from "drizzle-orm";
import { attendanceFacts, settleSession } from "../../domain/billing/settlement";
import { summarizeAttendance } from "../../domain/video/attendance";
import { type Db, getDb } from "../../platform/db/client";
import { bookingParticipants, bookings } from "../../platform/db/schema";
import { attendanceEvents } from "../../platform/video/attendance";
import { calendarOf } from "../lib/stubs";

/** Sessions stay open this long after their end for the tutor to end them; then the system completes them. */
export const COMPLETION_GRACE_MS = 15 * 60_000;

/**
 * Completes confirmed sessions that are over (their tutors' earnings accrue from this, as settlement decides from
 * attendance) — except when settlement would call it the tutor's no-show: a student came to the lesson and the tutor
 * was never there, both counted inside the booked time (a look in before the start or after the end is not coming;
 * domain/billing/settlement.ts). That one is cancelled as the tutor's no-show (students refunded, no earnings,
 * reliability); a student who only looked in before the start, with no tutor either, is nobody coming (`not_attended`).
 */
export async function completePastSessions(env: Env, now: Date): Promise<{ completed: number; tutorNoShows: number }> {
  const db = getDb(env);
  const due = await db
    .select({ id: bookings.id, tutorId: bookings.tutorId, startAt: bookings.startAt, endAt: bookings.endAt })
    .from(bookings)
    .where(and(eq(bookings.status, "confirmed"), lt(bookings.endAt, new Date(now.getTime() - COMPLETION_GRACE_MS).toISOString())))
    .limit(500)
    .all();
  let completed = 0;
  let tutorNoShows = 0;
  for (const b of due) {
    const calendar = calendarOf(env, b.tutorId);
    if (await tutorNeverCame(db, b, now.getTime())) {
      if ((await calendar.tutorNoShow({ tutorId: b.tutorId, sessionId: b.id, now: now.getTime() })).ok) tutorNoShows++;
      continue;
    }
    const r = await calendar.complete({ tutorId: b.tutorId, sessionId: b.id, actor: "system", now: now.getTime() });
    if (r.ok) completed++;
  }
  return { completed, tutorNoShows };
}

/** Whether settlement would make this session the tutor's no-show: the same students (the seats held) and the same facts. */
async function tutorNeverCame(db: Db, b: { id: string; tutorId: string; startAt: string; endAt: string }, now: number): Promise<boolean> {
  const [events, seated] = await Promise.all([
    attendanceEvents(db, b.id),
    db
      .select({ studentId: bookingParticipants.studentId })
      .from(bookingParticipants)
      .where(and(eq(bookingParticipants.bookingId, b.id), eq(bookingParticipants.status, "confirmed")))
      .all(),
  ]);
  const [start, end] = [Date.parse(b.startAt), Date.parse(b.endAt)];
  const report = summarizeAttendance({
    session: { start, end, status: "completed" },
    attendees: [{ userId: b.tutorId, role: "tutor" }, ...seated.map((s) => ({ userId: s.studentId, role: "student" as const }))],
    events,
    now,
  });
  return settleSession({ bookedMinutes: (end - start) / 60_000, ...attendanceFacts(report) }).outcome === "tutor_no_show";
}
