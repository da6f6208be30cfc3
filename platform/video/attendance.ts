import { asc, eq } from "drizzle-orm";
import type { AttendanceEvent } from "../../domain/video/attendance";
import type { Db } from "../db/client";
import { sessionAttendance } from "../db/schema";

/** Every join and leave recorded in a booking's room, oldest first (the API shows them; settlement pays by them). */
export async function attendanceEvents(db: Db, bookingId: string): Promise<AttendanceEvent[]> {
  const rows = await db.select().from(sessionAttendance).where(eq(sessionAttendance.bookingId, bookingId)).orderBy(asc(sessionAttendance.at)).all();
  return rows.map((r) => ({ userId: r.userId, connectionId: r.connectionId, kind: r.kind, at: Date.parse(r.at) }));
}
