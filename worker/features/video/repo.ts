import { and, desc, eq, inArray } from "drizzle-orm";
import type { SessionRecordBrief } from "../../../domain/schemas/video";
import { type Db, readInChunks } from "../../../platform/db/client";
import { bookingParticipants, sessionRecords, users } from "../../../platform/db/schema";

export { attendanceEvents } from "../../../platform/video/attendance";

/** Display names by user id, read in chunks (a change of hours can cover sessions of more students than D1 binds). */
export async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await readInChunks(ids, (part) => db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, part)).all());
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
