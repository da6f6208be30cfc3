import { NOTES_MAX_CHARS, type TextOp, TextOpSchema, applyOp, rebase } from "../../domain/video/textOps";
import type { NotesFormat, NotesState } from "../../domain/video/protocol";
import type { NotesOpRow } from "./storage";

/** How many past edits are kept to rebase late ones (a tab further behind starts over from the text). */
const KEEP_OPS = 500;

export type NotesOutcome =
  | { ok: true; rev: number; op: TextOp; duplicate: boolean }
  | { ok: false; code: "notes_stale" | "notes_full" | "notes_conflict"; message: string };

/**
 * The shared notes in the room object: the text and its revision (in meta) and the latest edits. The object is
 * the sequencer of the notes' operational transformation (domain/video/textOps.ts): an edit made on revision r
 * is rebased over the edits applied since r, applied, and becomes the next revision.
 */
export class NotesPad {
  constructor(
    private readonly sql: SqlStorage,
    private readonly meta: { get(key: string): string | undefined; set(key: string, value: string): void },
  ) {}

  text(): string {
    return this.meta.get("notes_text") ?? "";
  }
  rev(): number {
    return Number(this.meta.get("notes_rev") ?? 0);
  }
  format(): NotesFormat {
    return this.meta.get("notes_format") === "markdown" ? "markdown" : "plain";
  }

  /** The notes for `userId`'s socket, with their edits the room applied most recently. */
  state(userId: string): NotesState {
    const applied = this.sql.exec<{ op_id: string }>("SELECT op_id FROM notes_ops WHERE author = ? ORDER BY rev DESC LIMIT 20", userId).toArray();
    return { rev: this.rev(), text: this.text(), format: this.format(), appliedOpIds: applied.map((r) => r.op_id) };
  }

  edit(author: string, edit: { opId: string; rev: number; op: TextOp }): NotesOutcome {
    const current = this.rev();
    const seen = this.sql.exec<NotesOpRow>("SELECT * FROM notes_ops WHERE author = ? AND op_id = ?", author, edit.opId).toArray()[0];
    if (seen) return { ok: true, rev: seen.rev, op: TextOpSchema.parse(JSON.parse(seen.op)), duplicate: true };
    if (edit.rev > current) return { ok: false, code: "notes_stale", message: "Those notes are from the future; reloading them." };
    const since = this.sql.exec<NotesOpRow>("SELECT * FROM notes_ops WHERE rev > ? ORDER BY rev", edit.rev).toArray();
    if (since.length !== current - edit.rev) return { ok: false, code: "notes_stale", message: "Your notes were too far behind; reloading them." };
    let op: TextOp;
    let text: string;
    try {
      op = rebase(
        edit.op,
        since.map((r) => TextOpSchema.parse(JSON.parse(r.op))),
      );
      text = applyOp(this.text(), op);
    } catch {
      return { ok: false, code: "notes_conflict", message: "That edit no longer fits the notes; reloading them." };
    }
    if (text.length > NOTES_MAX_CHARS) return { ok: false, code: "notes_full", message: `Notes are limited to ${NOTES_MAX_CHARS.toLocaleString("en-US")} characters.` };
    const rev = current + 1;
    this.meta.set("notes_text", text);
    this.meta.set("notes_rev", String(rev));
    this.sql.exec("INSERT INTO notes_ops (rev, author, op_id, op) VALUES (?, ?, ?, ?)", rev, author, edit.opId, JSON.stringify(op));
    this.sql.exec("DELETE FROM notes_ops WHERE rev <= ?", rev - KEEP_OPS);
    return { ok: true, rev, op, duplicate: false };
  }

  setFormat(format: NotesFormat) {
    this.meta.set("notes_format", format);
  }
}
