import { and, eq, exists, lte } from "drizzle-orm";
import { getDb } from "../../../platform/db/client";
import { bookings, users, waitlistEntries } from "../../../platform/db/schema";
import { log } from "../../../platform/log";
import { calendarOf } from "../../lib/stubs";

type Place = { studentId: string; sessionId: string; tutorId: string };

/**
 * A place in the line of a session that has started (by the projection): nothing waits there any more. Asked per
 * place (each by its booking's key), not as a list of every session ever started, which grows with the history.
 */
const inStartedSession = (db: ReturnType<typeof getDb>, now: number) =>
  exists(db.select({ id: bookings.id }).from(bookings).where(and(eq(bookings.id, waitlistEntries.sessionId), lte(bookings.startAt, new Date(now).toISOString()))));

/**
 * Notes that the student waits in this session's line (the calendar put them there), and answers whether their account
 * is still active. Written and read in one transaction, so a suspension or deletion racing the join either finds the
 * note (and takes them out of the line) or is seen here (and the caller takes them out).
 */
export async function rememberPlace(env: { DB: D1Database }, p: Place, now: number): Promise<boolean> {
  const db = getDb(env);
  const [, , account] = await db.batch([
    db.delete(waitlistEntries).where(and(eq(waitlistEntries.studentId, p.studentId), inStartedSession(db, now))),
    db
      .insert(waitlistEntries)
      .values({ ...p, joinedAt: new Date(now).toISOString() })
      .onConflictDoUpdate({ target: [waitlistEntries.studentId, waitlistEntries.sessionId], set: { tutorId: p.tutorId } }),
    db.select({ status: users.status }).from(users).where(eq(users.id, p.studentId)),
  ]);
  return account[0]?.status === "active";
}

/** The student left this line. */
export async function forgetPlace(env: { DB: D1Database }, studentId: string, sessionId: string): Promise<void> {
  const db = getDb(env);
  await db.delete(waitlistEntries).where(and(eq(waitlistEntries.studentId, studentId), eq(waitlistEntries.sessionId, sessionId)));
}

/**
 * Takes a student whose account is suspended or deleted out of every line they wait in, so no freed seat is held for
 * someone who cannot take it; a seat held for them passes to the next in line at once (as leaving does). Lines of
 * sessions that have started are only forgotten. One a calendar cannot answer for is logged and kept for a next time.
 */
export async function leaveEveryWaitlist(env: Env, studentId: string, now: number): Promise<void> {
  const db = getDb(env);
  await db.delete(waitlistEntries).where(and(eq(waitlistEntries.studentId, studentId), inStartedSession(db, now)));
  const places = await db.select().from(waitlistEntries).where(eq(waitlistEntries.studentId, studentId)).all();
  for (const p of places) {
    try {
      const left = await calendarOf(env, p.tutorId).leaveWaitlist({ tutorId: p.tutorId, sessionId: p.sessionId, studentId, now });
      if (!left.ok && left.code !== "not_found") {
        log.warn("a waitlist place could not be given up", { sessionId: p.sessionId, userId: studentId, code: left.code });
        continue;
      }
      await forgetPlace(env, studentId, p.sessionId);
    } catch (e) {
      log.warn("a waitlist place could not be given up", { sessionId: p.sessionId, userId: studentId, error: String(e) });
    }
  }
}
