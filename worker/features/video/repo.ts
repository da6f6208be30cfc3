import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { SessionRecordBrief } from "../../../domain/schemas/video";
import type { AttendanceEvent } from "../../../domain/video/attendance";
import type { Db } from "../../../platform/db/client";
import { bookingParticipants, sessionAttendance, sessionRecords, users } from "../../../platform/db/schema";

/** Every join and leave recorded in a booking's room, oldest first. */
export async function attendanceEvents(db: Db, bookingId: string): Promise<AttendanceEvent[]> {
  const rows = await db.select().from(sessionAttendance).where(eq(sessionAttendance.bookingId, bookingId)).orderBy(asc(sessionAttendance.at)).all();
  return rows.map((r) => ({ userId: r.userId, connectionId: r.connectionId, kind: r.kind, at: Date.parse(r.at) }));
}

/** Display names by user id. */
export async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)).all();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** What the caller's sessions left behind: a tutor's own sessions, a student's confirmed seats. */
export async function recordsFor(db: Db, user: { id: string; role: string }): Promise<SessionRecordBrief[]> {
  const mine =
    user.role === "tutor"
      ? eq(sessionRecords.tutorId, user.id)
      : inArray(
          sessionRecords.bookingId,
          db
            .select({ id: bookingParticipants.bookingId })
            .from(bookingParticipants)
            .where(and(eq(bookingParticipants.studentId, user.id), eq(bookingParticipants.status, "confirmed"))),
        );
  const rows = await db.select().from(sessionRecords).where(mine).orderBy(desc(sessionRecords.updatedAt)).limit(500).all();
  return rows.map((r) => ({
    bookingId: r.bookingId,
    summary: r.summary === null || r.summaryAt === null ? null : { summary: r.summary, homework: r.homework ?? "", writtenAt: r.summaryAt, updatedAt: r.updatedAt },
    hasNotes: r.notes.trim().length > 0,
    boardPages: r.boardPages,
    boardItems: r.boardItems,
  }));
}
