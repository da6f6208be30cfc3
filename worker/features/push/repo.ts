import { and, eq, gt, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { authSessions, pushSubscriptions } from "../../../platform/db/schema";

type Subscription = { endpoint: string; userId: string; sessionId: string; p256dh: string; auth: string; now: string };

/**
 * Saves a browser's subscription under the session it was made in (a browser that changes hands moves to its new
 * user and session), read off that session's row in the same statement: a session revoked a moment ago, whose
 * credential is still believed, subscribes nothing. Undefined then. The row goes with its session (ON DELETE CASCADE).
 */
export async function saveSubscription(db: Db, s: Subscription) {
  const [saved] = await db
    .insert(pushSubscriptions)
    .select(
      db
        .select({
          endpoint: sql<string>`${s.endpoint}`.as("endpoint"),
          userId: authSessions.userId,
          sessionId: authSessions.id,
          p256dh: sql<string>`${s.p256dh}`.as("p256dh"),
          auth: sql<string>`${s.auth}`.as("auth"),
          createdAt: sql<string>`${s.now}`.as("created_at"),
          lastSuccessAt: sql<string | null>`null`.as("last_success_at"),
        })
        .from(authSessions)
        .where(and(eq(authSessions.id, s.sessionId), eq(authSessions.userId, s.userId), gt(authSessions.expiresAt, s.now))),
    )
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: { userId: s.userId, sessionId: s.sessionId, p256dh: s.p256dh, auth: s.auth, createdAt: s.now } })
    .returning({ endpoint: pushSubscriptions.endpoint, createdAt: pushSubscriptions.createdAt });
  return saved;
}

/**
 * Forgets every browser of the user, for when all their sessions end (a password reset, signing out everywhere):
 * those of each session, and those saved before subscriptions recorded their session, which could be any one's.
 */
export const forgetAllSubscriptions = (db: Db, userId: string) => db.delete(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));

/** Moves the subscriptions of one of the user's sessions to the session that replaces it on the same browser. */
export const moveSubscriptions = (db: Db, userId: string, from: string, to: string) =>
  db.update(pushSubscriptions).set({ sessionId: to }).where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.sessionId, from)));
