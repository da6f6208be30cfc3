import { z } from "zod";
import { FEED_RULES, bookingEvents, feedWindow } from "../../../domain/ical/bookingFeed";
import { renderFeed } from "../../../domain/ical/feed";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { sha256Hex } from "../../lib/crypto";
import { notFound } from "../../lib/errors";
import { feedBookings, feedOwner } from "./feedRepo";
import { INITIAL_NONCE, claimedUser, feedSecret, feedToken, isCurrentToken } from "./feedToken";

/** Bump when the rendering changes, so clients holding an old ETag (and the cache) get the new body. */
const FEED_VERSION = 1;
const FEED_CACHE = "ical-feeds";
const CACHE_SECONDS = 24 * 3600;


/** `<token>.ics`; anything else is a plain 404, like a wrong token. */
const FeedFile = z.string().max(300).regex(/\.ics$/);

/** True when the client's If-None-Match names `etag` (a list, weak or `*`). */
const matches = (header: string | undefined, etag: string) =>
  !!header && header.split(",").some((t) => ["*", etag].includes(t.trim().replace(/^W\//, "")));

/**
 * `GET /ical/<token>.ics`: a user's sessions as RFC 5545 for their calendar app. Anyone with the URL can read
 * it, so the token is the whole of the authorization: it is recomputed for the user it names and compared by
 * digest in constant time, a wrong one is a plain 404 like an unknown user, and what is shown is the owner's
 * own sessions (a student's feed never names classmates).
 */
export const icalRoutes = newApp().get("/:file", async (c) => {
  const file = FeedFile.safeParse(c.req.param("file"));
  if (!file.success) throw notFound("That calendar feed");
  const token = file.data.slice(0, -".ics".length);
  const claimed = claimedUser(token);
  if (!claimed) throw notFound("That calendar feed");
  const owner = await feedOwner(getDb(c.env), claimed);
  // A suspended or deleted account's feed stops with the account (its URL may sit in calendars for years).
  if (!owner || owner.role === "admin" || owner.status !== "active") throw notFound("That calendar feed");
  if (!(await isCurrentToken(token, await feedToken(feedSecret(c.env), owner.id, owner.nonce ?? INITIAL_NONCE)))) throw notFound("That calendar feed");
  const viewer = { id: owner.id, role: owner.role };
  const window = feedWindow(Date.now());
  const origin = new URL(c.req.url).origin;
  const { rows, raw } = await feedBookings(c.env.DB, viewer, window);
  // The rows (with the owner and origin) are all the body is made of: their hash is the ETag, and a client
  // that has this version gets its 304 without the feed being rendered at all.
  const etag = `"${(await sha256Hex(JSON.stringify([FEED_VERSION, origin, owner.name, viewer, raw]))).slice(0, 32)}"`;
  const headers = {
    ETag: etag,
    "Cache-Control": "private, max-age=0, must-revalidate",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
  };
  if (matches(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
  const ics = { ...headers, "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": 'inline; filename="tutorly.ics"' };
  // Most calendar apps poll without If-None-Match: a version rendered before is served from the cache,
  // keyed by the ETag (which covers the owner, so one user's version can never answer another's URL).
  const cache = await caches.open(FEED_CACHE);
  const key = new Request(`https://feed-cache.invalid/${etag.slice(1, -1)}`);
  const cached = await cache.match(key);
  if (cached) return c.body(await cached.arrayBuffer(), 200, ics);
  const body = renderFeed({
    name: `Tutorly — ${owner.name}`,
    description: owner.role === "tutor" ? "Your Tutorly sessions as a tutor" : "Your Tutorly sessions",
    refreshMinutes: FEED_RULES.refreshMinutes,
    events: bookingEvents(rows, viewer, { origin, window }),
  });
  c.executionCtx.waitUntil(cache.put(key, new Response(body.slice(), { headers: { "Cache-Control": `max-age=${CACHE_SECONDS}` } })));
  return c.body(body as Uint8Array<ArrayBuffer>, 200, ics);
});
