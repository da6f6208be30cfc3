import type { Booking } from "../../../domain/schemas/booking";
import type { JoinableSession } from "../../../domain/video/access";
import { notFound } from "../../lib/errors";
import { calendarOf } from "../../lib/stubs";
import { tutorOfBooking } from "../bookings/locate";

/** A booking as its tutor's calendar knows it (the source of truth), in the shape the video rules take. */
export type RoomSession = { booking: Booking; session: JoinableSession };

/** Loads a booking from its tutor's calendar; 404 when there is no such booking. */
export async function loadRoomSession(env: Env, bookingId: string): Promise<RoomSession> {
  const tutorId = await tutorOfBooking(env, bookingId);
  const found = await calendarOf(env, tutorId).getSession(bookingId);
  if (!found) throw notFound("That booking");
  const { booking } = found;
  return {
    booking,
    session: { tutorId: booking.tutorId, studentIds: booking.studentIds, status: booking.status, start: Date.parse(booking.start), end: Date.parse(booking.end) },
  };
}

/** The booking's tutor, one of its confirmed students, or an admin. */
export const canSeeRoom = (s: JoinableSession, user: { id: string; role: string }) =>
  user.role === "admin" || (user.role === "tutor" && user.id === s.tutorId) || (user.role === "student" && s.studentIds.includes(user.id));
