import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../app";
import type { User } from "../../../domain/schemas/auth";
import { getDb } from "../../../platform/db/client";
import { newToken, sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { isActiveAccount } from "./repo";
import { credentialFor, signCredential, signingSecret, verifyCredential } from "./credential";
import { DAY_MS, SESSION_DAYS, createSession, deleteSession, findSession, touchSession } from "./sessionStore";

/** The raw session token: the long-lived secret (only its SHA-256 is stored). */
export const SESSION_COOKIE = "tutorly_session";
/** The signed credential: who the caller is, trusted for 60 s (see credential.ts). */
export const CREDENTIAL_COOKIE = "tutorly_cred";
/** Expiry slides forward at most once a day, and "last seen" moves at most every 5 minutes: few writes. */
const SLIDE_AFTER_MS = DAY_MS;
const SEEN_EVERY_MS = 5 * 60_000;

type Ctx = Context<AppEnv>;

const isLocal = (c: Ctx) => {
  const { hostname, protocol } = new URL(c.req.url);
  return protocol === "http:" && (hostname === "localhost" || hostname === "127.0.0.1" || hostname === "[::1]");
};

const cookieOptions = (c: Ctx, expires: Date) => ({ httpOnly: true, secure: !isLocal(c), sameSite: "Lax" as const, path: "/", expires });

/** The credential cookie lives for the browser session: what it says is only trusted for 60 s anyway. */
async function writeCredential(c: Ctx, sid: string, tokenHash: string, user: User, now: number) {
  const credential = await signCredential(signingSecret(c.env), credentialFor(sid, tokenHash, user, now));
  setCookie(c, CREDENTIAL_COOKIE, credential, { httpOnly: true, secure: !isLocal(c), sameSite: "Lax", path: "/" });
}

/**
 * Signs `user` in on this device: a new session row, its token cookie and a fresh credential. Only for an active
 * account: a fresh credential is believed for its whole bound, so one issued to a suspended or deleted account would
 * let it act on (its callers refuse such accounts with their own answers first; this is the backstop).
 */
export async function startSession(c: Ctx, user: User, now = Date.now()): Promise<void> {
  const db = getDb(c.env);
  if (!(await isActiveAccount(db, user.id))) throw new ApiError(401, "unauthenticated", "Sign in to continue.");
  const token = newToken();
  const tokenHash = await sha256Hex(token);
  const session = await createSession(db, { tokenHash, userId: user.id, userAgent: c.req.header("User-Agent") ?? null, now });
  setCookie(c, SESSION_COOKIE, token, cookieOptions(c, session.expiresAt));
  await writeCredential(c, session.id, tokenHash, user, now);
  c.set("user", user);
  c.set("sessionId", session.id);
  c.set("checkedAt", now);
}

/**
 * The caller behind the cookies. The common path verifies the credential's HMAC and reads nothing; a missing,
 * stale or foreign credential sends it to the session store, which also slides the expiry and re-issues the
 * credential. `undefined` when the session is unknown, revoked, expired or its account is not active.
 */
export async function resolveSession(c: Ctx, now = Date.now(), opts: { recheck?: (user: User) => boolean } = {}): Promise<{ user: User; sessionId: string; checkedAt: number } | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const tokenHash = await sha256Hex(token);
  const credential = getCookie(c, CREDENTIAL_COOKIE);
  const trusted = credential ? await verifyCredential(signingSecret(c.env), credential, tokenHash, now) : null;
  // `recheck`: whose credential is not enough, however fresh (the store is asked for them every time).
  if (trusted && !opts.recheck?.(trusted.user)) return { user: trusted.user, sessionId: trusted.sid, checkedAt: trusted.iat };

  const db = getDb(c.env);
  const found = await findSession(db, tokenHash, now);
  if (!found) {
    clearCookies(c);
    return undefined;
  }
  const { session, user } = found;
  let expires = session.expiresAt;
  const slide = Math.min(now + SESSION_DAYS * DAY_MS, session.absoluteExpiresAt.getTime());
  const slides = slide - expires.getTime() > SLIDE_AFTER_MS;
  if (slides || now - session.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    if (slides) expires = new Date(slide);
    await touchSession(db, tokenHash, { lastSeenAt: now, expiresAt: expires });
    if (slides) setCookie(c, SESSION_COOKIE, token, cookieOptions(c, expires));
  }
  await writeCredential(c, session.id, tokenHash, user, now);
  return { user, sessionId: session.id, checkedAt: now };
}

/**
 * After the caller's own account changed (name, zone, verification): a credential with the new facts, so this
 * device sees them at once. Other devices see them within the credential's bound. It keeps the time the session was
 * last checked against the store: an edit never extends how long a revoked session is still believed.
 */
export async function refreshCredential(c: Ctx, user: User): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  const sid = c.get("sessionId");
  const checkedAt = c.get("checkedAt");
  if (!token || !sid || checkedAt === undefined) return;
  await writeCredential(c, sid, await sha256Hex(token), user, checkedAt);
  c.set("user", user);
}

/**
 * For what outlives a request (a live socket): the caller's session checked against the store now, whatever their
 * credential says, so a session revoked a moment ago opens nothing that would outlast the credential's bound.
 */
export async function sessionIsLive(c: Ctx): Promise<boolean> {
  return (await resolveSession(c, Date.now(), { recheck: () => true })) !== undefined;
}

/** Signs this device out: its session row goes, and both cookies. */
export async function endSession(c: Ctx): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await deleteSession(getDb(c.env), await sha256Hex(token));
  clearCookies(c);
}

export function clearCookies(c: Ctx): void {
  for (const name of [SESSION_COOKIE, CREDENTIAL_COOKIE]) deleteCookie(c, name, { path: "/", secure: !isLocal(c) });
}
