import { createSignal } from "solid-js";
import { NotesCopy } from "../../../../domain/video/notesSync";
import type { NotesFormat, RoomClientMessage, RoomServerMessage } from "../../../../domain/video/protocol";

export type Notes = {
  text(): string;
  format(): NotesFormat;
  ready(): boolean;
  handle(m: Extract<RoomServerMessage, { type: `notes.${string}` }>): void;
  /** The textarea changed (typing, paste, cut). */
  input(text: string): void;
  setFormat(format: NotesFormat): void;
  /** The textarea whose caret follows others' edits. */
  bind(el: HTMLTextAreaElement): void;
};

/** At most this often an edit goes out while typing (one is in flight at a time anyway). */
const FLUSH_MS = 80;

/**
 * One browser's side of the shared notes (domain/video/notesSync.ts does the bookkeeping): typing goes out as
 * edits, one in flight at a time; others' edits are merged into the text without moving this person's caret
 * off what they were typing.
 */
export function createNotes(send: (m: RoomClientMessage) => void): Notes {
  let copy: NotesCopy | null = null;
  let area: HTMLTextAreaElement | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const [text, setText] = createSignal("");
  const [format, setFormatSignal] = createSignal<NotesFormat>("plain");
  const [ready, setReady] = createSignal(false);

  let sentAt = 0;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const out = copy?.outgoing();
    if (!out) return;
    sentAt = performance.now();
    send({ type: "notes.edit", opId: out.opId, rev: out.rev, op: out.op });
  };
  // An edit goes out at once when none went out for FLUSH_MS, else when that much time has passed.
  const schedule = () => {
    if (timer) return;
    const wait = FLUSH_MS - (performance.now() - sentAt);
    if (wait <= 0) flush();
    else timer = setTimeout(flush, wait);
  };

  return {
    text,
    format,
    ready,
    handle(m) {
      switch (m.type) {
        case "notes.state":
          if (copy) copy.reset(m.notes);
          else copy = new NotesCopy(m.notes, () => crypto.randomUUID().slice(0, 8));
          setText(copy.text);
          setFormatSignal(m.notes.format);
          setReady(true);
          schedule();
          return;
        case "notes.ack":
          if (copy?.ack(m.opId, m.rev)) schedule();
          return;
        case "notes.edit": {
          if (!copy) return;
          const caret = area && document.activeElement === area ? { start: area.selectionStart, end: area.selectionEnd } : { start: 0, end: 0 };
          const moved = copy.remote(m.op, m.rev, caret);
          setText(copy.text);
          if (area && document.activeElement === area) {
            area.value = copy.text;
            area.setSelectionRange(moved.start, moved.end);
          }
          return;
        }
        case "notes.format":
          setFormatSignal(m.format);
          return;
      }
    },
    input(value) {
      if (!copy) return;
      copy.text = value;
      setText(value);
      schedule();
    },
    setFormat(f) {
      setFormatSignal(f);
      send({ type: "notes.format", format: f });
    },
    bind(el) {
      area = el;
    },
  };
}
