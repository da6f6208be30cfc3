import { Buffer } from "node:buffer";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { FEED_RULES, type FeedViewer, bookingEvents, feedWindow } from "../../domain/ical/bookingFeed";
import { renderFeed } from "../../domain/ical/feed";
import { serverText } from "../../domain/i18n/server";
import { getDb } from "../db/client";
import { feedRenders, users } from "../db/schema";
import { feedBookings } from "./rows";

/** Bump when the rendering changes, so clients holding an old ETag (and stored renders) get the new body. */
export const FEED_VERSION = 3;

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
export type FeedOwner = FeedViewer & { name: string };

/*
 * What a feed's body is made of, besides its rows: the rendering version, the origin of its links, the owner (and their
 * language) and the
 * day its window starts. The rows are stood for by their watermark — how many sessions the window holds and the
 * newest change among them (every change to a session or a seat moves its `updated_at`) — read in one cheap query,
 * so the ETag and a stored render can be checked without reading the feed itself.
 *
 * The other people a feed names (a tutor's students; a student's tutors) are part of it too: their names, as they are
 * now, ride in the same query (`people`, each person once). A rename or an erased account (its name becomes "Deleted
 * user") moves the ETag, so neither a 304 nor a kept render keeps serving the old name to a URL that sits in calendar
 * apps for years — whichever path changed the name, with nothing to remember at the write. Reading the names rather
 * than stamping the owners' feeds at each rename keeps it so; it costs one more pass over the window by the same
 * indexes (bookings by tutor and start, seats by booking or by student, users by id), no scan: about 2 ms for a
 * tutor's one-year feed of 2,730 sessions.
 */
const PEOPLE = {
  tutor: `SELECT json_group_array(json_array(u.id, u.name)) FROM (SELECT DISTINCT p.student_id AS id FROM bookings b
    JOIN booking_participants p ON p.booking_id = b.id WHERE b.tutor_id = ?1 AND b.start_at < ?2 AND b.end_at > ?3 ORDER BY 1) s JOIN users u ON u.id = s.id`,
  student: `SELECT json_group_array(json_array(u.id, u.name)) FROM (SELECT DISTINCT b.tutor_id AS id FROM booking_participants p
    JOIN bookings b ON b.id = p.booking_id WHERE p.student_id = ?1 AND b.start_at < ?2 AND b.end_at > ?3 ORDER BY 1) s JOIN users u ON u.id = s.id`,
} as const;
const WATERMARK = {
  tutor: `SELECT count(*) AS n, coalesce(max(updated_at), '') AS at, (${PEOPLE.tutor}) AS people
    FROM bookings WHERE tutor_id = ?1 AND start_at < ?2 AND end_at > ?3`,
  student: `SELECT count(*) AS n, coalesce(max(b.updated_at), '') AS at, (${PEOPLE.student}) AS people
    FROM booking_participants p JOIN bookings b ON b.id = p.booking_id WHERE p.student_id = ?1 AND b.start_at < ?2 AND b.end_at > ?3`,
} as const;
const WatermarkSchema = z.object({ n: z.number(), at: z.string(), people: z.string() });

export type Watermark = z.infer<typeof WatermarkSchema>;

/** The watermark of a user's feed rows in the window now, as `role` (one cheap query; the rows stay unread). */
export async function feedWatermark(d1: D1Database, userId: string, role: FeedOwner["role"], now: number): Promise<Watermark> {
  const w = feedWindow(now);
  return WatermarkSchema.parse(await d1.prepare(WATERMARK[role]).bind(userId, iso(w.to), iso(w.from)).first());
}

/** The ETag of a user's feed as it would render now (no rows read, no render). */
export async function feedEtag(d1: D1Database, owner: FeedOwner, origin: string, now: number): Promise<string> {
  return etagFor(owner, origin, now, await feedWatermark(d1, owner.id, owner.role, now));
}

/** The ETag of a feed whose rows have watermark `mark`. */
export async function etagFor(owner: FeedOwner, origin: string, now: number, mark: Watermark): Promise<string> {
  const w = feedWindow(now);
  const identity = JSON.stringify([FEED_VERSION, origin, owner.id, owner.role, owner.name, owner.locale ?? "", Math.floor(w.from / DAY), mark.n, mark.at, mark.people]);
  return `"${(await sha256Hex(identity)).slice(0, 32)}"`;
}

/** Renders a user's feed now, from the D1 projection. */
export async function renderFeedNow(d1: D1Database, owner: FeedOwner, origin: string, now: number): Promise<Uint8Array> {
  const window = feedWindow(now);
  const rows = await feedBookings(d1, owner, window);
  // In the owner's language, like the events' texts.
  const t = serverText(owner.locale);
  return renderFeed({
    name: t("feed.name", { name: owner.name }),
    description: t(owner.role === "tutor" ? "feed.tutorDescription" : "feed.description"),
    refreshMinutes: FEED_RULES.refreshMinutes,
    events: bookingEvents(rows, owner, { origin, window }),
  });
}

type KeptRender = { etag: string; origin: string; gzip: Uint8Array };

/**
 * The renders this isolate made or read last, by user: a GET whose ETag names one is served from memory, without
 * reading the kept copy (up to 2 MB) back from D1. Keyed by ETag, so a change (a new watermark) never serves an
 * old body; a bounded number, the oldest dropped first.
 */
const recent = new Map<string, KeptRender>();
const RECENT_MAX = 24;

function remember(userId: string, render: KeptRender) {
  recent.delete(userId);
  recent.set(userId, render);
  if (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
}

/**
 * Renders and keeps a user's feed (gzip) under its ETag, so the next GET serves it without rendering: done when a
 * feed URL is handed out, after every change to a tutor's sessions, and by a GET that found no current render.
 */
export async function renderAndStore(env: { DB: D1Database }, owner: FeedOwner, origin: string, now: number): Promise<{ etag: string; body: Uint8Array }> {
  const etag = await feedEtag(env.DB, owner, origin, now);
  const body = await renderFeedNow(env.DB, owner, origin, now);
  const gzip = Buffer.from(await compress(body));
  await getDb(env)
    .insert(feedRenders)
    .values({ userId: owner.id, etag, origin, gzip, renderedAt: iso(now) })
    .onConflictDoUpdate({ target: feedRenders.userId, set: { etag, origin, gzip, renderedAt: iso(now) } });
  remember(owner.id, { etag, origin, gzip: new Uint8Array(gzip) });
  return { etag, body };
}

/** The kept render of a user's feed (gzip bytes) for `etag`, or null when none is kept for it. */
export async function keptRender(env: { DB: D1Database }, userId: string, etag: string): Promise<KeptRender | null> {
  const inMemory = recent.get(userId);
  if (inMemory?.etag === etag) return inMemory;
  const row = await getDb(env).select().from(feedRenders).where(eq(feedRenders.userId, userId)).get();
  if (!row || row.etag !== etag) return null;
  const kept = { etag: row.etag, origin: row.origin, gzip: new Uint8Array(row.gzip) };
  remember(userId, kept);
  return kept;
}

/**
 * A tutor's sessions changed: if their feed is subscribed (a render is kept), render it again now, so calendar apps
 * polling next get it without waiting for a render.
 */
export async function refreshTutorFeed(env: { DB: D1Database }, tutorId: string, now = Date.now()): Promise<void> {
  // Only whether one is kept, and for which origin: not its bytes.
  const kept = await getDb(env).select({ origin: feedRenders.origin }).from(feedRenders).where(eq(feedRenders.userId, tutorId)).get();
  if (!kept) return;
  const tutor = await getDb(env).select({ name: users.name, locale: users.locale }).from(users).where(eq(users.id, tutorId)).get();
  if (!tutor) return;
  await renderAndStore(env, { id: tutorId, role: "tutor", name: tutor.name, locale: tutor.locale }, kept.origin, now);
}

/** Everyone whose feed may name a user: the tutors of their seats and the students in their sessions, at any time. */
const COUNTERPARTS = `SELECT b.tutor_id FROM booking_participants p JOIN bookings b ON b.id = p.booking_id WHERE p.student_id = ?1
  UNION SELECT p.student_id FROM bookings b JOIN booking_participants p ON p.booking_id = b.id WHERE b.tutor_id = ?1`;

/**
 * An account was erased: the renders kept for the feeds that named it are dropped, so no stored copy keeps its
 * name (the ETags already moved with the name, so none would be served). Each renders again at its next GET, which
 * keeps the new render; a tutor's feed is rendered ahead after changes again from then on.
 */
export async function forgetRendersNaming(env: { DB: D1Database }, userId: string): Promise<void> {
  await env.DB.prepare(`DELETE FROM feed_renders WHERE user_id IN (${COUNTERPARTS})`).bind(userId).run();
}

async function compress(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The feed's bytes from a kept render, for a client that does not take gzip. */
export async function decompress(gzip: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}
