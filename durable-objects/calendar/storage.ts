import { z } from "zod";
import { GROUP_PRICING } from "../../domain/credits/policy";
import { addColumns } from "../lib/migrate";

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
  /** The start (ms) for which the 24 h / 1 h reminders went out since the last move; a move clears them (CalendarStore.move). */
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
  /**
   * 1 for a seat confirmed before seats had an earning (the version that paid tutors from their rate at completion):
   * it is paid by that rule, fixed once the calendar knows the tutor's rate (`payLegacySeats`).
   */
  legacy_earning: "INTEGER NOT NULL DEFAULT 0",
};

/** Meta key present while legacy seats wait for their earning (one read at start-up, not a scan of the seats). */
export const LEGACY_EARNINGS_KEY = "legacy_earnings";

/**
 * Adds the seat columns. When `earning_cents` is added to a calendar that has seats, those seats were confirmed by
 * the version that paid tutors from their rate when the session completed; left with no earning, they would pay
 * their tutor nothing. They are marked here, the one moment they can be told apart exactly (later, a week of a
 * series not paid yet also has no earning, and must earn nothing until it is paid).
 */
export function migrateSeatColumns(sql: SqlStorage) {
  const had = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('seats') WHERE name = 'earning_cents'").toArray().length > 0;
  addColumns(sql, "seats", SEAT_COLUMNS);
  if (had) return;
  if (sql.exec("UPDATE seats SET legacy_earning = 1 WHERE status = 'confirmed'").rowsWritten > 0) {
    sql.exec("INSERT INTO meta (key, value) VALUES (?, 'unpaid') ON CONFLICT (key) DO UPDATE SET value = excluded.value", LEGACY_EARNINGS_KEY);
  }
}

/** Whether legacy seats still wait for their earning (`payLegacySeats`). */
export const legacySeatsUnpaid = (sql: SqlStorage) => sql.exec("SELECT 1 FROM meta WHERE key = ?", LEGACY_EARNINGS_KEY).toArray().length > 0;

/**
 * A legacy seat's earning by the rule it was booked under: the tutor's hourly rate for the session's length (a group
 * seat: its tier's share of that, GROUP_PRICING), less the platform's commission, rounded to the cent.
 */
export function legacySeatEarningCents(s: Pick<SessionRow, "kind" | "start_ms" | "end_ms" | "seats">, hourlyRateCents: number, commissionPercent: number): number {
  const oneOnOne = (hourlyRateCents * (s.end_ms - s.start_ms)) / 3_600_000;
  const share = s.kind === "group" ? (oneOnOne * (GROUP_PRICING.find((t) => s.seats >= t.minSeats && s.seats <= t.maxSeats)?.percent ?? 0)) / 100 : oneOnOne;
  return Math.round((share * (100 - commissionPercent)) / 100);
}

/**
 * Fixes the earning of every legacy seat still without one, at `hourlyRateCents` (the tutor's rate, as the calendar
 * holds it) and `commissionPercent`, in one synchronous step, and answers the sessions whose earning changed: their
 * sequence moves on, so projecting them again replaces the D1 row (which that version left with no earning).
 * Idempotent: a seat that has an earning is never written again, and the marker goes with the last.
 */
export function payLegacySeats(sql: SqlStorage, hourlyRateCents: number, commissionPercent: number, now: number): string[] {
  const rows = sql
    .exec(
      `SELECT seats.reservation_id, sessions.id, sessions.kind, sessions.start_ms, sessions.end_ms, sessions.seats FROM seats
       JOIN sessions ON sessions.id = seats.session_id
       WHERE seats.legacy_earning = 1 AND seats.status = 'confirmed' AND seats.earning_cents IS NULL AND seats.spent IS NULL`,
    )
    .toArray()
    .map((r) => LegacySeatSchema.parse(r));
  for (const r of rows) {
    sql.exec("UPDATE seats SET earning_cents = ? WHERE reservation_id = ? AND earning_cents IS NULL", legacySeatEarningCents(r, hourlyRateCents, commissionPercent), r.reservation_id);
  }
  const sessionIds = [...new Set(rows.map((r) => r.id))];
  for (const id of sessionIds) sql.exec("UPDATE sessions SET sequence = sequence + 1, updated_ms = ? WHERE id = ?", now, id);
  sql.exec("DELETE FROM meta WHERE key = ?", LEGACY_EARNINGS_KEY);
  return sessionIds;
}

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

const LegacySeatSchema = z.object({
  reservation_id: z.string(),
  id: z.string(),
  kind: z.enum(["one_on_one", "group"]),
  start_ms: Ms,
  end_ms: Ms,
  seats: z.number().int(),
});

export const BlockRowSchema = z.object({ id: z.string(), source: z.string(), external_id: z.string(), start_ms: Ms, end_ms: Ms, title: z.string() });
export type BlockRow = z.infer<typeof BlockRowSchema>;

/** The rows of a query, each checked against `schema` (stored data is parsed, never cast). */
export const rowsOf = <T extends z.ZodType>(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>, schema: T): z.infer<T>[] =>
  cursor.toArray().map((r) => schema.parse(r));
