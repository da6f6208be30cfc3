import { and, isNotNull, lt, or } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { accountTokens, authSessions } from "../../platform/db/schema";
import { pruneAttempts } from "../features/auth/throttle";

const WEEK_MS = 7 * 86_400_000;

/**
 * Daily: sign-in attempts past the throttle's window, sessions past their expiry, and mailed-link tokens a week
 * after they were used or expired. None of them counts for anything any more.
 */
export async function pruneAccounts(env: Env, now: Date) {
  const db = getDb(env);
  const weekAgo = new Date(now.getTime() - WEEK_MS).toISOString();
  const [attempts, sessions, tokens] = await Promise.all([
    pruneAttempts(env.DB, now.getTime()),
    db.delete(authSessions).where(lt(authSessions.expiresAt, now.toISOString())).returning({ id: authSessions.tokenHash }),
    db.delete(accountTokens).where(or(lt(accountTokens.expiresAt, weekAgo), and(isNotNull(accountTokens.usedAt), lt(accountTokens.usedAt, weekAgo)))).returning({ id: accountTokens.tokenHash }),
  ]);
  return { attempts: attempts.meta.changes ?? 0, sessions: sessions.length, tokens: tokens.length };
}
