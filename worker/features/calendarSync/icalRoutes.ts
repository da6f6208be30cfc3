import { z } from "zod";
import { decompress, etagFor, feedWatermark, keptRender, renderAndStore } from "../../../platform/calendarFeed/render";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { notFound } from "../../lib/errors";
import { feedOwner } from "./feedRepo";
import { INITIAL_NONCE, claimedUser, feedSecret, feedToken, isCurrentToken } from "./feedToken";

/** `<token>.ics`; anything else is a plain 404, like a wrong token. */
const FeedFile = z.string().max(300).regex(/\.ics$/);

/** True when the client's If-None-Match names `etag` (a list, weak or `*`). */
const matches = (header: string | undefined, etag: string) =>
  !!header && header.split(",").some((t) => ["*", etag].includes(t.trim().replace(/^W\//, "")));

const takesGzip = (header: string | undefined) => !!header && /\bgzip\b/.test(header);

/**
 * `GET /ical/<token>.ics`: a user's sessions as RFC 5545 for their calendar app. Anyone with the URL can read
 * it, so the token is the whole of the authorization: it is recomputed for the user it names and compared by
 * digest in constant time, a wrong one is a plain 404 like an unknown user, and what is shown is the owner's
 * own sessions (a student's feed never names classmates).
 *
 * A feed is rendered ahead of the request (when its URL is handed out, and after every change to a tutor's
 * sessions) and kept under its ETag, which is checked against a watermark of the rows without reading them: a client
 * with the current version gets its 304 (the kept bytes unread), any other the kept render (gzip when it takes it;
 * from this isolate's memory when it made or read it last), and only a feed with no current render is rendered here
 * (and kept for the next).
 */
export const icalRoutes = newApp().get("/:file", async (c) => {
  const file = FeedFile.safeParse(c.req.param("file"));
  if (!file.success) throw notFound("That calendar feed");
  const token = file.data.slice(0, -".ics".length);
  const claimed = claimedUser(token);
  if (!claimed) throw notFound("That calendar feed");
  const now = Date.now();
  // The owner and the watermark of the rows they would see are read side by side (for either role; the owner's
  // row says which counts), so a GET costs one round of D1 reads before the kept render.
  const [owner, asTutor, asStudent] = await Promise.all([feedOwner(getDb(c.env), claimed), feedWatermark(c.env.DB, claimed, "tutor", now), feedWatermark(c.env.DB, claimed, "student", now)]);
  // A suspended or deleted account's feed stops with the account (its URL may sit in calendars for years).
  if (!owner || owner.role === "admin" || owner.status !== "active") throw notFound("That calendar feed");
  if (!(await isCurrentToken(token, await feedToken(feedSecret(c.env), owner.id, owner.nonce ?? INITIAL_NONCE)))) throw notFound("That calendar feed");
  const who = { id: owner.id, role: owner.role, name: owner.name, locale: owner.locale };
  const origin = new URL(c.req.url).origin;
  const etag = await etagFor(who, origin, now, owner.role === "tutor" ? asTutor : asStudent);
  const headers: Record<string, string> = {
    ETag: etag,
    "Cache-Control": "private, max-age=0, must-revalidate",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    Vary: "Accept-Encoding",
  };
  if (matches(c.req.header("If-None-Match"), etag)) return c.body(null, 304, headers);
  const ics = { ...headers, "Content-Type": "text/calendar; charset=utf-8", "Content-Disposition": 'inline; filename="tutorly.ics"' };
  const kept = await keptRender(c.env, owner.id, etag);
  if (kept) {
    // A copy: the kept bytes serve the next request too.
    if (takesGzip(c.req.header("Accept-Encoding"))) return new Response(kept.gzip.slice(), { status: 200, headers: { ...ics, "Content-Encoding": "gzip" }, encodeBody: "manual" });
    return c.body((await decompress(kept.gzip)) as Uint8Array<ArrayBuffer>, 200, ics);
  }
  const rendered = await renderAndStore(c.env, who, origin, now);
  return c.body(rendered.body as Uint8Array<ArrayBuffer>, 200, { ...ics, ETag: rendered.etag });
});
