import { z } from "zod";

/**
 * Operational transformation for the shared notes pad: an edit is a list of components that walk the whole
 * document — a positive number keeps that many characters, a negative number deletes that many, a string is
 * inserted. The room object is the single sequencer: it transforms a late edit over the edits it applied since
 * the edit's base revision, so every copy converges on the same text (the scheme of Jupiter and ot.js).
 * Lengths count UTF-16 code units, as `string.length` and textarea selections do.
 */
export type TextOp = (number | string)[];

export const NOTES_MAX_CHARS = 50_000;
export const TextOpSchema = z
  .array(z.union([z.number().int().min(-NOTES_MAX_CHARS).max(NOTES_MAX_CHARS).refine((n) => n !== 0), z.string().min(1).max(NOTES_MAX_CHARS)]))
  .min(1)
  .max(2_000);

const isRetain = (c: number | string | undefined): c is number => typeof c === "number" && c > 0;
const isDelete = (c: number | string | undefined): c is number => typeof c === "number" && c < 0;
const isInsert = (c: number | string | undefined): c is string => typeof c === "string";

/** Appends a component, merging it with the last one of the same kind. */
function push(op: TextOp, c: number | string) {
  if (c === 0 || c === "") return;
  const last = op[op.length - 1];
  if (isInsert(c) && isInsert(last)) op[op.length - 1] = last + c;
  else if (isRetain(c) && isRetain(last)) op[op.length - 1] = last + c;
  else if (isDelete(c) && isDelete(last)) op[op.length - 1] = last + c;
  else op.push(c);
}

/** The length of the document an op applies to, and of the one it produces. */
export function lengths(op: TextOp): { base: number; target: number } {
  let base = 0;
  let target = 0;
  for (const c of op) {
    if (isRetain(c)) {
      base += c;
      target += c;
    } else if (isDelete(c)) base -= c;
    else target += c.length;
  }
  return { base, target };
}

/** Applies `op` to `doc`; throws when the op was made for a document of another length. */
export function applyOp(doc: string, op: TextOp): string {
  if (lengths(op).base !== doc.length) throw new Error(`Edit made for ${lengths(op).base} characters, document has ${doc.length}`);
  let out = "";
  let at = 0;
  for (const c of op) {
    if (isRetain(c)) {
      out += doc.slice(at, at + c);
      at += c;
    } else if (isDelete(c)) at -= c;
    else out += c;
  }
  return out;
}

/** The single edit that turns `before` into `after` (common prefix and suffix kept, the middle replaced). */
export function diffOp(before: string, after: string): TextOp {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  const op: TextOp = [];
  push(op, start);
  push(op, after.slice(start, after.length - end));
  push(op, -(before.length - start - end));
  push(op, end);
  return op;
}

/** Whether an op changes nothing. */
export const isNoop = (op: TextOp) => op.every(isRetain);

/**
 * Transforms two concurrent ops made on the same document: returns `[a', b']` with
 * `apply(apply(doc, a), b') === apply(apply(doc, b), a')`. Where both insert at the same place, `a`'s text comes
 * first: callers pass the op the sequencer applied first as `a`.
 */
export function transform(a: TextOp, b: TextOp): [TextOp, TextOp] {
  if (lengths(a).base !== lengths(b).base) throw new Error("Concurrent edits of documents of different lengths");
  const a2: TextOp = [];
  const b2: TextOp = [];
  let i = 0;
  let j = 0;
  let ca: number | string | undefined = a[i++];
  let cb: number | string | undefined = b[j++];
  for (;;) {
    if (ca === undefined && cb === undefined) break;
    if (isInsert(ca)) {
      push(a2, ca);
      push(b2, ca.length);
      ca = a[i++];
      continue;
    }
    if (isInsert(cb)) {
      push(a2, cb.length);
      push(b2, cb);
      cb = b[j++];
      continue;
    }
    if (ca === undefined || cb === undefined) throw new Error("Edits of different lengths");
    const na = Math.abs(ca);
    const nb = Math.abs(cb);
    const n = Math.min(na, nb);
    if (isRetain(ca) && isRetain(cb)) {
      push(a2, n);
      push(b2, n);
    } else if (isDelete(ca) && isDelete(cb)) {
      // Both deleted the same text: nothing left to delete on either side.
    } else if (isDelete(ca)) push(a2, -n);
    else push(b2, -n);
    ca = na > n ? Math.sign(ca) * (na - n) : a[i++];
    cb = nb > n ? Math.sign(cb) * (nb - n) : b[j++];
  }
  return [a2, b2];
}

/** Where a caret at `index` moves to when `op` is applied (text inserted at the caret goes before it). */
export function transformIndex(index: number, op: TextOp): number {
  let from = 0;
  let to = 0;
  for (const c of op) {
    if (isRetain(c)) {
      if (from + c > index) return to + (index - from);
      from += c;
      to += c;
    } else if (isDelete(c)) {
      if (from - c > index) return to;
      from -= c;
    } else to += c.length;
  }
  return to + Math.max(0, index - from);
}

/**
 * Rebases an edit made at an older revision over the edits the sequencer applied since (oldest first); theirs
 * came first, so where both insert at one place theirs stays first.
 */
export function rebase(op: TextOp, applied: readonly TextOp[]): TextOp {
  let out = op;
  for (const b of applied) out = transform(b, out)[1];
  return out;
}
