import { ApiError } from "../../lib/errors";
import { base64url, fromBase64url, newToken, sha256Hex, timingSafeEqual } from "../../lib/crypto";
import { isLocalEnvironment } from "../../../platform/environment";
import { log } from "../../../platform/log";

/** Where FEED_TOKEN_SECRET is missing in a local environment, feeds use this fixed key (never anywhere else). */
const LOCAL_SECRET = "tutorly-local-feed-secret-not-for-production";

/** The nonce of a feed that was never rotated (no row is stored for it). */
export const INITIAL_NONCE = "initial";

/** The key feed tokens are derived with: the FEED_TOKEN_SECRET secret, or a fixed one in local environments. */
export function feedSecret(env: { ENVIRONMENT?: string; FEED_TOKEN_SECRET?: string }): string {
  if (env.FEED_TOKEN_SECRET) return env.FEED_TOKEN_SECRET;
  if (isLocalEnvironment(env)) return LOCAL_SECRET;
  log.error("FEED_TOKEN_SECRET is not set; calendar feeds are off");
  throw new ApiError(503, "feeds_unavailable", "Calendar feeds are not available right now.");
}

/** A fresh random nonce; rotating a feed is replacing it. */
export const newNonce = newToken;

const utf8 = new TextEncoder();

/**
 * The secret in a feed URL: `<user id, base64url>.<HMAC-SHA256 of the user and nonce under the feed secret>`
 * (256 bits). Deriving it rather than storing it lets the URL be shown again and keeps reading it free of
 * writes; neither the token nor its hash is kept anywhere, and a leaked database opens no feed.
 */
export async function feedToken(secret: string, userId: string, nonce: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, utf8.encode(`calendar-feed\u0000${userId}\u0000${nonce}`));
  return `${base64url(utf8.encode(userId))}.${base64url(new Uint8Array(mac))}`;
}

const TOKEN = /^([A-Za-z0-9_-]{1,200})\.[A-Za-z0-9_-]{43}$/;

/** Whose feed a token claims to open (not yet checked), or null when it is not a token at all. */
export function claimedUser(token: string): string | null {
  const m = TOKEN.exec(token);
  if (!m) return null;
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(fromBase64url(m[1]!));
  } catch {
    return null;
  }
}

/** Whether `candidate` is the current token: compared by SHA-256 digest, in constant time. */
export async function isCurrentToken(candidate: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(candidate), sha256Hex(expected)]);
  return timingSafeEqual(utf8.encode(a), utf8.encode(b));
}
