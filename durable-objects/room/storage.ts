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
  /** Who may not come back into this session (removed by the tutor, or their seat was cancelled). */
  `CREATE TABLE IF NOT EXISTS removed (user_id TEXT PRIMARY KEY, reason TEXT NOT NULL, at_ms INTEGER NOT NULL)`,
  /** Outbox of RealtimeKit participants to delete and disconnect (retried by the alarm). */
  `CREATE TABLE IF NOT EXISTS rtk_removals (user_id TEXT PRIMARY KEY, meeting_id TEXT NOT NULL, participant_id TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)`,
  /** Which user a peer id belongs to, so a reconnecting tab gets its own id back and nobody else's. */
  `CREATE TABLE IF NOT EXISTS peer_ids (peer_id TEXT PRIMARY KEY, user_id TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS wb_pages (id TEXT PRIMARY KEY, position INTEGER NOT NULL, title TEXT NOT NULL)`,
  /** Whiteboard items; an erased item stays (erased = 1) so undo can bring it back. */
  `CREATE TABLE IF NOT EXISTS wb_items (
    id TEXT PRIMARY KEY,
    page TEXT NOT NULL,
    author TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    erased INTEGER NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX IF NOT EXISTS wb_items_seq ON wb_items (seq)`,
  /** Each add and erase, per author, for undo. */
  `CREATE TABLE IF NOT EXISTS wb_ops (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    author TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('add', 'erase')),
    ids TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
  )`,
  /** The recent edits of the notes (the text itself is in meta), to rebase edits made on older revisions. */
  `CREATE TABLE IF NOT EXISTS notes_ops (rev INTEGER PRIMARY KEY, author TEXT NOT NULL, op_id TEXT NOT NULL, op TEXT NOT NULL)`,
  /** Students to tell about the tutor's summary (an outbox: the alarm retries). */
  `CREATE TABLE IF NOT EXISTS summary_notices (user_id TEXT PRIMARY KEY, attempts INTEGER NOT NULL DEFAULT 0)`,
];

export type TicketRow = { ticket: string; user_id: string; name: string; role: "host" | "participant"; expires_ms: number };
export type ChatRow = { id: string; user_id: string; name: string; text: string; at_ms: number };
export type AttendanceRow = { id: string; user_id: string; role: "tutor" | "student"; kind: "join" | "leave"; connection_id: string; at_ms: number; projected: number };
export type RtkParticipantRow = { user_id: string; participant_id: string; preset: string };
export type WbItemRow = { id: string; page: string; author: string; seq: number; body: string; erased: number };
export type WbOpRow = { seq: number; author: string; kind: "add" | "erase"; ids: string; undone: number };
export type NotesOpRow = { rev: number; author: string; op_id: string; op: string };
