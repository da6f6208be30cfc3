/** The SessionRoom object's own SQLite tables. Instants are epoch milliseconds (UTC). */
export const ROOM_DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  /** Single-use, short-lived admissions issued by the join route; a socket must present one. */
  `CREATE TABLE IF NOT EXISTS tickets (
    ticket TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('host', 'participant')),
    expires_ms INTEGER NOT NULL
  )`,
  /** Who was added to this booking's RealtimeKit meeting (one participant per user, reused on every join). */
  `CREATE TABLE IF NOT EXISTS rtk_participants (
    user_id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL,
    preset TEXT NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS chat (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    at_ms INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS chat_time ON chat (at_ms)`,
  /** Joins and leaves; also the outbox of the D1 attendance projection (`projected` = written to D1). */
  `CREATE TABLE IF NOT EXISTS attendance (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('tutor', 'student')),
    kind TEXT NOT NULL CHECK (kind IN ('join', 'leave')),
    connection_id TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    projected INTEGER NOT NULL DEFAULT 0,
    UNIQUE (connection_id, kind)
  )`,
];

export type TicketRow = { ticket: string; user_id: string; name: string; role: "host" | "participant"; expires_ms: number };
export type ChatRow = { id: string; user_id: string; name: string; text: string; at_ms: number };
export type AttendanceRow = { id: string; user_id: string; role: "tutor" | "student"; kind: "join" | "leave"; connection_id: string; at_ms: number; projected: number };
export type RtkParticipantRow = { user_id: string; participant_id: string; preset: string };
