import { and, eq, inArray } from "drizzle-orm";
import { type AttendanceEvent, summarizeAttendance } from "../../../domain/video/attendance";
import { type Db, inChunks } from "../../../platform/db/client";
import { bookings, sessionAttendance } from "../../../platform/db/schema";

/**
 * Who may rate a session publicly. A rating moves the tutor's public average, their place in search and in other
 * students' replacement offers, so only a student who was at the lesson may give one: it took place (completed),
 * they held a seat in it to the end, it was not settled as attended by nobody, and the room had them in it for some
 * of the booked time (a look in before the start that never came back is not coming, as settlement counts it).
 */
export type ReviewFacts = {
  status: string;
  /** The student's own seat. */
  seat: string;
  /** How the session was settled from attendance (null until then). */
  outcome: string | null;
  /** Whether the student was in the room for some of the booked time. */
  present: boolean;
};

export const mayReview = (f: ReviewFacts): boolean => f.status === "completed" && f.seat === "confirmed" && f.outcome !== "not_attended" && f.present;

/**
 * Of `bookingIds`, those `studentId` attended as a student: in the room for some of the booked time, by the rule
 * settlement pays by (domain/video/attendance.ts). Visits left open count up to the booking's last change, as
 * settlement counts them up to the completion.
 */
export async function attendedBy(db: Db, studentId: string, bookingIds: string[]): Promise<Set<string>> {
  // The ids go in parts: D1 binds at most 100 parameters to a statement.
  const found = await Promise.all(
    inChunks(bookingIds).map((ids) =>
      db
        .select({
          bookingId: sessionAttendance.bookingId,
          connectionId: sessionAttendance.connectionId,
          kind: sessionAttendance.kind,
          at: sessionAttendance.at,
          startAt: bookings.startAt,
          endAt: bookings.endAt,
          updatedAt: bookings.updatedAt,
        })
        .from(sessionAttendance)
        .innerJoin(bookings, eq(bookings.id, sessionAttendance.bookingId))
        .where(and(eq(sessionAttendance.userId, studentId), eq(sessionAttendance.role, "student"), inArray(sessionAttendance.bookingId, ids)))
        .all(),
    ),
  );
  const byBooking = new Map<string, typeof found[number]>();
  for (const r of found.flat()) byBooking.set(r.bookingId, [...(byBooking.get(r.bookingId) ?? []), r]);
  const attended = new Set<string>();
  for (const [bookingId, rows] of byBooking) {
    const [first] = rows;
    if (!first) continue;
    const events = rows.map((r): AttendanceEvent => ({ userId: studentId, connectionId: r.connectionId, kind: r.kind, at: Date.parse(r.at) }));
    const [me] = summarizeAttendance({
      session: { start: Date.parse(first.startAt), end: Date.parse(first.endAt), status: "completed" },
      attendees: [{ userId: studentId, role: "student" }],
      events,
      now: Date.parse(first.updatedAt),
    }).attendees;
    if (me?.status === "attended") attended.add(bookingId);
  }
  return attended;
}
