import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../platform/db/client";
import { bookings, earnings, users } from "../../../platform/db/schema";
import { ApiError, notFound } from "../../lib/errors";

const tutors = alias(users, "tutor");

/**
 * Earnings held because the tutor and a student of the session looked like one person (same mailbox or card):
 * what an admin reviews before anything is paid out.
 */
export async function heldEarnings(db: Db) {
  return db
    .select({
      id: earnings.id,
      bookingId: earnings.bookingId,
      tutorId: earnings.tutorId,
      tutorName: tutors.name,
      tutorEmail: tutors.email,
      amountCents: earnings.amountCents,
      holdReason: earnings.holdReason,
      outcome: earnings.outcome,
      sessionEndAt: earnings.sessionEndAt,
      subject: bookings.subject,
    })
    .from(earnings)
    .leftJoin(tutors, eq(tutors.id, earnings.tutorId))
    .leftJoin(bookings, eq(bookings.id, earnings.bookingId))
    .where(eq(earnings.status, "held"))
    .orderBy(desc(earnings.sessionEndAt))
    .limit(200)
    .all();
}

/**
 * An admin's decision on a held earning: approved, it joins the tutor's next payout; rejected, it is never paid
 * (the credits stay spent: the booking was the tutor's own). Only a held earning can be decided, once.
 */
export async function reviewEarning(db: Db, id: string, decision: "approve" | "reject", adminId: string, now = new Date()) {
  const decided = await db
    .update(earnings)
    .set({ status: decision === "approve" ? "accrued" : "rejected", reviewedBy: adminId, reviewedAt: now.toISOString() })
    .where(and(eq(earnings.id, id), eq(earnings.status, "held")))
    .returning({ id: earnings.id, status: earnings.status });
  if (decided[0]) return decided[0];
  const existing = await db.select({ status: earnings.status }).from(earnings).where(eq(earnings.id, id)).get();
  if (!existing) throw notFound("That earning");
  throw new ApiError(409, "already_reviewed", "This earning was already reviewed.");
}
