import { z } from "zod";
import { LEDGER_KINDS, type LedgerEntry } from "../../domain/credits";
import { addColumns, migrateOnce, schemaVersion } from "../lib/migrate";

const RESERVATIONS_DDL = `CREATE TABLE IF NOT EXISTS reservations (
    reservation_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    tutor_id TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'claimed', 'released'))
  )`;

/**
 * The StudentAccount object's own SQLite tables. Ledger instants are ISO strings (UTC), as in the domain model and
 * the D1 projection; everything else is epoch milliseconds.
 */
const DDL = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  /**
   * The student's time: one row per session seat they hold (or held). `claimed`: a week of a weekly series not paid
   * yet holds the time, nothing spent; `active`: paid.
   */
  RESERVATIONS_DDL,
  `CREATE INDEX IF NOT EXISTS reservations_time ON reservations (status, start_ms)`,
  /** The wallet: the append-only credit ledger, the source of truth for the student's credit. */
  `CREATE TABLE IF NOT EXISTS ledger (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    paid_cents INTEGER NOT NULL,
    lot_id TEXT,
    expires_at TEXT,
    funding TEXT,
    purchase_ref TEXT,
    ref TEXT,
    reason TEXT,
    actor_id TEXT,
    created_at TEXT NOT NULL
  )`,
  /** A grant id is applied once: a repeated Stripe event, a retried webhook or a second import find it here. */
  `CREATE UNIQUE INDEX IF NOT EXISTS ledger_grant_once ON ledger (ref) WHERE kind = 'grant' OR (kind = 'adjust' AND minutes > 0)`,
  `CREATE INDEX IF NOT EXISTS ledger_ref ON ledger (ref)`,
  /** Ledger entries still to be written to D1 (by id; the entry itself is in `ledger`). */
  `CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_ms INTEGER NOT NULL,
    last_error TEXT
  )`,
  /**
   * What a Stripe refund or a lost dispute takes back from one purchase: `target_minutes` in all, as far as the
   * purchase's credit is unspent; settled again whenever credit returns to the purchase's lots.
   */
  `CREATE TABLE IF NOT EXISTS claims (
    ref TEXT PRIMARY KEY,
    purchase_ref TEXT NOT NULL,
    target_minutes INTEGER NOT NULL
  )`,
  /** Disputes of the student's purchases: while one is open, the purchase's lots are frozen. */
  `CREATE TABLE IF NOT EXISTS disputes (
    ref TEXT PRIMARY KEY,
    purchase_ref TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    frozen_minutes INTEGER NOT NULL,
    clawed_back_minutes INTEGER NOT NULL DEFAULT 0
  )`,
  /**
   * A Stripe refund or dispute of a purchase this wallet does not hold yet (Stripe delivers out of order and retries
   * late): one row under each name the event gave the purchase, applied (and deleted) when a grant of one arrives.
   * `claimed_cents` of `amount_cents`: refunded so far, or disputed (null: the purchase's paid value); `outcome`: a
   * dispute's state (null for a refund).
   */
  `CREATE TABLE IF NOT EXISTS pending_claims (
    ref TEXT NOT NULL,
    purchase_ref TEXT NOT NULL,
    claimed_cents INTEGER,
    amount_cents INTEGER,
    outcome TEXT CHECK (outcome IN ('open', 'won', 'lost')),
    PRIMARY KEY (ref, purchase_ref)
  )`,
  `CREATE INDEX IF NOT EXISTS pending_claims_purchase ON pending_claims (purchase_ref)`,
  /** Replacement offers after a tutor cancelled; `id` is the cancelled reservation, whose credits wait here. */
  `CREATE TABLE IF NOT EXISTS offers (
    id TEXT PRIMARY KEY,
    cancelled_session_id TEXT NOT NULL,
    tutor_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms INTEGER NOT NULL,
    candidates TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL CHECK (status IN ('preparing', 'open', 'accepting', 'accepted', 'declined', 'expired', 'refunded')),
    cutoff_ms INTEGER NOT NULL,
    accepted_session_id TEXT,
    created_ms INTEGER NOT NULL
  )`,
  /**
   * The Idempotency-Keys of the student's booking requests, whichever tutor they went to (each tutor's calendar keeps
   * the answers to its own): a key reused for a different request is refused here, before anything is spent.
   */
  `CREATE TABLE IF NOT EXISTS request_keys (key TEXT PRIMARY KEY, hash TEXT NOT NULL, at_ms INTEGER NOT NULL)`,
  `CREATE INDEX IF NOT EXISTS request_keys_at ON request_keys (at_ms)`,
];

const RESERVATION_COLUMNS = { cost: "INTEGER NOT NULL DEFAULT 0" };
const VERSION = schemaVersion(DDL, RESERVATION_COLUMNS);

/** Creates (or brings up to date) the object's tables, once per schema version. */
export function migrateStudentStorage(sql: SqlStorage) {
  migrateOnce(sql, VERSION, () => {
    allowClaims(sql);
    for (const ddl of DDL) sql.exec(ddl);
    addColumns(sql, "reservations", RESERVATION_COLUMNS);
  });
}

/**
 * Reservations made before weekly claims existed have a status check without `claimed`: SQLite cannot change a
 * check in place, so the table is rebuilt under the new one, its rows kept.
 */
function allowClaims(sql: SqlStorage) {
  const table = sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'reservations'").toArray()[0];
  if (!table || table.sql.includes("'claimed'")) return;
  sql.exec("ALTER TABLE reservations RENAME TO reservations_before_claims");
  sql.exec("DROP INDEX IF EXISTS reservations_time");
  sql.exec(RESERVATIONS_DDL);
  addColumns(sql, "reservations", RESERVATION_COLUMNS);
  const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('reservations_before_claims')").toArray().map((r) => r.name).join(", ");
  sql.exec(`INSERT INTO reservations (${columns}) SELECT ${columns} FROM reservations_before_claims`);
  sql.exec("DROP TABLE reservations_before_claims");
}

export const LedgerRowSchema = z.object({
  seq: z.number().int(),
  id: z.string(),
  kind: z.enum(LEDGER_KINDS),
  minutes: z.number().int(),
  paid_cents: z.number().int(),
  lot_id: z.string().nullable(),
  expires_at: z.string().nullable(),
  funding: z.enum(["paid", "promo"]).nullable(),
  purchase_ref: z.string().nullable(),
  ref: z.string().nullable(),
  reason: z.string().nullable(),
  actor_id: z.string().nullable(),
  created_at: z.string(),
});
export type LedgerRow = z.infer<typeof LedgerRowSchema>;

export const toLedgerEntry = (r: LedgerRow): LedgerEntry => ({
  id: r.id,
  kind: r.kind,
  minutes: r.minutes,
  paidCents: r.paid_cents,
  lotId: r.lot_id,
  expiresAt: r.expires_at,
  funding: r.funding,
  purchaseRef: r.purchase_ref,
  ref: r.ref,
  createdAt: r.created_at,
});

export const ReservationRowSchema = z.object({
  reservation_id: z.string(),
  session_id: z.string(),
  tutor_id: z.string(),
  start_ms: z.number().int(),
  end_ms: z.number().int(),
  status: z.enum(["active", "claimed", "released"]),
  cost: z.number().int(),
});
export type Reservation = z.infer<typeof ReservationRowSchema>;

/** Small facts about the object: whose it is, whether its old D1 ledger was imported, test-only fault switches. */
export class Meta {
  constructor(private readonly sql: SqlStorage) {}

  get(key: string): string | undefined {
    const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return typeof row?.value === "string" ? row.value : undefined;
  }

  set(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  delete(key: string) {
    this.sql.exec("DELETE FROM meta WHERE key = ?", key);
  }
}
