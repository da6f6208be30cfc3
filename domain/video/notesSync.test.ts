import { describe, expect, it } from "vitest";
import { NotesCopy } from "./notesSync";
import { type TextOp, applyOp, rebase } from "./textOps";

/** The room's side in miniature: a text, its revisions, and the rebase of late edits. */
class Sequencer {
  text = "";
  log: { op: TextOp; opId: string }[] = [];
  apply(edit: { rev: number; op: TextOp; opId: string }) {
    const op = rebase(edit.op, this.log.slice(edit.rev).map((e) => e.op));
    this.text = applyOp(this.text, op);
    this.log.push({ op, opId: edit.opId });
    return { op, rev: this.log.length };
  }
}

let n = 0;
const copy = () => new NotesCopy({ rev: 0, text: "" }, () => `c${++n}`);
const caret = { start: 0, end: 0 };

describe("NotesCopy", () => {
  it("two people typing at once end with the same text, nobody's typing lost", () => {
    const room = new Sequencer();
    const maya = copy();
    const anish = copy();
    maya.text = "Homework: ";
    const m1 = maya.outgoing()!;
    anish.text = "Fractions";
    const a1 = anish.outgoing()!;
    // The room takes Maya's first, then Anish's (made on the empty text).
    const r1 = room.apply(m1);
    maya.ack(m1.opId, r1.rev);
    anish.remote(r1.op, r1.rev, caret);
    const r2 = room.apply(a1);
    anish.ack(a1.opId, r2.rev);
    maya.remote(r2.op, r2.rev, caret);
    expect(room.text).toBe("Homework: Fractions");
    expect(maya.text).toBe(room.text);
    expect(anish.text).toBe(room.text);
  });

  it("keeps typing that has not been sent yet when someone else's edit arrives, and moves the caret", () => {
    const room = new Sequencer();
    const maya = copy();
    const anish = copy();
    maya.text = "abc";
    const m1 = maya.outgoing()!;
    const r1 = room.apply(m1);
    maya.ack(m1.opId, r1.rev);
    anish.remote(r1.op, r1.rev, caret);
    // Maya types more (not sent yet); Anish inserts at the start.
    maya.text = "abcd";
    anish.text = "Xabc";
    const a = anish.outgoing()!;
    const r2 = room.apply(a);
    const moved = maya.remote(r2.op, r2.rev, { start: 4, end: 4 });
    expect(maya.text).toBe("Xabcd");
    expect(moved).toEqual({ start: 5, end: 5 });
    const m2 = maya.outgoing()!;
    const r3 = room.apply(m2);
    maya.ack(m2.opId, r3.rev);
    anish.ack(a.opId, r2.rev);
    anish.remote(r3.op, r3.rev, caret);
    expect(room.text).toBe("Xabcd");
    expect(anish.text).toBe("Xabcd");
  });

  it("sends one edit at a time: nothing more goes out until the first is confirmed", () => {
    const maya = copy();
    maya.text = "a";
    expect(maya.outgoing()).not.toBeNull();
    maya.text = "ab";
    expect(maya.outgoing()).toBeNull();
  });

  it("after a reconnect, does not apply twice an edit the room had already taken", () => {
    const maya = copy();
    maya.text = "hello";
    const sent = maya.outgoing()!;
    maya.text = "hello!";
    maya.reset({ rev: 1, text: "hello", appliedOpIds: [sent.opId] });
    expect(maya.text).toBe("hello!");
    expect(maya.outgoing()!.op).toEqual([5, "!"]);
  });

  it("after a reconnect, resends typing the room never got", () => {
    const maya = copy();
    maya.text = "hello";
    maya.outgoing();
    maya.reset({ rev: 0, text: "", appliedOpIds: [] });
    expect(maya.text).toBe("hello");
  });
});
