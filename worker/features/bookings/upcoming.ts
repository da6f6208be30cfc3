import type { Role } from "../../../domain/schemas/common";
import { getDb } from "../../../platform/db/client";
import { log } from "../../../platform/log";
import { calendarOf } from "../../lib/stubs";
import { listForStudent, listForTutor } from "./repo";

/**
 * Cancels the user's sessions still to come, each through its tutor's calendar as `actor` would (its rules decide
 * refunds and notices): an account that is going away, or suspended, leaves nobody waiting for a lesson that will not
 * happen. A student gives up only their own seat in a group (each week of a weekly seat too): the tutor and the
 * classmates keep their lesson. Answers how many were cancelled or left; one that cannot be is logged and skipped.
 * `held`: a student's lessons as their wallet holds them (its `closeAccount` answer), cancelled too when D1 does not
 * list them yet (its projection follows each booking).
 */
export async function cancelUpcomingSessions(env: Env, user: { id: string; role: Role }, actor: { id: string; role: Role }, reason: string, now: number, held: { sessionId: string; tutorId: string; start: number }[] = []): Promise<number> {
  const db = getDb(env);
  const from = new Date(now).toISOString();
  const listed = user.role === "tutor" ? await listForTutor(db, user.id, { status: "confirmed", from }) : user.role === "student" ? await listForStudent(db, user.id, { status: "confirmed", from }) : [];
  const upcoming = new Map(listed.filter((b) => Date.parse(b.start) > now).map((b) => [b.id, b.tutorId]));
  for (const h of held) if (h.start > now && !upcoming.has(h.sessionId)) upcoming.set(h.sessionId, h.tutorId);
  let cancelled = 0;
  for (const [sessionId, tutorId] of upcoming) {
    const calendar = calendarOf(env, tutorId);
    const change = { tutorId, sessionId, actor, reason, now };
    const outcome = user.role === "student" ? await calendar.cancelForStudent({ ...change, studentId: user.id }) : await calendar.cancel(change);
    if (outcome.ok) cancelled++;
    else log.warn("a session could not be cancelled", { bookingId: sessionId, userId: user.id, code: outcome.code });
  }
  return cancelled;
}
