import { and, desc, eq, gt, ne } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { authSessions, users } from "../../../platform/db/schema";
import type { User } from "../../../domain/schemas/auth";

export const DAY_MS = 86_400_000;
/** A session slides to 30 days from its last use, and ends 90 days after sign-in whatever happens. */
export const SESSION_DAYS = 30;
export const ABSOLUTE_SESSION_DAYS = 90;

/** The columns a `User` is made of, and the mapping; every query that returns a user uses these. */
export const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  timezone: users.timezone,
  locale: users.locale,
  emailVerifiedAt: users.emailVerifiedAt,
};
export type UserRow = { id: string; email: string; name: string; role: User["role"]; timezone: string; locale: string; emailVerifiedAt: string | null };
/** A `User` from any row that has its columns: those fields and no other (a row may carry the password hash). */
export const toUser = ({ id, email, name, role, timezone, locale, emailVerifiedAt }: UserRow): User => ({ id, email, name, role, timezone, locale, emailVerified: emailVerifiedAt !== null });

const iso = (ms: number) => new Date(ms).toISOString();

export async function createSession(db: Db, s: { tokenHash: string; userId: string; userAgent: string | null; now: number }) {
  const id = crypto.randomUUID();
  const expiresAt = new Date(s.now + SESSION_DAYS * DAY_MS);
  await db.insert(authSessions).values({
    tokenHash: s.tokenHash,
    id,
    userId: s.userId,
    createdAt: iso(s.now),
    lastSeenAt: iso(s.now),
    expiresAt: expiresAt.toISOString(),
    absoluteExpiresAt: iso(s.now + ABSOLUTE_SESSION_DAYS * DAY_MS),
    userAgent: s.userAgent?.slice(0, 256) ?? null,
  });
  return { id, expiresAt };
}

/** A live session of an active account: unexpired by both its sliding and its absolute lifetime. */
export async function findSession(db: Db, tokenHash: string, now: number) {
  const row = await db
    .select({ ...userColumns, sid: authSessions.id, expiresAt: authSessions.expiresAt, absoluteExpiresAt: authSessions.absoluteExpiresAt, lastSeenAt: authSessions.lastSeenAt, createdAt: authSessions.createdAt })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(and(eq(authSessions.tokenHash, tokenHash), gt(authSessions.expiresAt, iso(now)), eq(users.status, "active")))
    .get();
  if (!row || !row.sid) return undefined;
  const { sid, expiresAt, absoluteExpiresAt, lastSeenAt, createdAt, ...user } = row;
  const absolute = absoluteExpiresAt ? Date.parse(absoluteExpiresAt) : Date.parse(createdAt) + ABSOLUTE_SESSION_DAYS * DAY_MS;
  if (absolute <= now) return undefined;
  return {
    user: toUser(user),
    session: { id: sid, expiresAt: new Date(expiresAt), absoluteExpiresAt: new Date(absolute), lastSeenAt: new Date(lastSeenAt ?? createdAt) },
  };
}

export const touchSession = (db: Db, tokenHash: string, t: { lastSeenAt: number; expiresAt: Date }) =>
  db.update(authSessions).set({ lastSeenAt: iso(t.lastSeenAt), expiresAt: t.expiresAt.toISOString() }).where(eq(authSessions.tokenHash, tokenHash));

export const deleteSession = (db: Db, tokenHash: string) => db.delete(authSessions).where(eq(authSessions.tokenHash, tokenHash));

/** The user's signed-in devices, most recently used first. */
export const listSessions = (db: Db, userId: string, now: number) =>
  db
    .select({ id: authSessions.id, createdAt: authSessions.createdAt, lastSeenAt: authSessions.lastSeenAt, expiresAt: authSessions.expiresAt, userAgent: authSessions.userAgent })
    .from(authSessions)
    .where(and(eq(authSessions.userId, userId), gt(authSessions.expiresAt, iso(now))))
    .orderBy(desc(authSessions.lastSeenAt))
    .all();

/** Ends one of the user's sessions by its public id; false when it is not theirs (or gone). */
export async function revokeSession(db: Db, userId: string, id: string): Promise<boolean> {
  const gone = await db.delete(authSessions).where(and(eq(authSessions.userId, userId), eq(authSessions.id, id))).returning({ id: authSessions.id });
  return gone.length > 0;
}

/** Ends every session of the user, or every one but `exceptId`. */
export const revokeAllSessions = (db: Db, userId: string, exceptId?: string) =>
  db.delete(authSessions).where(and(eq(authSessions.userId, userId), exceptId ? ne(authSessions.id, exceptId) : undefined));
