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
];

export type SessionRow = {
  id: string;
  kind: "one_on_one" | "group";
  status: "held" | "confirmed" | "cancelled" | "completed" | "released";
  source: "app" | "calendly";
  subject: string;
  start_ms: number;
  end_ms: number;
  seats: number;
  credits: number;
  hold_expires_ms: number | null;
  pending_start_ms: number | null;
  pending_end_ms: number | null;
  pending_expires_ms: number | null;
  sequence: number;
  created_ms: number;
  updated_ms: number;
  cancelled_by: string | null;
  cancel_reason: string | null;
};

export type SeatRow = {
  session_id: string;
  student_id: string;
  reservation_id: string;
  status: "held" | "confirmed" | "cancelled" | "released";
  credits: number;
  hold_expires_ms: number | null;
  refunded: number;
};

export type BlockRow = { id: string; source: string; external_id: string; start_ms: number; end_ms: number; title: string };

/** Columns added after the first release (see durable-objects/lib/migrate.ts). */
export const SESSION_COLUMNS_V2 = {
  /** The start (ms) for which the 24 h / 1 h reminders went out; a reschedule makes them due again. */
  reminded_24h_for: "INTEGER",
  reminded_1h_for: "INTEGER",
};
