import { createMiddleware } from "hono/factory";
import { type AppEnv, newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { sessionIsLive } from "../auth/session";
import { renderAndStore } from "../../../platform/calendarFeed/render";
import { log } from "../../../platform/log";
import { findFeed, rotateFeed } from "./feedRepo";
import { INITIAL_NONCE, feedSecret, feedToken, newNonce } from "./feedToken";

/** The feed URL for a nonce: https, and webcal:// for one-click subscribing. */
async function present(env: Env, origin: string, userId: string, feed: { nonce: string; rotatedAt: string } | undefined) {
  const token = await feedToken(feedSecret(env), userId, feed?.nonce ?? INITIAL_NONCE);
  const url = `${origin}/ical/${token}.ics`;
  return { url, webcalUrl: url.replace(/^https?:/, "webcal:"), rotatedAt: feed?.rotatedAt ?? null };
}

/** The user's feed URL; reading it writes nothing. */
const feedUrl = async (env: Env, userId: string, origin: string) => present(env, origin, userId, await findFeed(getDb(env), userId));

/**
 * A tutor asking for their feed URL is about to subscribe to it: render it now, after the answer, so the calendar
 * app's first GET is served a kept render (and every change re-renders it; see TutorCalendar's `feed` effect).
 */
function renderAhead(c: { env: Env; executionCtx: { waitUntil(p: Promise<unknown>): void } }, user: { id: string; name: string; locale: string }, origin: string) {
  c.executionCtx.waitUntil(
    renderAndStore(c.env, { id: user.id, role: "tutor", name: user.name, locale: user.locale }, origin, Date.now()).catch((e) => log.warn("feed render ahead failed", { userId: user.id, error: String(e) })),
  );
}

/** A new feed URL for the user; the old one stops working. */
async function rotatedFeedUrl(env: Env, userId: string, origin: string) {
  feedSecret(env); // refuse before writing when feeds are off
  return present(env, origin, userId, await rotateFeed(getDb(env), userId, newNonce(), new Date().toISOString()));
}

const originOf = (c: { req: { url: string } }) => new URL(c.req.url).origin;

/**
 * The URL outlives the request (it sits in calendar apps for years), so it is handed out only to a session the
 * store still has, like a live socket: a session revoked a moment ago, whose credential is still believed, gets none.
 */
const liveSession = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await sessionIsLive(c))) throw unauthenticated();
  await next();
});

/**
 * The secret iCal feed URL of the signed-in tutor or student, and rotating it (the old URL stops working).
 * Rotation takes no Idempotency-Key on purpose: a replay store would keep the secret URL in plain text.
 */
export const feedRoutes = newApp()
  .get("/tutors/me/calendar-feed", requireRole("tutor"), liveSession, async (c) => {
    const me = currentUser(c);
    renderAhead(c, me, originOf(c));
    return c.json(await feedUrl(c.env, me.id, originOf(c)), 200);
  })
  .post("/tutors/me/calendar-feed/rotate", requireRole("tutor"), liveSession, async (c) => c.json(await rotatedFeedUrl(c.env, currentUser(c).id, originOf(c)), 200))
  .get("/me/calendar-feed", requireRole("student", "tutor"), liveSession, async (c) => c.json(await feedUrl(c.env, currentUser(c).id, originOf(c)), 200))
  .post("/me/calendar-feed/rotate", requireRole("student", "tutor"), liveSession, async (c) => c.json(await rotatedFeedUrl(c.env, currentUser(c).id, originOf(c)), 200));
