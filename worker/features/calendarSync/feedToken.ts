import { ApiError } from "../../lib/errors";
import { base64url, newToken } from "../../lib/crypto";
import { log } from "../../lib/log";

/** Environments where a missing FEED_TOKEN_SECRET falls back to a fixed key (never production or staging). */
const LOCAL = new Set(["development", "test", "bench"]);
const LOCAL_SECRET = "tutorly-local-feed-secret-not-for-production";

/** The key feed tokens are derived with: the FEED_TOKEN_SECRET secret, or a fixed one in local environments. */
export function feedSecret(env: { ENVIRONMENT?: string; FEED_TOKEN_SECRET?: string }): string {
  if (env.FEED_TOKEN_SECRET) return env.FEED_TOKEN_SECRET;
  if (env.ENVIRONMENT && LOCAL.has(env.ENVIRONMENT)) return LOCAL_SECRET;
  log.error("FEED_TOKEN_SECRET is not set; calendar feeds are off");
  throw new ApiError(503, "feeds_unavailable", "Calendar feeds are not available right now.");
}

/** A fresh random nonce; rotating a feed is replacing it. */
export const newNonce = newToken;

/**
 * The secret in a feed URL: HMAC-SHA256 of the user and nonce under the feed secret, 256 bits as base64url.
 * Deriving it (rather than storing it) lets the URL be shown again while the database holds only its hash,
 * so a leaked database alone opens no feed.
 */
export async function feedToken(secret: string, userId: string, nonce: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`calendar-feed\u0000${userId}\u0000${nonce}`));
  return base64url(new Uint8Array(mac));
}
