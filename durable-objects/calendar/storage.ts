import { z } from "zod";

/** The TutorCalendar object's own SQLite tables. Instants are epoch milliseconds (UTC). */
export const CALENDAR_DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  /** Every session of the tutor: 1:1 bookings and group sessions. `held` is a booking whose credits are being spent. */
  `CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('one_on_one', 'group')),
    status TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'completed', 'released')),
    source TEXT NOT NULL DEFAULT 'app',
    subject TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    seats INTEGER NOT NULL,
    credits INTEGER NOT NULL,
    hold_expires_ms INTEGER,
    pending_start_ms INTEGER,
    pending_end_ms INTEGER,
    pending_expires_ms INTEGER,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL,
    cancelled_by TEXT,
    cancel_reason TEXT
  )`,
  `CREATE INDEX IF NOT EXISTS sessions_time ON sessions (status, start_ms)`,
  /** Pending moves by their new start (busy time is looked up by start). */
  `CREATE INDEX IF NOT EXISTS sessions_pending ON sessions (pending_start_ms) WHERE pending_start_ms IS NOT NULL`,
  /** Who sits in a session; a 1:1 booking has exactly one seat. */
  `CREATE TABLE IF NOT EXISTS seats (
    session_id TEXT NOT NULL,
    student_id TEXT NOT NULL,
    reservation_id TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL CHECK (status IN ('held', 'confirmed', 'cancelled', 'released')),
    credits INTEGER NOT NULL,
    hold_expires_ms INTEGER,
    refunded INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, student_id)
  )`,
  /** Time blocked by outside calendars (Calendly, ICS feeds). */
  `CREATE TABLE IF NOT EXISTS blocks (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    title TEXT NOT NULL DEFAULT 'Busy'
  )`,
  `CREATE INDEX IF NOT EXISTS blocks_time ON blocks (start_ms)`,
  /** Blocks by their end: busy time reads those that end after its window opens, never the past ones. */
  `CREATE INDEX IF NOT EXISTS blocks_end ON blocks (end_ms)`,
  /**
   * Outbox of effects outside this object (refunds, the D1 projection, live events), written in the same
   * synchronous step as the change that causes them and retried by alarm until they succeed.
   */
  `CREATE TABLE IF NOT EXISTS effects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT
  )`,
  /** The first answer to each (user, action, Idempotency-Key) on a session: a retry gets it back, without D1. */
  `CREATE TABLE IF NOT EXISTS requests (
    user_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (user_id, scope, key)
  )`,
];

/** `sessions.trial` of a trial lesson paid by the free plan's trial of the month (free to the student). */
export const FREE_TRIAL = 2;

/** Columns added after the first release (see durable-objects/lib/migrate.ts). */
export const SESSION_COLUMNS = {
  /** The start (ms) for which the 24 h / 1 h reminders went out; a reschedule makes them due again. */
  reminded_24h_for: "INTEGER",
  reminded_1h_for: "INTEGER",
  /** Hash of the request that created a booking (its id comes from the Idempotency-Key): a reuse is refused. */
  request_hash: "TEXT",
  /** How the finished session was settled from attendance (domain/billing/settlement.ts), and the minutes taught. */
  outcome: "TEXT",
  taught_minutes: "INTEGER",
  /** 1 for a trial lesson (POLICY.trialMinutes at the trial price; once per student and tutor), FREE_TRIAL for one the free plan's monthly trial paid. */
  trial: "INTEGER NOT NULL DEFAULT 0",
};
export const SEAT_COLUMNS = {
  request_hash: "TEXT",
  /** The tutor's earning for this seat (cents), fixed when it was confirmed, from what was spent on it. */
  earning_cents: "INTEGER",
  /** What the seat spent, as the wallet allocated it (JSON of SpentSlice[]). */
  spent: "TEXT",
  /**
   * 1 when the student gave the seat up while its session went on (left a group, a weekly seat let go); 0 for a seat
   * cancelled with its session, so a cancelled group names the students it had then, not everyone who ever sat in it.
   */
  left_early: "INTEGER NOT NULL DEFAULT 0",
};

const Ms = z.number().int();

export const SessionRowSchema = z.object({
  id: z.string(),
  kind: z.enum(["one_on_one", "group"]),
  status: z.enum(["held", "confirmed", "cancelled", "completed", "released"]),
  source: z.enum(["app", "calendly"]),
  subject: z.string(),
  start_ms: Ms,
  end_ms: Ms,
  seats: z.number().int(),
  credits: z.number().int(),
  hold_expires_ms: Ms.nullable(),
  pending_start_ms: Ms.nullable(),
  pending_end_ms: Ms.nullable(),
  pending_expires_ms: Ms.nullable(),
  sequence: z.number().int(),
  created_ms: Ms,
  updated_ms: Ms,
  cancelled_by: z.string().nullable(),
  cancel_reason: z.string().nullable(),
  reminded_24h_for: Ms.nullable(),
  reminded_1h_for: Ms.nullable(),
  request_hash: z.string().nullable(),
  outcome: z.enum(["as_booked", "student_no_show", "ended_early", "not_attended", "tutor_no_show"]).nullable(),
  taught_minutes: z.number().int().nullable(),
  trial: z.number().int(),
});
export type SessionRow = z.infer<typeof SessionRowSchema>;

export const SeatRowSchema = z.object({
  session_id: z.string(),
  student_id: z.string(),
  reservation_id: z.string(),
  status: z.enum(["held", "confirmed", "cancelled", "released"]),
  credits: z.number().int(),
  hold_expires_ms: Ms.nullable(),
  refunded: z.number().int(),
  request_hash: z.string().nullable(),
  earning_cents: z.number().int().nullable(),
  spent: z.string().nullable(),
  left_early: z.number().int(),
});
export type SeatRow = z.infer<typeof SeatRowSchema>;

export const BlockRowSchema = z.object({ id: z.string(), source: z.string(), external_id: z.string(), start_ms: Ms, end_ms: Ms, title: z.string() });
export type BlockRow = z.infer<typeof BlockRowSchema>;

/** The rows of a query, each checked against `schema` (stored data is parsed, never cast). */
export const rowsOf = <T extends z.ZodType>(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>, schema: T): z.infer<T>[] =>
  cursor.toArray().map((r) => schema.parse(r));
