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
 */
export async function cancelUpcomingSessions(env: Env, user: { id: string; role: Role }, actor: { id: string; role: Role }, reason: string, now: number): Promise<number> {
  const db = getDb(env);
  const from = new Date(now).toISOString();
  const upcoming = user.role === "tutor" ? await listForTutor(db, user.id, { status: "confirmed", from }) : user.role === "student" ? await listForStudent(db, user.id, { status: "confirmed", from }) : [];
  let cancelled = 0;
  for (const b of upcoming.filter((b) => Date.parse(b.start) > now)) {
    const calendar = calendarOf(env, b.tutorId);
    const change = { tutorId: b.tutorId, sessionId: b.id, actor, reason, now };
    const outcome = user.role === "student" ? await calendar.cancelForStudent({ ...change, studentId: user.id }) : await calendar.cancel(change);
    if (outcome.ok) cancelled++;
    else log.warn("a session could not be cancelled", { bookingId: b.id, userId: user.id, code: outcome.code });
  }
  return cancelled;
}
