import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { type CancelCause, causeOfReason } from "../../../domain/notifications/messages";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { bookingParticipants, creditLedger, earnings, users } from "../../../platform/db/schema";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { bookingFor } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * Who cancelled and why. `byName` is English for API clients; the SPA words it in the viewer's language from `byMe`
 * (the viewer cancelled) and `byRole` (an admin is "Tutorly support"). `reason` is what a person typed, as typed;
 * `cause` is Tutorly's own reason (a paused plan, a tutor's no-show, an account closed), a code for the viewer's words.
 */
type Cancellation = { byName: string; byRole: "student" | "tutor" | "admin" | "system"; byMe: boolean; cause: CancelCause | null; reason: string | null; at: string | null };
/** What the viewer paid or earned: a student's credits spent, refunded and moved on; a tutor's earning. */
type Receipt =
  | { kind: "student"; spentMinutes: number; refundedMinutes: number; movedMinutes: number }
  | { kind: "tutor"; earningCents: number | null; currency: string; paidOut: boolean };

/**
 * `GET /api/bookings/:id`: one session's page for its people (the link in feeds, emails and notices): the booking,
 * its tutor, who cancelled and why, and the viewer's receipt. 404 for anyone else.
 */
export const bookingDetailRoutes = newApp().get("/bookings/:id", requireRole(), validate("param", IdParam), async (c) => {
  const me = currentUser(c);
  const db = getDb(c.env);
  const booking = await bookingFor(db, c.req.valid("param").id, me);
  if (!booking) throw notFound("That session");
  const { cancelledBy, cancelReason, cancelledAt, ...rest } = booking;
  const ids = [booking.tutorId, ...(cancelledBy && cancelledBy !== "system" ? [cancelledBy] : [])];
  const people = await db.select({ id: users.id, name: users.name, role: users.role, timezone: users.timezone }).from(users).where(inArray(users.id, ids)).all();
  const tutor = people.find((p) => p.id === booking.tutorId);
  const canceller = people.find((p) => p.id === cancelledBy);
  const cause = causeOfReason(cancelReason, cancelledBy === "system" || !cancelledBy);
  const reason = cause ? null : cancelReason;
  const cancellation: Cancellation | null =
    booking.status !== "cancelled"
      ? null
      : cancelledBy === "system" || (!cancelledBy && cause === "tutor_no_show")
        ? { byName: "Tutorly", byRole: "system", byMe: false, cause, reason, at: cancelledAt }
        : canceller
          ? { byName: canceller.role === "admin" ? "Tutorly support" : canceller.name, byRole: canceller.role, byMe: canceller.id === me.id, cause, reason, at: cancelledAt }
          : me.role === "student"
            ? // A seat of a session that goes on: the student gave it up.
              { byName: "You", byRole: "student", byMe: true, cause: null, reason: null, at: null }
            : null;
  return c.json({ booking: rest, tutor: tutor ? { id: tutor.id, name: tutor.name, timezone: tutor.timezone } : null, cancellation, receipt: await receiptOf(db, booking, me) }, 200);
});

async function receiptOf(db: ReturnType<typeof getDb>, booking: { id: string }, me: { id: string; role: string }): Promise<Receipt | null> {
  if (me.role === "tutor") {
    const earned = await db.select().from(earnings).where(eq(earnings.bookingId, booking.id)).get();
    return { kind: "tutor", earningCents: earned?.amountCents ?? null, currency: earned?.currency ?? "usd", paidOut: !!earned?.payoutId };
  }
  if (me.role !== "student") return null;
  const seat = await db.select({ reservationId: bookingParticipants.reservationId }).from(bookingParticipants).where(and(eq(bookingParticipants.bookingId, booking.id), eq(bookingParticipants.studentId, me.id))).get();
  if (!seat) return null;
  const rows = await db.select({ kind: creditLedger.kind, minutes: creditLedger.minutes, reason: creditLedger.reason }).from(creditLedger).where(and(eq(creditLedger.userId, me.id), eq(creditLedger.reservationId, seat.reservationId))).all();
  const sum = (pick: (r: (typeof rows)[number]) => boolean) => rows.filter(pick).reduce((s, r) => s + r.minutes, 0);
  const moved = (r: (typeof rows)[number]) => r.kind === "refund" && r.reason === "moved to a replacement booking";
  return { kind: "student", spentMinutes: sum((r) => r.kind === "debit"), refundedMinutes: sum((r) => r.kind === "refund" && !moved(r)), movedMinutes: sum(moved) };
}
