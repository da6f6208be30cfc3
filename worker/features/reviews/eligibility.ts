import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { sessionAttendance } from "../../../platform/db/schema";

/**
 * Who may rate a session publicly. A rating moves the tutor's public average, their place in search and in other
 * students' replacement offers, so only a student who was at the lesson may give one: it took place (completed),
 * they held a seat in it to the end, it was not settled as attended by nobody, and the room saw them join.
 */
export type ReviewFacts = {
  status: string;
  /** The student's own seat. */
  seat: string;
  /** How the session was settled from attendance (null until then). */
  outcome: string | null;
  /** Whether the room recorded the student joining. */
  present: boolean;
};

export const mayReview = (f: ReviewFacts): boolean => f.status === "completed" && f.seat === "confirmed" && f.outcome !== "not_attended" && f.present;

/** Ids per query: D1 binds at most 100 parameters to a statement. */
const CHUNK = 90;

/** Of `bookingIds`, those whose room saw `studentId` join as a student. */
export async function attendedBy(db: Db, studentId: string, bookingIds: string[]): Promise<Set<string>> {
  const chunks = Array.from({ length: Math.ceil(bookingIds.length / CHUNK) }, (_, i) => bookingIds.slice(i * CHUNK, (i + 1) * CHUNK));
  const found = await Promise.all(
    chunks.map((ids) =>
      db
        .selectDistinct({ bookingId: sessionAttendance.bookingId })
        .from(sessionAttendance)
        .where(and(eq(sessionAttendance.userId, studentId), eq(sessionAttendance.role, "student"), eq(sessionAttendance.kind, "join"), inArray(sessionAttendance.bookingId, ids)))
        .all(),
    ),
  );
  return new Set(found.flat().map((r) => r.bookingId));
}
