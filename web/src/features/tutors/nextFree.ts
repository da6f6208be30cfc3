import { type Accessor, createMemo, createResource } from "solid-js";
import { type Range, sameRange } from "./liveSlots";
import { type Slot, fetchSlots } from "./tutor";

/** How far past the week shown "next free time" looks: one request, well inside the slots route's 92 days. */
export const NEXT_FREE_WEEKS = 8;

/**
 * A tutor's first free start in `range` (asked only while `range` is defined, e.g. while the week shown has
 * none): `undefined` while unknown, `null` when there is none. An answer for another range never counts.
 */
export function createNextFree(range: Accessor<Range | undefined>): Accessor<Slot | null | undefined> {
  // Asked again only when the range itself changes, not whenever the accessor re-runs.
  const asked = createMemo(range, undefined, { equals: (a, b) => (a && b ? sameRange(a, b) : a === b) });
  const [first] = createResource(asked, async (r) => ({ range: r, slot: (await fetchSlots(r.tutorId, r.from, r.to, r.duration)).slots[0] ?? null }));
  return () => {
    const r = asked();
    const answer = first.state === "ready" ? first() : undefined;
    return r && answer && sameRange(answer.range, r) ? answer.slot : undefined;
  };
}
