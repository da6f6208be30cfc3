import type { Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { and, eq, gt } from "drizzle-orm";
import type { AppEnv } from "../../app";
import type { User } from "../../../domain/schemas/auth";
import { getDb } from "../../../platform/db/client";
import { authSessions, users } from "../../../platform/db/schema";
import { newToken, sha256Hex } from "../../lib/crypto";

export const SESSION_COOKIE = "tutorly_session";
export const SESSION_DAYS = 30;
const DAY_MS = 86_400_000;
/** Expiry slides forward at most once a day, so a busy user does not cost a write per request. */
const SLIDE_AFTER_MS = DAY_MS;

type Ctx = Context<AppEnv>;

const isLocal = (c: Ctx) => {
  const { hostname, protocol } = new URL(c.req.url);
  return protocol === "http:" && (hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]");
};

function writeCookie(c: Ctx, token: string, expires: Date) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: !isLocal(c),
    sameSite: "Lax",
    path: "/",
    expires,
  });
}

export const readSessionCookie = (c: Ctx) => getCookie(c, SESSION_COOKIE);

export async function startSession(c: Ctx, userId: string, now = new Date()): Promise<void> {
  const token = newToken();
  const expires = new Date(now.getTime() + SESSION_DAYS * DAY_MS);
  await getDb(c.env)
    .insert(authSessions)
    .values({
      tokenHash: await sha256Hex(token),
      userId,
      createdAt: now.toISOString(),
      expiresAt: expires.toISOString(),
    });
  writeCookie(c, token, expires);
}

/** The user behind a session token, or undefined when it is unknown, revoked or expired. */
export async function resolveSession(c: Ctx, token: string, now = new Date()): Promise<User | undefined> {
  const db = getDb(c.env);
  const tokenHash = await sha256Hex(token);
  const row = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      timezone: users.timezone,
      expiresAt: authSessions.expiresAt,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .where(and(eq(authSessions.tokenHash, tokenHash), gt(authSessions.expiresAt, now.toISOString())))
    .get();
  if (!row) return undefined;
  const fresh = new Date(now.getTime() + SESSION_DAYS * DAY_MS);
  if (fresh.getTime() - new Date(row.expiresAt).getTime() > SLIDE_AFTER_MS) {
    await db.update(authSessions).set({ expiresAt: fresh.toISOString() }).where(eq(authSessions.tokenHash, tokenHash));
    writeCookie(c, token, fresh);
  }
  const { expiresAt: _, ...user } = row;
  return user;
}

export async function endSession(c: Ctx): Promise<void> {
  const token = readSessionCookie(c);
  if (token) {
    await getDb(c.env)
      .delete(authSessions)
      .where(eq(authSessions.tokenHash, await sha256Hex(token)));
  }
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: !isLocal(c) });
}
