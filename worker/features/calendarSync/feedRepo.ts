import { and, asc, eq, gt, gte, lt, ne, or, sql } from "drizzle-orm";
import type { FeedBooking, FeedWindow } from "../../../domain/ical/bookingFeed";
import type { Db } from "../../db/client";
import { bookingParticipants, bookings, calendarFeeds, users } from "../../db/schema";

export type FeedRow = typeof calendarFeeds.$inferSelect;

/** The user's feed, created on first use. Concurrent first calls meet on one row (the first nonce wins). */
export async function ensureFeed(db: Db, userId: string, fresh: { nonce: string; tokenHash: string; now: string }): Promise<FeedRow> {
  await db.insert(calendarFeeds).values({ userId, nonce: fresh.nonce, tokenHash: fresh.tokenHash, createdAt: fresh.now }).onConflictDoNothing();
  return (await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get())!;
}

/** Replaces the feed's nonce and hash: the old URL stops working at once. */
export async function rotateFeed(db: Db, userId: string, fresh: { nonce: string; tokenHash: string; now: string }): Promise<FeedRow> {
  await db
    .insert(calendarFeeds)
    .values({ userId, nonce: fresh.nonce, tokenHash: fresh.tokenHash, createdAt: fresh.now, rotatedAt: fresh.now })
    .onConflictDoUpdate({ target: calendarFeeds.userId, set: { nonce: fresh.nonce, tokenHash: fresh.tokenHash, rotatedAt: fresh.now } });
  return (await db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get())!;
}

/** Whose feed a token hash opens (a tutor or a student; any other role has no feed). */
export const feedOwner = (db: Db, tokenHash: string) =>
  db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(calendarFeeds)
    .innerJoin(users, eq(users.id, calendarFeeds.userId))
    .where(eq(calendarFeeds.tokenHash, tokenHash))
    .get();

const MAX_EVENTS = 10_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Bookings overlapping the window that are live, or were cancelled recently enough to still be shown. */
const inWindow = (w: FeedWindow, alsoCancelled = sql`0`) =>
  and(
    lt(bookings.startAt, iso(w.to)),
    gt(bookings.endAt, iso(w.from)),
    or(and(ne(bookings.status, "cancelled"), sql`not ${alsoCancelled}`), gte(sql`coalesce(${bookings.cancelledAt}, ${bookings.updatedAt})`, iso(w.cancelledSince))),
  );

const bookingColumns = {
  id: bookings.id,
  tutorId: bookings.tutorId,
  tutorName: users.name,
  kind: bookings.kind,
  status: bookings.status,
  subject: bookings.subject,
  startAt: bookings.startAt,
  endAt: bookings.endAt,
  seats: bookings.seats,
  sequence: bookings.sequence,
  updatedAt: bookings.updatedAt,
  cancelledAt: bookings.cancelledAt,
};

/** A tutor's sessions for their feed, from the D1 projection, with every student's name. */
export async function tutorFeedBookings(db: Db, tutorId: string, w: FeedWindow): Promise<FeedBooking[]> {
  const where = and(eq(bookings.tutorId, tutorId), inWindow(w));
  const [rows, people] = await db.batch([
    db.select(bookingColumns).from(bookings).innerJoin(users, eq(users.id, bookings.tutorId)).where(where).orderBy(asc(bookings.startAt)).limit(MAX_EVENTS),
    db
      .select({ bookingId: bookingParticipants.bookingId, id: bookingParticipants.studentId, name: users.name, status: bookingParticipants.status })
      .from(bookingParticipants)
      .innerJoin(bookings, eq(bookings.id, bookingParticipants.bookingId))
      .innerJoin(users, eq(users.id, bookingParticipants.studentId))
      .where(where),
  ]);
  const byBooking = new Map<string, FeedBooking["participants"]>();
  for (const p of people) {
    let list = byBooking.get(p.bookingId);
    if (!list) byBooking.set(p.bookingId, (list = []));
    list.push({ id: p.id, name: p.name, cancelled: p.status === "cancelled" });
  }
  return rows.map((r) => ({ ...r, participants: byBooking.get(r.id) ?? [] }));
}

/** A student's sessions for their feed: only their own seat is read, so classmates never reach the feed. */
export async function studentFeedBookings(db: Db, student: { id: string; name: string }, w: FeedWindow): Promise<FeedBooking[]> {
  const rows = await db
    .select({ ...bookingColumns, seatStatus: bookingParticipants.status })
    .from(bookingParticipants)
    .innerJoin(bookings, eq(bookings.id, bookingParticipants.bookingId))
    .innerJoin(users, eq(users.id, bookings.tutorId))
    .where(and(eq(bookingParticipants.studentId, student.id), inWindow(w, sql`${bookingParticipants.status} = 'cancelled'`)))
    .orderBy(asc(bookings.startAt))
    .limit(MAX_EVENTS)
    .all();
  return rows.map(({ seatStatus, ...r }) => ({ ...r, participants: [{ id: student.id, name: student.name, cancelled: seatStatus === "cancelled" }] }));
}
