import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { externalCalendars, tutorProfiles, users } from "../../../platform/db/schema";

export type ExternalCalendar = typeof externalCalendars.$inferSelect;

/** How many outside calendars one tutor may add. */
export const MAX_CALENDARS_PER_TUTOR = 5;

export const listCalendars = (db: Db, tutorId: string) =>
  db.select().from(externalCalendars).where(eq(externalCalendars.tutorId, tutorId)).orderBy(asc(externalCalendars.createdAt)).all();

export const findCalendar = (db: Db, tutorId: string, id: string) =>
  db.select().from(externalCalendars).where(and(eq(externalCalendars.id, id), eq(externalCalendars.tutorId, tutorId))).get();

/** Adds a calendar unless the tutor has reached the limit (then null). A repeated id returns the existing one. */
export async function addCalendar(db: Db, row: { id: string; tutorId: string; label: string; url: string; createdAt: string }): Promise<ExternalCalendar | null> {
  const existing = await findCalendar(db, row.tutorId, row.id);
  if (existing) return existing;
  const count = (await db.select({ n: sql<number>`count(*)` }).from(externalCalendars).where(eq(externalCalendars.tutorId, row.tutorId)).get())?.n ?? 0;
  if (count >= MAX_CALENDARS_PER_TUTOR) return null;
  await db.insert(externalCalendars).values(row).onConflictDoNothing();
  return (await findCalendar(db, row.tutorId, row.id)) ?? null;
}

export const removeCalendar = (db: Db, tutorId: string, id: string) => db.delete(externalCalendars).where(and(eq(externalCalendars.id, id), eq(externalCalendars.tutorId, tutorId))).run();

/** Calendars whose last sync is older than `before` (or that never synced), oldest first. */
export const dueCalendars = (db: Db, before: string, limit: number) =>
  db
    .select()
    .from(externalCalendars)
    .where(or(isNull(externalCalendars.lastSyncAt), lt(externalCalendars.lastSyncAt, before)))
    .orderBy(sql`${externalCalendars.lastSyncAt} IS NOT NULL`, asc(externalCalendars.lastSyncAt))
    .limit(limit)
    .all();

export async function recordSuccess(db: Db, id: string, at: string, eventCount: number, warning: string | null) {
  await db.update(externalCalendars).set({ lastSyncAt: at, lastSuccessAt: at, lastError: warning, eventCount, failures: 0 }).where(eq(externalCalendars.id, id));
}

export async function recordFailure(db: Db, id: string, at: string, error: string) {
  await db
    .update(externalCalendars)
    .set({ lastSyncAt: at, lastError: error.slice(0, 300), failures: sql`${externalCalendars.failures} + 1` })
    .where(eq(externalCalendars.id, id));
}

/** The zone a tutor's all-day outside events are placed in: their profile's, else their account's. */
export async function tutorZone(db: Db, tutorId: string): Promise<string> {
  const row = await db
    .select({ profile: tutorProfiles.timezone, account: users.timezone })
    .from(users)
    .leftJoin(tutorProfiles, eq(tutorProfiles.userId, users.id))
    .where(eq(users.id, tutorId))
    .get();
  return row?.profile ?? row?.account ?? "UTC";
}
