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
