import { and, asc, eq, gt, isNull, lt, notLike, or, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { externalCalendars, tutorProfiles, users } from "../../../platform/db/schema";
import { unseal } from "../../lib/sealed";

export type ExternalCalendar = typeof externalCalendars.$inferSelect;

/** How many outside calendars one tutor may add. */
export const MAX_CALENDARS_PER_TUTOR = 5;

export const listCalendars = (db: Db, tutorId: string) =>
  db.select().from(externalCalendars).where(eq(externalCalendars.tutorId, tutorId)).orderBy(asc(externalCalendars.createdAt)).all();

export const findCalendar = (db: Db, tutorId: string, id: string) =>
  db.select().from(externalCalendars).where(and(eq(externalCalendars.id, id), eq(externalCalendars.tutorId, tutorId))).get();

/** Adds a calendar unless the tutor has reached the limit (then null). A repeated id returns the existing one. */
export async function addCalendar(db: Db, row: { id: string; tutorId: string; label: string; url: string; host: string; createdAt: string }): Promise<ExternalCalendar | null> {
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

/** A full download was read: its counts, what to tell the tutor, and the validators for the next conditional GET. */
export async function recordSuccess(
  db: Db,
  id: string,
  r: { at: string; eventCount: number; skippedEvents: number; warning: string | null; validators: { etag: string | null; lastModified: string | null } },
) {
  await db
    .update(externalCalendars)
    .set({ lastSyncAt: r.at, lastSuccessAt: r.at, lastError: r.warning, eventCount: r.eventCount, skippedEvents: r.skippedEvents, failures: 0, ...r.validators, fetchedAt: r.at })
    .where(eq(externalCalendars.id, id));
}

/** The calendar answered 304: its blocks and what the tutor was told stay as they are. */
export async function recordUnchanged(db: Db, id: string, at: string) {
  await db.update(externalCalendars).set({ lastSyncAt: at, lastSuccessAt: at, failures: 0 }).where(eq(externalCalendars.id, id));
}

/** A failed sync; the next one downloads the calendar whole (a 304 only ever follows a good read). */
export async function recordFailure(db: Db, id: string, at: string, error: string) {
  await db
    .update(externalCalendars)
    .set({ lastSyncAt: at, lastError: error.slice(0, 300), failures: sql`${externalCalendars.failures} + 1`, etag: null, lastModified: null, fetchedAt: null })
    .where(eq(externalCalendars.id, id));
}

/** The row an address is sealed for: a sealed address copied into another row does not open there. */
export const addressContext = (id: string) => `external_calendars.url:${id}`;

/** A calendar's address in the clear (it is stored sealed). */
export const addressOf = (env: Env, cal: Pick<ExternalCalendar, "id" | "url">) => unseal(env, cal.url, addressContext(cal.id));

/** Rows whose address is not sealed under the current key (from before encryption, or before a key rotation). */
export const unsealedAddresses = (db: Db, limit: number) =>
  db.select({ id: externalCalendars.id, url: externalCalendars.url }).from(externalCalendars).where(notLike(externalCalendars.url, "sealed:v1:%")).limit(limit).all();

export const allAddresses = (db: Db, afterId: string, limit: number) =>
  db.select({ id: externalCalendars.id, url: externalCalendars.url }).from(externalCalendars).where(gt(externalCalendars.id, afterId)).orderBy(asc(externalCalendars.id)).limit(limit).all();

/** Replaces a row's stored address, unless it changed in between. */
export async function resealAddress(db: Db, id: string, from: string, to: string, host: string) {
  await db.update(externalCalendars).set({ url: to, host }).where(and(eq(externalCalendars.id, id), eq(externalCalendars.url, from)));
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
