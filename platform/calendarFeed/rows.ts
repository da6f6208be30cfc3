import { z } from "zod";
import type { FeedBooking, FeedViewer, FeedWindow } from "../../domain/ical/bookingFeed";

const MAX_EVENTS = 10_000;
const iso = (ms: number) => new Date(ms).toISOString();

/*
 * The feed is the hot read of this feature (every subscribed calendar polls it), so it is one query whose rows
 * come back as arrays, each booking carrying its people as a JSON array: no second round trip, no per-row
 * objects from the driver. Sessions overlap the window and are live (a student's seat given up in a live group
 * included: it shows as cancelled), or were cancelled recently enough.
 */
const COLUMNS = `b.id, b.tutor_id, t.name, b.kind, b.status, b.subject, b.start_at, b.end_at, b.seats, b.sequence, b.updated_at, b.cancelled_at`;
const IN_WINDOW = `b.start_at < ?2 AND b.end_at > ?3 AND (b.status != 'cancelled' OR coalesce(b.cancelled_at, b.updated_at) >= ?4)`;

const TUTOR_FEED = `SELECT ${COLUMNS},
    (SELECT json_group_array(json_array(p.student_id, u.name, p.status, p.left_early)) FROM booking_participants p JOIN users u ON u.id = p.student_id WHERE p.booking_id = b.id) AS people
  FROM bookings b JOIN users t ON t.id = b.tutor_id
  WHERE b.tutor_id = ?1 AND ${IN_WINDOW}
  ORDER BY b.start_at LIMIT ${MAX_EVENTS}`;

/** A student's own seat only: classmates never reach their feed. */
const STUDENT_FEED = `SELECT ${COLUMNS}, json_array(json_array(p.student_id, me.name, p.status, p.left_early)) AS people
  FROM booking_participants p JOIN bookings b ON b.id = p.booking_id JOIN users t ON t.id = b.tutor_id JOIN users me ON me.id = p.student_id
  WHERE p.student_id = ?1 AND ${IN_WINDOW}
  ORDER BY b.start_at LIMIT ${MAX_EVENTS}`;

type Raw = [string, string, string, FeedBooking["kind"], FeedBooking["status"], string, string, string, number, number, string, string | null, string];

/** [student id, name, seat status, left early (0/1)] */
const People = z.array(z.tuple([z.string(), z.string(), z.string(), z.number()]));

/** A user's sessions for their feed, from the D1 projection. */
export async function feedBookings(d1: D1Database, owner: FeedViewer, w: FeedWindow): Promise<FeedBooking[]> {
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
    participants: People.parse(JSON.parse(people)).map(([pid, name, st, left]) => ({ id: pid, name, cancelled: st === "cancelled", left: st === "cancelled" && left !== 0 })),
  }));
  return rows;
}
