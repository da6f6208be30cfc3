import { sql } from "drizzle-orm";
import { causeReason } from "../../../domain/notifications/messages";
import type { Role } from "../../../domain/schemas/common";
import { getDb } from "../../../platform/db/client";
import { users } from "../../../platform/db/schema";
import { log } from "../../../platform/log";
import { accountOf, calendarOf } from "../../lib/stubs";
import { listForStudent, listForTutor } from "./repo";

type Held = { sessionId: string; tutorId: string; start: number };

/**
 * The account's next status version, set in the statement that changes its status (a suspension, a restore, a
 * deletion), which answers it: D1 orders the changes, and the objects they reach follow that order, not the order
 * their calls land in.
 */
export const nextStatusVersion = () => sql`${users.statusVersion} + 1`;

/**
 * An account closes (suspended or deleted): first it takes nothing new, in the object every booking of theirs goes
 * through — a student's wallet spends nothing more, a tutor's calendar books nothing more — and that object answers
 * exactly what it holds from now on; then all of that, and what D1 lists, is cancelled. Their signed credential is
 * trusted for up to a minute, and D1's listings follow each booking, so neither alone is enough. Answers how many
 * sessions were cancelled or left, or null when the object had already applied a newer status change (`version`,
 * users.status_version: a restore that got in first): the account is open again, and nothing is closed or cancelled.
 */
export async function closeAccountSessions(env: Env, user: { id: string; role: Role }, actor: { id: string; role: Role }, now: number, version: number): Promise<number | null> {
  const held: Held[] | null =
    user.role === "student"
      ? await accountOf(env, user.id).closeAccount({ studentId: user.id, now, version })
      : user.role === "tutor"
        ? await calendarOf(env, user.id).closeBookings({ tutorId: user.id, now, version })
        : [];
  if (!held) return null;
  // The reason is a cause code: each reader is told in their words that an account closed, not which nor why.
  return cancelUpcomingSessions(env, user, actor, causeReason("account_closed"), now, held);
}

/**
 * Cancels the user's sessions still to come, each through its tutor's calendar as `actor` would (its rules decide
 * refunds and notices): an account that is going away, or suspended, leaves nobody waiting for a lesson that will not
 * happen. A student gives up only their own seat in a group (each week of a weekly seat too): the tutor and the
 * classmates keep their lesson. Answers how many were cancelled or left; one that cannot be is logged and skipped.
 * `held`: the sessions as the object that owns them holds them, cancelled too when D1 does not list them yet.
 */
async function cancelUpcomingSessions(env: Env, user: { id: string; role: Role }, actor: { id: string; role: Role }, reason: string, now: number, held: Held[]): Promise<number> {
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
