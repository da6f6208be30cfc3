import { eq } from "drizzle-orm";
import type { FeedBooking, FeedWindow } from "../../../domain/ical/bookingFeed";
import type { Db } from "../../../platform/db/client";
import { calendarFeeds, users } from "../../../platform/db/schema";

/** The user's rotated feed (its nonce), if they ever rotated it. */
export const findFeed = (db: Db, userId: string) => db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get();

/** Stores a new nonce for the user's feed: the old URL stops working at once. */
export async function rotateFeed(db: Db, userId: string, nonce: string, now: string) {
  await db.insert(calendarFeeds).values({ userId, nonce, rotatedAt: now }).onConflictDoUpdate({ target: calendarFeeds.userId, set: { nonce, rotatedAt: now } });
  return (await findFeed(db, userId))!;
}

/** The owner a feed token claims, with their feed's nonce (null when never rotated) and account status. */
export const feedOwner = (db: Db, userId: string) =>
  db
    .select({ id: users.id, name: users.name, role: users.role, status: users.status, nonce: calendarFeeds.nonce })
    .from(users)
    .leftJoin(calendarFeeds, eq(calendarFeeds.userId, users.id))
    .where(eq(users.id, userId))
    .get();

const MAX_EVENTS = 10_000;
const iso = (ms: number) => new Date(ms).toISOString();

/*
 * The feed is the hot read of this feature (every subscribed calendar polls it), so it is one query whose rows
 * come back as arrays, each booking carrying its people as a JSON array: no second round trip, no per-row
 * objects from the driver. Sessions overlap the window and are live, or were cancelled recently enough.
 */
const COLUMNS = `b.id, b.tutor_id, t.name, b.kind, b.status, b.subject, b.start_at, b.end_at, b.seats, b.sequence, b.updated_at, b.cancelled_at`;
const IN_WINDOW = `b.start_at < ?2 AND b.end_at > ?3 AND ((b.status != 'cancelled' AND NOT %SEAT_CANCELLED%) OR coalesce(b.cancelled_at, b.updated_at) >= ?4)`;

const TUTOR_FEED = `SELECT ${COLUMNS},
    (SELECT json_group_array(json_array(p.student_id, u.name, p.status)) FROM booking_participants p JOIN users u ON u.id = p.student_id WHERE p.booking_id = b.id) AS people
  FROM bookings b JOIN users t ON t.id = b.tutor_id
  WHERE b.tutor_id = ?1 AND ${IN_WINDOW.replace("%SEAT_CANCELLED%", "0")}
  ORDER BY b.start_at LIMIT ${MAX_EVENTS}`;

/** A student's own seat only: classmates never reach their feed. */
const STUDENT_FEED = `SELECT ${COLUMNS}, json_array(json_array(p.student_id, me.name, p.status)) AS people
  FROM booking_participants p JOIN bookings b ON b.id = p.booking_id JOIN users t ON t.id = b.tutor_id JOIN users me ON me.id = p.student_id
  WHERE p.student_id = ?1 AND ${IN_WINDOW.replace("%SEAT_CANCELLED%", "p.status = 'cancelled'")}
  ORDER BY b.start_at LIMIT ${MAX_EVENTS}`;

type Raw = [string, string, string, FeedBooking["kind"], FeedBooking["status"], string, string, string, number, number, string, string | null, string];

/** A user's sessions for their feed, from the D1 projection, and the raw rows (their fingerprint is the ETag). */
export async function feedBookings(d1: D1Database, owner: { id: string; role: "tutor" | "student" }, w: FeedWindow): Promise<{ rows: FeedBooking[]; raw: Raw[] }> {
  const raw = await d1
    .prepare(owner.role === "tutor" ? TUTOR_FEED : STUDENT_FEED)
    .bind(owner.id, iso(w.to), iso(w.from), iso(w.cancelledSince))
    .raw<Raw>();
  const rows = raw.map(([id, tutorId, tutorName, kind, status, subject, startAt, endAt, seats, sequence, updatedAt, cancelledAt, people]) => ({
    id,
    tutorId,
    tutorName,
    kind,
    status,
    subject,
    startAt,
    endAt,
    seats,
    sequence,
    updatedAt,
    cancelledAt,
    participants: (JSON.parse(people) as [string, string, string][]).map(([pid, name, st]) => ({ id: pid, name, cancelled: st === "cancelled" })),
  }));
  return { rows, raw };
}
