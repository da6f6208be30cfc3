import { newApp } from "../../app";
import { getDb } from "../../db/client";
import { sha256Hex } from "../../lib/crypto";
import { currentUser, requireRole } from "../../middleware/auth";
import { type FeedRow, ensureFeed, rotateFeed } from "./feedRepo";
import { feedSecret, feedToken, newNonce } from "./feedToken";

async function freshFeed(secret: string, userId: string) {
  const nonce = newNonce();
  return { nonce, tokenHash: await sha256Hex(await feedToken(secret, userId, nonce)), now: new Date().toISOString() };
}

/** What the API says about a feed: its secret URL (https, and webcal:// for one-click subscribing). */
async function present(origin: string, secret: string, feed: FeedRow) {
  const url = `${origin}/ical/${await feedToken(secret, feed.userId, feed.nonce)}.ics`;
  return { url, webcalUrl: url.replace(/^https?:/, "webcal:"), createdAt: feed.createdAt, rotatedAt: feed.rotatedAt };
}

/** The user's feed URL, creating the feed on first use. */
async function feedUrl(env: Env, userId: string, origin: string) {
  const secret = feedSecret(env);
  return present(origin, secret, await ensureFeed(getDb(env), userId, await freshFeed(secret, userId)));
}

/** A new feed URL for the user; the old one stops working. */
async function rotatedFeedUrl(env: Env, userId: string, origin: string) {
  const secret = feedSecret(env);
  return present(origin, secret, await rotateFeed(getDb(env), userId, await freshFeed(secret, userId)));
}

const originOf = (c: { req: { url: string } }) => new URL(c.req.url).origin;

/**
 * The secret iCal feed URL of the signed-in tutor or student, and rotating it (the old URL stops working).
 * Rotation takes no Idempotency-Key on purpose: a replay store would keep the secret URL in plain text.
 */
export const feedRoutes = newApp()
  .get("/tutors/me/calendar-feed", requireRole("tutor"), async (c) => c.json(await feedUrl(c.env, currentUser(c).id, originOf(c)), 200))
  .post("/tutors/me/calendar-feed/rotate", requireRole("tutor"), async (c) => c.json(await rotatedFeedUrl(c.env, currentUser(c).id, originOf(c)), 200))
  .get("/me/calendar-feed", requireRole("student", "tutor"), async (c) => c.json(await feedUrl(c.env, currentUser(c).id, originOf(c)), 200))
  .post("/me/calendar-feed/rotate", requireRole("student", "tutor"), async (c) => c.json(await rotatedFeedUrl(c.env, currentUser(c).id, originOf(c)), 200));
