import { inArray } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { users } from "../../../platform/db/schema";

export { attendanceEvents } from "../../../platform/video/attendance";

/** Display names by user id. */
export async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)).all();
  return new Map(rows.map((r) => [r.id, r.name]));
}
