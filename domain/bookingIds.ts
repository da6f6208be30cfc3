/**
 * Booking ids carry their tutor (`<tutor id>~<token>`), so a route can address the tutor's calendar object, which
 * holds the booking, without looking the booking up anywhere. Bookings made before this rule have plain ids.
 */
const SEPARATOR = "~";

export const bookingIdFor = (tutorId: string, token: string) => `${tutorId}${SEPARATOR}${token}`;

/** The tutor named by a booking id, or null for an id that names none (an older booking). */
export function tutorOfBookingId(id: string): string | null {
  const at = id.indexOf(SEPARATOR);
  return at > 0 && at < id.length - 1 ? id.slice(0, at) : null;
}
