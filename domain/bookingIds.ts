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

/**
 * The occurrences of a weekly series are named after it (`<series id>.<week>`, weeks from 1), so a listing knows
 * which series a booking belongs to without asking anything.
 */
export const occurrenceIdFor = (seriesId: string, week: number) => `${seriesId}.${week}`;

/** The series a booking id belongs to, or null for a single booking. */
export function seriesOfBookingId(id: string): string | null {
  const m = /^(.+~s[^.~]+)\.(\d{1,2})$/.exec(id);
  return m ? m[1]! : null;
}

/** A new series id for `tutorId` (`<tutor id>~s<token>`): it names its tutor like a booking id does. */
export const seriesIdFor = (tutorId: string, token: string) => bookingIdFor(tutorId, `s${token}`);
