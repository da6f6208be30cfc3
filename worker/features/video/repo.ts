import { asc, eq, inArray } from "drizzle-orm";
import type { AttendanceEvent } from "../../../domain/video/attendance";
import type { Db } from "../../../platform/db/client";
import { sessionAttendance, users } from "../../../platform/db/schema";

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
