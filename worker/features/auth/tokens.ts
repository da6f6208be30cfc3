import { and, count, desc, eq, gt, isNull, ne } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { accountTokens } from "../../../platform/db/schema";
import { newToken, sha256Hex } from "../../lib/crypto";

type Purpose = (typeof accountTokens.$inferSelect)["purpose"];

/** How long a mailed link works. */
export const TOKEN_TTL_MS: Record<Purpose, number> = {
  password_reset: 30 * 60_000,
  verify_email: 48 * 60 * 60_000,
};

const iso = (ms: number) => new Date(ms).toISOString();

/** A new single-use token for `email` (stored as its SHA-256); the token itself goes only into the email. */
export async function issueToken(db: Db, t: { userId: string; purpose: Purpose; email: string; now: number }) {
  const token = newToken();
  const expiresAt = t.now + TOKEN_TTL_MS[t.purpose];
  await db.insert(accountTokens).values({ tokenHash: await sha256Hex(token), userId: t.userId, purpose: t.purpose, email: t.email, createdAt: iso(t.now), expiresAt: iso(expiresAt) });
  return { token, expiresAt: iso(expiresAt) };
}

/**
 * Uses a token up: one UPDATE that only an unused, unexpired token of that purpose passes, so two clicks on
 * the same link cannot both succeed. Null when the link is unknown, used or expired.
 */
export async function consumeToken(db: Db, token: string, purpose: Purpose, now: number, forUser?: string) {
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: iso(now) })
    .where(and(openToken(await sha256Hex(token), purpose, now), forUser ? eq(accountTokens.userId, forUser) : undefined))
    .returning({ userId: accountTokens.userId, email: accountTokens.email });
  return row ?? null;
}

/** Whether `token` is an open link of `purpose` (issued to anyone), without using it. */
export async function isOpenToken(db: Db, token: string, purpose: Purpose, now: number): Promise<boolean> {
  return !!(await db.select({ id: accountTokens.userId }).from(accountTokens).where(openToken(await sha256Hex(token), purpose, now)).get());
}

const openToken = (hash: string, purpose: Purpose, now: number) =>
  and(eq(accountTokens.tokenHash, hash), eq(accountTokens.purpose, purpose), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, iso(now)));

/** Tokens of a purpose issued to the user since `since`: what limits resends. */
export async function tokensSince(db: Db, userId: string, purpose: Purpose, since: number) {
  const row = await db
    .select({ n: count() })
    .from(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, purpose), gt(accountTokens.createdAt, iso(since))))
    .get();
  return row?.n ?? 0;
}

/** The newest open link to another address: an email change waiting for its confirmation. */
export const pendingEmailOf = async (db: Db, userId: string, currentEmail: string, now: number) => {
  const row = await db
    .select({ email: accountTokens.email })
    .from(accountTokens)
    .where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, "verify_email"), isNull(accountTokens.usedAt), gt(accountTokens.expiresAt, iso(now))))
    .orderBy(desc(accountTokens.createdAt))
    .get();
  return row && row.email !== currentEmail ? row.email : null;
};

/**
 * Voids the user's open links that a new password or address makes stale: every password reset, and every address
 * confirmation but one for `keepEmail` (the account's own address, still to be confirmed). A pending change of address
 * ends with them, so whoever asked for it must ask again.
 */
export const voidStaleTokens = (db: Db, userId: string, keepEmail: string, now: number) =>
  db.batch([
    db.update(accountTokens).set({ usedAt: iso(now) }).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, "password_reset"), isNull(accountTokens.usedAt))),
    db.update(accountTokens).set({ usedAt: iso(now) }).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, "verify_email"), ne(accountTokens.email, keepEmail), isNull(accountTokens.usedAt))),
  ]);

/**
 * Voids every other account's open links to `email` (password resets and confirmations), once `userId` confirmed the
 * address: no other account can take it now, and a stranger's link to it must not look as if it could.
 */
export const voidOthersLinks = (db: Db, userId: string, email: string, now: number) =>
  db.update(accountTokens).set({ usedAt: iso(now) }).where(and(eq(accountTokens.email, email), ne(accountTokens.userId, userId), isNull(accountTokens.usedAt)));
