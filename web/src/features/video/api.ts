import type { Booking } from "../../../../domain/schemas/booking";
import type { AttendanceView, JoinData } from "../../../../domain/schemas/video";
import { ApiFailure, api, call, messageOf } from "../../lib/api";
import { t } from "../../i18n";

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

/** Why the room could not be entered, in the viewer's language (codes from the join route, said from the catalogs). */
export function joinErrorText(e: unknown): string {
  if (e instanceof ApiFailure && e.code === "not_found") return t("room.connection.notFound");
  if (e instanceof ApiFailure && e.code === "removed_from_session") return t("room.connection.removed", { reason: messageOf(e) });
  // What is missing (the server names its settings) is for support, so it is passed on as it comes.
  if (e instanceof ApiFailure && e.code === "video_not_configured") return t("room.connection.notConfigured", { detail: e.message });
  return messageOf(e);
}
