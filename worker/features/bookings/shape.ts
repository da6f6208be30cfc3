import type { Booking } from "../../../domain/schemas/booking";
import type { User } from "../../../domain/schemas/auth";

/**
 * A booking as `viewer` may see it: its tutor and admins see everything (the tutor's earning included); a student
 * sees their own seat — not the tutor's earning, nor who else sits in a group.
 */
export function forViewer(b: Booking, viewer: Pick<User, "id" | "role">): Booking {
  if (viewer.role === "admin" || (viewer.role === "tutor" && viewer.id === b.tutorId)) return b;
  const { tutorEarningCents: _, participants: __, taughtMinutes: ___, ...seen } = b;
  return { ...seen, studentIds: b.studentIds.filter((id) => id === viewer.id) };
}
