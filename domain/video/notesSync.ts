import { type TextOp, applyOp, diffOp, isNoop, transform, transformIndex } from "./textOps";

export type OutgoingEdit = { opId: string; rev: number; op: TextOp };

/**
 * One browser's copy of the shared notes: what the room last confirmed (`confirmed` at `rev`), at most one edit in
 * flight, and the text as typed here. Local typing needs no bookkeeping: the next edit to send is the difference
 * between the text after the one in flight and the text now. Remote edits arrive already sequenced and are
 * transformed over what this browser has not had confirmed yet, so typing is never lost or reordered.
 */
export class NotesCopy {
  rev: number;
  /** The text at `rev`, as the room has it. */
  private confirmed: string;
  private inFlight: OutgoingEdit | null = null;
  /** The text as shown here. */
  text: string;
  private seq = 0;

  constructor(
    state: { rev: number; text: string },
    private readonly newId: () => string,
  ) {
    this.rev = state.rev;
    this.confirmed = state.text;
    this.text = state.text;
  }

  /**
   * Starts over from the room's state (after a reconnect). `appliedOpIds` are this user's latest edits the room
   * applied, so an edit whose answer was lost is not applied twice. Typing the room never got is kept when the
   * room's text is still the one it was typed on; otherwise the room's text wins.
   */
  reset(state: { rev: number; text: string; appliedOpIds: readonly string[] }) {
    const base = this.inFlight && state.appliedOpIds.includes(this.inFlight.opId) ? this.sent() : this.confirmed;
    const typed = diffOp(base, this.text);
    this.rev = state.rev;
    this.confirmed = state.text;
    this.inFlight = null;
    this.text = state.text;
    if (!isNoop(typed) && base === state.text) this.text = applyOp(state.text, typed);
  }

  /** The text after the edit in flight is confirmed. */
  private sent(): string {
    return this.inFlight ? applyOp(this.confirmed, this.inFlight.op) : this.confirmed;
  }

  /** The next edit to send, when none is in flight and something changed. */
  outgoing(): OutgoingEdit | null {
    if (this.inFlight) return null;
    const op = diffOp(this.confirmed, this.text);
    if (isNoop(op)) return null;
    this.inFlight = { opId: `${this.newId()}-${++this.seq}`, rev: this.rev, op };
    return this.inFlight;
  }

  /** The room applied our edit as revision `rev`. */
  ack(opId: string, rev: number): boolean {
    if (!this.inFlight || this.inFlight.opId !== opId) return false;
    this.confirmed = applyOp(this.confirmed, this.inFlight.op);
    this.inFlight = null;
    this.rev = rev;
    return true;
  }

  /** Someone else's edit, applied by the room as revision `rev`; returns where the caret `at` moves to. */
  remote(op: TextOp, rev: number, caret: { start: number; end: number }): { start: number; end: number } {
    const sentBefore = this.sent();
    const typed = diffOp(sentBefore, this.text);
    this.confirmed = applyOp(this.confirmed, op);
    let theirs = op;
    if (this.inFlight) {
      const [theirsOverFlight, flight] = transform(op, this.inFlight.op);
      this.inFlight = { ...this.inFlight, op: flight };
      theirs = theirsOverFlight;
    }
    const [theirsOverTyped] = transform(theirs, typed);
    this.text = applyOp(this.text, theirsOverTyped);
    this.rev = rev;
    return { start: transformIndex(caret.start, theirsOverTyped), end: transformIndex(caret.end, theirsOverTyped) };
  }
}
