import type { Booking } from "../../../../domain/schemas/booking";
import type { AttendanceView, JoinData } from "../../../../domain/schemas/video";
import { ApiFailure, api, call, messageOf } from "../../lib/api";

/** The caller's booking with this id, from their own list (students and tutors see only theirs). */
export async function findMyBooking(id: string): Promise<Booking | null> {
  const { bookings } = await call(api.bookings.$get({ query: {} }));
  return bookings.find((b) => b.id === id) ?? null;
}

/** Asks to enter the room: the provider's join data and a single-use ticket for the room socket. */
export const joinSession = async (id: string): Promise<JoinData> => await call(api.bookings[":id"].join.$post({ param: { id } }));

/** The tutor ends the session: it is completed and everyone leaves the room. */
export const endSession = async (id: string): Promise<Booking> => (await call(api.bookings[":id"].end.$post({ param: { id } }))).booking;

export const fetchAttendance = async (id: string): Promise<AttendanceView> => (await call(api.bookings[":id"].attendance.$get({ param: { id } }))).attendance;

/** Why the room could not be entered, in words for the user (codes from the join route). */
export function joinErrorText(e: unknown): string {
  if (!(e instanceof ApiFailure)) return messageOf(e);
  switch (e.code) {
    case "not_a_participant":
      return "You're not a participant in this session, so you can't join its room.";
    case "outside_session_window":
      return `The room isn't open right now. ${e.message}`;
    case "session_cancelled":
      return "This session was cancelled.";
    case "session_ended":
      return "This session has ended.";
    case "video_unavailable":
      return "The video service isn't reachable right now. Please try again in a moment.";
    case "video_not_configured":
      return `Calls can't start until this Tutorly server's video is set up. Please tell support. (${e.message})`;
    case "removed_from_session":
      return `${e.message} You can't rejoin this session.`;
    case "not_found":
      return "We couldn't find this session.";
    case "unauthenticated":
      return "Your session has ended. Please log in again.";
    default:
      return e.message;
  }
}
