/** The Conversation object's own SQLite tables. Instants are epoch milliseconds (UTC). */
export const CONVERSATION_DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  /** The two participants and what each has seen, blocked and been emailed about. */
  `CREATE TABLE IF NOT EXISTS members (
    user_id TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('student', 'tutor')),
    read_seq INTEGER NOT NULL DEFAULT 0,
    blocked INTEGER NOT NULL DEFAULT 0,
    digested_seq INTEGER NOT NULL DEFAULT 0,
    last_digest_ms INTEGER
  )`,
  /** `seq` orders the conversation (never reused: AUTOINCREMENT); `id` makes a retried send land once. */
  `CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    sender_id TEXT NOT NULL,
    text TEXT NOT NULL,
    folded TEXT NOT NULL,
    created_ms INTEGER NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS messages_created ON messages (created_ms)`,
  /** Work owed outside the object (live pushes, Web Push, the D1 projection, digests), retried by the alarm. */
  `CREATE TABLE IF NOT EXISTS effects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT
  )`,
];

export type MemberRow = {
  user_id: string;
  role: "student" | "tutor";
  read_seq: number;
  blocked: number;
  digested_seq: number;
  last_digest_ms: number | null;
};
export type MessageRow = { seq: number; id: string; sender_id: string; text: string; folded: string; created_ms: number };
