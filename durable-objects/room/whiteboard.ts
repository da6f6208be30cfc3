import { z } from "zod";
import { WB_LIMITS, type WbItem, WbItemSchema, type WbPage, type WbShare, type WbState, boardShare } from "../../domain/video/whiteboard";
import type { WbItemRow, WbOpRow } from "./storage";

export type BoardChange =
  | { ok: true; kind: "added"; item: WbItem }
  | { ok: true; kind: "removed"; ids: string[] }
  | { ok: true; kind: "restored"; items: WbItem[] }
  | { ok: true; kind: "pages"; pages: WbPage[] }
  | { ok: true; kind: "none" }
  | { ok: false; code: "board_full" | "board_share_full" | "duplicate_item" | "unknown_page"; message: string };

const IdsSchema = z.array(z.string());
const FIRST_PAGE: WbPage = { id: "page-1", title: "Page 1" };
/**
 * The most of a board that is read out at once (for a newcomer, or the session's record). A board within
 * `WB_LIMITS.boardBytes` always fits; one stored before that limit existed is cut here, so the record never nears
 * the 32 MiB an RPC answer may carry.
 */
export const BOARD_READ_MAX_BYTES = 4 * WB_LIMITS.boardBytes;
const utf8Bytes = (s: string) => new TextEncoder().encode(s).length;

/** Who the board's shares are for: the session's tutor and how many students it seats (1 for a 1:1). */
export type BoardPeople = { tutorId: string | null; seats: number };
type Usage = { bytes: number; items: number };

/**
 * The room's whiteboard in the object's SQLite: pages, items (kept when erased, so undo can restore them, until an
 * add needs their room) and each author's adds and erases, newest last. Every change is one synchronous step, so two
 * people drawing at once are simply applied in the order their messages arrive.
 */
export class Whiteboard {
  constructor(
    private readonly sql: SqlStorage,
    private readonly people: () => BoardPeople,
  ) {}

  pages(): WbPage[] {
    const rows = this.sql.exec<{ id: string; title: string }>("SELECT id, title FROM wb_pages ORDER BY position").toArray();
    return rows.length ? rows.map((r) => ({ id: r.id, title: r.title })) : [FIRST_PAGE];
  }

  /** The board as it looks now: pages in order, visible items oldest first (at most `maxBytes` of them). */
  state(maxBytes = BOARD_READ_MAX_BYTES): WbState {
    const items: WbItem[] = [];
    let bytes = 0;
    // A cursor: rows past the budget are never read.
    for (const row of this.sql.exec<WbItemRow & { bytes: number }>("SELECT *, length(CAST(body AS BLOB)) AS bytes FROM wb_items WHERE erased = 0 ORDER BY seq")) {
      bytes += row.bytes;
      if (bytes > maxBytes) return { pages: this.pages(), items, truncated: true };
      const item = parseItem(row);
      if (item) items.push(item);
    }
    return { pages: this.pages(), items };
  }

  counts(): { pages: number; items: number } {
    return { pages: this.pages().length, items: this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM wb_items WHERE erased = 0").one().n };
  }

  /**
   * Adds `author`'s item when it fits their share (domain/video/whiteboard.ts `boardShare`) and the board's total. Erased
   * marks count until their room is needed: then the oldest go (the author's own for their share), and undo can no
   * longer bring them back. Only what is on the board, drawn and not erased, can make it full.
   */
  add(item: WbItem, author: string): BoardChange {
    if (!this.pages().some((p) => p.id === item.page)) return { ok: false, code: "unknown_page", message: "That page does not exist." };
    if (this.sql.exec("SELECT 1 FROM wb_items WHERE id = ?", item.id).toArray().length) return { ok: false, code: "duplicate_item", message: "That item is already on the board." };
    const body = JSON.stringify(item);
    const size = utf8Bytes(body);
    const { tutorId, seats } = this.people();
    const share = boardShare(author === tutorId ? "tutor" : "student", seats);
    if (share.bytes < WB_LIMITS.boardBytes && !this.makeRoom(share, size, author)) {
      return {
        ok: false,
        code: "board_share_full",
        message: `You have filled your share of this class's whiteboard (about ${Math.round(share.bytes / 1_000)} KB each, so everyone can draw). Erase some of your marks first.`,
      };
    }
    if (!this.makeRoom({ bytes: WB_LIMITS.boardBytes, items: WB_LIMITS.items }, size)) {
      return { ok: false, code: "board_full", message: `The whiteboard is full: a session's board holds about ${WB_LIMITS.boardBytes / 1_000_000} MB of drawing. Erase something first.` };
    }
    const seq = this.nextSeq();
    this.sql.exec("INSERT INTO wb_items (id, page, author, seq, body) VALUES (?, ?, ?, ?, ?)", item.id, item.page, author, seq, body);
    this.sql.exec("INSERT INTO wb_ops (author, kind, ids) VALUES (?, 'add', ?)", author, JSON.stringify([item.id]));
    return { ok: true, kind: "added", item };
  }

  /** Erases the visible items among `ids` (anyone's: the eraser is shared, and undo brings them back). */
  erase(ids: readonly string[], author: string): BoardChange {
    const hit = ids.filter((id) => this.sql.exec("SELECT 1 FROM wb_items WHERE id = ? AND erased = 0", id).toArray().length);
    if (!hit.length) return { ok: true, kind: "none" };
    for (const id of hit) this.sql.exec("UPDATE wb_items SET erased = 1 WHERE id = ?", id);
    this.sql.exec("INSERT INTO wb_ops (author, kind, ids) VALUES (?, 'erase', ?)", author, JSON.stringify(hit));
    return { ok: true, kind: "removed", ids: hit };
  }

  /** Takes back `author`'s latest add (the items disappear) or erase (they come back). */
  undo(author: string): BoardChange {
    const op = this.sql.exec<WbOpRow>("SELECT * FROM wb_ops WHERE author = ? AND undone = 0 ORDER BY seq DESC LIMIT 1", author).toArray()[0];
    if (!op) return { ok: true, kind: "none" };
    this.sql.exec("UPDATE wb_ops SET undone = 1 WHERE seq = ?", op.seq);
    const ids = IdsSchema.parse(JSON.parse(op.ids));
    if (op.kind === "add") {
      const visible = ids.filter((id) => this.sql.exec("SELECT 1 FROM wb_items WHERE id = ? AND erased = 0", id).toArray().length);
      // Nothing can bring back an add taken back (there is no redo): the item goes, and its room with it.
      for (const id of visible) this.sql.exec("DELETE FROM wb_items WHERE id = ?", id);
      return visible.length ? { ok: true, kind: "removed", ids: visible } : { ok: true, kind: "none" };
    }
    const items: WbItem[] = [];
    for (const id of ids) {
      const row = this.sql.exec<WbItemRow>("SELECT * FROM wb_items WHERE id = ? AND erased = 1", id).toArray()[0];
      const item = row ? parseItem(row) : null;
      if (!item) continue;
      this.sql.exec("UPDATE wb_items SET erased = 0, seq = ? WHERE id = ?", this.nextSeq(), id);
      items.push(item);
    }
    return items.length ? { ok: true, kind: "restored", items } : { ok: true, kind: "none" };
  }

  addPage(): BoardChange {
    const pages = this.pages();
    if (pages.length >= WB_LIMITS.pages) return { ok: false, code: "board_full", message: `A whiteboard has at most ${WB_LIMITS.pages} pages.` };
    if (!this.sql.exec("SELECT 1 FROM wb_pages").toArray().length) this.sql.exec("INSERT INTO wb_pages (id, position, title) VALUES (?, 0, ?)", FIRST_PAGE.id, FIRST_PAGE.title);
    const n = pages.length + 1;
    this.sql.exec("INSERT INTO wb_pages (id, position, title) VALUES (?, ?, ?)", `page-${crypto.randomUUID().slice(0, 8)}`, n - 1, `Page ${n}`);
    return { ok: true, kind: "pages", pages: this.pages() };
  }

  /**
   * Takes everything `author` drew off the board, erased or not, and their undo history (the tutor removed them from
   * the session: they cannot come back to it). The ids that were in view, for the others.
   */
  removeAuthor(author: string): BoardChange {
    const visible = this.sql.exec<{ id: string }>("SELECT id FROM wb_items WHERE author = ? AND erased = 0 ORDER BY seq", author).toArray().map((r) => r.id);
    this.sql.exec("DELETE FROM wb_items WHERE author = ?", author);
    this.sql.exec("DELETE FROM wb_ops WHERE author = ?", author);
    return visible.length ? { ok: true, kind: "removed", ids: visible } : { ok: true, kind: "none" };
  }

  /** What the board stores (of `author`'s, with one), erased items included. */
  private usage(author?: string): Usage {
    const row = this.sql
      .exec<{ bytes: number | null; items: number }>(
        `SELECT sum(length(CAST(body AS BLOB))) AS bytes, count(*) AS items FROM wb_items${author === undefined ? "" : " WHERE author = ?"}`,
        ...(author === undefined ? [] : [author]),
      )
      .one();
    return { bytes: row.bytes ?? 0, items: row.items };
  }

  /**
   * Whether one more item of `bytes` fits within `limit` (of `author`'s items, with one), dropping erased items for
   * it, oldest first, when that makes it fit: undo cannot bring those back any more. Nothing is dropped when even
   * that would not make room.
   */
  private makeRoom(limit: WbShare, bytes: number, author?: string): boolean {
    const used = this.usage(author);
    let over = used.bytes + bytes - limit.bytes;
    let overItems = used.items + 1 - limit.items;
    if (over <= 0 && overItems <= 0) return true;
    const erased = this.sql.exec<{ id: string; bytes: number }>(
      `SELECT id, length(CAST(body AS BLOB)) AS bytes FROM wb_items WHERE erased = 1${author === undefined ? "" : " AND author = ?"} ORDER BY seq`,
      ...(author === undefined ? [] : [author]),
    );
    const drop: string[] = [];
    // A cursor: rows past what is needed are never read.
    for (const row of erased) {
      if (over <= 0 && overItems <= 0) break;
      drop.push(row.id);
      over -= row.bytes;
      overItems -= 1;
    }
    if (over > 0 || overItems > 0) return false;
    for (const id of drop) this.sql.exec("DELETE FROM wb_items WHERE id = ?", id);
    return true;
  }

  private nextSeq(): number {
    return (this.sql.exec<{ n: number | null }>("SELECT max(seq) AS n FROM wb_items").one().n ?? 0) + 1;
  }
}

/** A stored item, checked again on the way out (stored JSON is a boundary too). */
function parseItem(row: WbItemRow): WbItem | null {
  const parsed = WbItemSchema.safeParse(JSON.parse(row.body));
  return parsed.success ? parsed.data : null;
}
