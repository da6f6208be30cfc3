import { type Role, fetchAllBookings } from "./admin";

/** Who is being suspended, as far as counting their sessions goes (a user row, or the person a report names). */
export type Suspendable = { id: string; role: Role };

/**
 * The sessions to come that suspending `u` would cancel, from the admin bookings list: their confirmed sessions not
 * yet started (as a student, those they still hold a seat in). Admins have none.
 */
export async function upcomingSessions(u: Suspendable): Promise<number> {
  if (u.role === "admin") return 0;
  const now = Date.now();
  const from = new Date(now).toISOString();
  const list = await fetchAllBookings(u.role === "tutor" ? { status: "confirmed", from, tutorId: u.id } : { status: "confirmed", from, studentId: u.id });
  return list.filter((b) => Date.parse(b.start) > now && (u.role === "tutor" || b.studentIds.includes(u.id))).length;
}
