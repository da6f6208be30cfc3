import { eq } from "drizzle-orm";
import type { SeatRefund } from "../../../domain/schemas/refund";
import { getDb } from "../../../platform/db/client";
import { bookings, users } from "../../../platform/db/schema";
import { accountOf } from "../../lib/stubs";

/** Why a seat refund gave nothing back, as the error envelope says it. */
export const NOT_REFUNDED = {
  already_refunded: { code: "already_refunded", message: "This seat was already refunded; nothing more was given back." },
  moved: { code: "moved_to_replacement", message: "This seat's credit paid for a replacement session with another tutor; nothing was refunded." },
  nothing_spent: { code: "nothing_to_refund", message: "This seat spent no credit, so there is nothing to refund." },
} as const;

/**
 * The envelope for a seat refund that gave nothing back, saying what happened: a seat replaced by a cheaper tutor
 * names what moved to the replacement and the difference that came back to the student then (or lapsed with a free
 * trial), not the whole amount as if all of it had moved.
 */
export function notRefunded(done: Exclude<SeatRefund, { outcome: "refunded" }>): { code: string; message: string } {
  if (done.outcome !== "moved" || (!done.refundedMinutes && !done.lapsedMinutes)) return NOT_REFUNDED[done.outcome];
  const difference = [
    done.refundedMinutes ? `the ${done.refundedMinutes}-credit-minute difference was refunded to the student then` : "",
    done.lapsedMinutes ? `${done.refundedMinutes ? "another" : "the"} ${done.lapsedMinutes}-credit-minute difference lapsed with the free trial it came from` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return {
    code: NOT_REFUNDED.moved.code,
    message: `${done.minutes} credit-minutes paid for a replacement session with another tutor (at that tutor's lower price) and ${difference}; nothing more was refunded.`,
  };
}

/**
 * Asks the student's wallet to give back what a seat still holds and answers what really happened; a seat whose
 * credit moved to a replacement names that session (its tutor and time from D1, when projected).
 */
export async function refundSeatOf(env: Env, studentId: string, reservationId: string, reason: string): Promise<SeatRefund> {
  const done = await accountOf(env, studentId).refundSeat({ studentId, reservationId, reason: `admin: ${reason}`, now: Date.now() });
  if (done.outcome !== "moved") return done;
  const { sessionId, ...rest } = done;
  if (!sessionId) return { ...rest, replacement: null };
  const session = await getDb(env)
    .select({ start: bookings.startAt, tutorName: users.name })
    .from(bookings)
    .leftJoin(users, eq(users.id, bookings.tutorId))
    .where(eq(bookings.id, sessionId))
    .get();
  return { ...rest, replacement: { sessionId, tutorName: session?.tutorName ?? null, start: session?.start ?? null } };
}
