import { z } from "zod";
import { type BlockRow, BlockRowSchema, rowsOf } from "./storage";

/**
 * Outside busy time in a tutor's calendar: Calendly bookings and outside ICS calendars write `blocks`
 * (which `busy()` already subtracts from the free slots). A block that lands on a live Tutorly session is
 * still recorded — the time really is taken elsewhere — and the overlap is kept as a conflict for the
 * tutor to resolve. Plain functions over the object's SQLite; OutsideBlocks (outside.ts) calls them inside a transaction.
 */
export const BLOCKS_DDL = [
  `CREATE UNIQUE INDEX IF NOT EXISTS blocks_source_external ON blocks (source, external_id)`,
  /** Blocks removed for good (a Calendly cancellation), so a late or repeated "created" cannot bring them back. */
  `CREATE TABLE IF NOT EXISTS block_tombstones (
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    removed_ms INTEGER NOT NULL,
    PRIMARY KEY (source, external_id)
  )`,
  /** An outside block overlapping a held or confirmed session, once per (block, session). */
  `CREATE TABLE IF NOT EXISTS block_conflicts (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    external_id TEXT NOT NULL,
    session_id TEXT NOT NULL,
    title TEXT NOT NULL,
    block_start_ms INTEGER NOT NULL,
    block_end_ms INTEGER NOT NULL,
    detected_ms INTEGER NOT NULL,
    resolved_ms INTEGER,
    resolution TEXT,
    UNIQUE (source, external_id, session_id)
  )`,
];

const Instant = z.number().int().nonnegative();
const MAX_BLOCK_MS = 400 * 86_400_000;

/** `calendly`, or `ics:<calendar id>` for an outside calendar. */
export const BlockSourceSchema = z.string().regex(/^(calendly|ics:[A-Za-z0-9_-]{1,64})$/, "Unknown block source");

export const BlockInputSchema = z
  .object({
    externalId: z.string().min(1).max(500),
    start: Instant,
    end: Instant,
    title: z.string().max(200).default("Busy"),
  })
  .refine((b) => b.end > b.start && b.end - b.start <= MAX_BLOCK_MS, { message: "A block must end after it starts and last at most 400 days", path: ["end"] });
export type BlockInput = z.input<typeof BlockInputSchema>;
type Block = z.output<typeof BlockInputSchema>;

/** At most this many blocks per source: an outside calendar's year rarely comes near it. */
export const MAX_BLOCKS_PER_SOURCE = 5_000;

export type ConflictRow = {
  id: string;
  source: string;
  external_id: string;
  session_id: string;
  title: string;
  block_start_ms: number;
  block_end_ms: number;
  detected_ms: number;
  resolved_ms: number | null;
  resolution: string | null;
};

/** A conflict as the tutor sees it, with the session it collides with. */
export type Conflict = {
  id: string;
  source: string;
  title: string;
  blockStart: string;
  blockEnd: string;
  sessionId: string;
  sessionStart: string;
  sessionEnd: string;
  subject: string;
  detectedAt: string;
};

export type BlockChange = {
  /** Time that became busy (for live viewers) and time that became free again. */
  taken: { start: number; end: number }[];
  freed: { start: number; end: number }[];
  /** Conflicts seen for the first time by this change. */
  newConflicts: Conflict[];
};

const blockId = (source: string, externalId: string) => `${source} ${externalId}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** Records an overlap of `block` with each live session, once; returns the overlaps not seen before. */
function detectConflicts(sql: SqlStorage, source: string, block: Block, now: number): Conflict[] {
  const found: Conflict[] = [];
  const sessions = sql
    .exec<{ id: string; subject: string; start_ms: number; end_ms: number }>(
      "SELECT id, subject, start_ms, end_ms FROM sessions WHERE status IN ('held', 'confirmed') AND start_ms < ? AND end_ms > ?",
      block.end,
      block.start,
    )
    .toArray();
  for (const s of sessions) {
    const id = crypto.randomUUID();
    const inserted = sql.exec(
      `INSERT INTO block_conflicts (id, source, external_id, session_id, title, block_start_ms, block_end_ms, detected_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, external_id, session_id) DO NOTHING`,
      id,
      source,
      block.externalId,
      s.id,
      block.title,
      block.start,
      block.end,
      now,
    ).rowsWritten;
    if (inserted > 0) {
      found.push({
        id,
        source,
        title: block.title,
        blockStart: iso(block.start),
        blockEnd: iso(block.end),
        sessionId: s.id,
        sessionStart: iso(s.start_ms),
        sessionEnd: iso(s.end_ms),
        subject: s.subject,
        detectedAt: iso(now),
      });
    }
  }
  return found;
}

/** Conflicts of `source` whose block is gone or moved off the session resolve themselves. */
function resolveVanished(sql: SqlStorage, source: string, now: number) {
  sql.exec(
    `UPDATE block_conflicts SET resolved_ms = ?, resolution = 'block_removed'
     WHERE source = ? AND resolved_ms IS NULL AND NOT EXISTS (
       SELECT 1 FROM blocks b JOIN sessions s ON s.id = block_conflicts.session_id
       WHERE b.source = block_conflicts.source AND b.external_id = block_conflicts.external_id AND b.start_ms < s.end_ms AND b.end_ms > s.start_ms)`,
    now,
    source,
  );
}

function insertBlock(sql: SqlStorage, source: string, b: Block) {
  sql.exec(
    `INSERT INTO blocks (id, source, external_id, start_ms, end_ms, title) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET start_ms = excluded.start_ms, end_ms = excluded.end_ms, title = excluded.title`,
    blockId(source, b.externalId),
    source,
    b.externalId,
    b.start,
    b.end,
    b.title,
  );
}

const blocksOf = (sql: SqlStorage, source: string) => sql.exec<BlockRow>("SELECT * FROM blocks WHERE source = ?", source).toArray();

/**
 * Makes `blocks` the whole of `source`'s busy time (one sync of an outside calendar). Duplicate external ids
 * keep the last. Call inside a transaction: readers never see the source half replaced.
 */
export function replaceBlocks(sql: SqlStorage, source: string, input: BlockInput[], now: number): BlockChange {
  const blocks = [...new Map(input.map((b) => BlockInputSchema.parse(b)).map((b) => [b.externalId, b])).values()];
  if (blocks.length > MAX_BLOCKS_PER_SOURCE) throw new RangeError(`At most ${MAX_BLOCKS_PER_SOURCE} blocks per source`);
  const before = new Map(blocksOf(sql, source).map((b) => [b.external_id, b]));
  sql.exec("DELETE FROM blocks WHERE source = ?", source);
  const taken: BlockChange["taken"] = [];
  const newConflicts: Conflict[] = [];
  for (const b of blocks) {
    insertBlock(sql, source, b);
    const old = before.get(b.externalId);
    if (!old || old.start_ms !== b.start || old.end_ms !== b.end) taken.push({ start: b.start, end: b.end });
    newConflicts.push(...detectConflicts(sql, source, b, now));
  }
  const kept = new Set(blocks.map((b) => b.externalId));
  const freed = [...before.values()].filter((b) => !kept.has(b.external_id)).map((b) => ({ start: b.start_ms, end: b.end_ms }));
  resolveVanished(sql, source, now);
  return { taken, freed, newConflicts };
}

/**
 * Adds or moves one block (a Calendly invitee). A block removed for good before stays removed, so a
 * "created" delivered after its "canceled" changes nothing. Returns null when the block was tombstoned.
 */
export function upsertBlock(sql: SqlStorage, source: string, input: BlockInput, now: number): BlockChange | null {
  const b = BlockInputSchema.parse(input);
  const dead = sql.exec("SELECT 1 FROM block_tombstones WHERE source = ? AND external_id = ?", source, b.externalId).toArray().length > 0;
  if (dead) return null;
  const old = sql.exec<BlockRow>("SELECT * FROM blocks WHERE id = ?", blockId(source, b.externalId)).toArray()[0];
  insertBlock(sql, source, b);
  const newConflicts = detectConflicts(sql, source, b, now);
  resolveVanished(sql, source, now);
  const moved = !old || old.start_ms !== b.start || old.end_ms !== b.end;
  return { taken: moved ? [{ start: b.start, end: b.end }] : [], freed: old && moved ? [{ start: old.start_ms, end: old.end_ms }] : [], newConflicts };
}

/** Removes one block; with `forever`, also refuses it from then on (see upsertBlock). */
export function removeBlock(sql: SqlStorage, source: string, externalId: string, now: number, forever: boolean): BlockChange {
  const old = sql.exec<BlockRow>("SELECT * FROM blocks WHERE id = ?", blockId(source, externalId)).toArray()[0];
  sql.exec("DELETE FROM blocks WHERE id = ?", blockId(source, externalId));
  if (forever) {
    sql.exec("INSERT INTO block_tombstones (source, external_id, removed_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", source, externalId, now);
  }
  resolveVanished(sql, source, now);
  return { taken: [], freed: old ? [{ start: old.start_ms, end: old.end_ms }] : [], newConflicts: [] };
}

/**
 * Conflicts the tutor still has to resolve: not dismissed, the block still there and the session still live.
 */
export function openConflicts(sql: SqlStorage): Conflict[] {
  return sql
    .exec<ConflictRow & { subject: string; start_ms: number; end_ms: number }>(
      `SELECT c.*, s.subject, s.start_ms, s.end_ms FROM block_conflicts c
       JOIN sessions s ON s.id = c.session_id AND s.status IN ('held', 'confirmed')
       JOIN blocks b ON b.source = c.source AND b.external_id = c.external_id
       WHERE c.resolved_ms IS NULL ORDER BY s.start_ms`,
    )
    .toArray()
    .map((c) => ({
      id: c.id,
      source: c.source,
      title: c.title,
      blockStart: iso(c.block_start_ms),
      blockEnd: iso(c.block_end_ms),
      sessionId: c.session_id,
      sessionStart: iso(c.start_ms),
      sessionEnd: iso(c.end_ms),
      subject: c.subject,
      detectedAt: iso(c.detected_ms),
    }));
}

/** The tutor has dealt with a conflict (e.g. moved one of the two); true when it was open. */
export function dismissConflict(sql: SqlStorage, id: string, now: number): boolean {
  return sql.exec("UPDATE block_conflicts SET resolved_ms = ?, resolution = 'dismissed' WHERE id = ? AND resolved_ms IS NULL", now, id).rowsWritten > 0;
}

/** How many blocks each source holds (for sync status and tests). */
export function blockCounts(sql: SqlStorage): Record<string, number> {
  return Object.fromEntries(sql.exec<{ source: string; n: number }>("SELECT source, count(*) AS n FROM blocks GROUP BY source").toArray().map((r) => [r.source, r.n]));
}

/** The blocks of one source in [from, to), as the tutor sees them. */
export function listBlocks(sql: SqlStorage, source: string, from: number, to: number): { externalId: string; start: string; end: string; title: string }[] {
  return rowsOf(sql.exec("SELECT * FROM blocks WHERE source = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms", source, to, from), BlockRowSchema).map((b) => ({
    externalId: b.external_id,
    start: iso(b.start_ms),
    end: iso(b.end_ms),
    title: b.title,
  }));
}
