import { eq } from "drizzle-orm";
import { tutorOfBookingId } from "../../../domain/bookingIds";
import { getDb } from "../../../platform/db/client";
import { bookings } from "../../../platform/db/schema";
import { notFound } from "../../lib/errors";

/**
 * The tutor whose calendar holds a booking: named by the booking id itself (no lookup), or, for bookings made
 * before ids carried their tutor, read from the D1 projection. 404 when neither knows it.
 */
export async function tutorOfBooking(env: { DB: D1Database }, bookingId: string): Promise<string> {
  const named = tutorOfBookingId(bookingId);
  if (named) return named;
  const row = await getDb(env).select({ tutorId: bookings.tutorId }).from(bookings).where(eq(bookings.id, bookingId)).get();
  if (!row) throw notFound("That booking");
  return row.tutorId;
}
