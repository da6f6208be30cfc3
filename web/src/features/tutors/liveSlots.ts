import { type Accessor, createEffect, createMemo, createResource, createSignal } from "solid-js";
import type { Duration } from "../../../../domain/schemas/availability";
import { connectLive } from "../../lib/live";
import { assertNever } from "../../../../domain/assertNever";
import { type SlotsView, fetchSlots } from "./tutor";
import { createDebounced } from "../../lib/debounce";

type Taken = { start: number; end: number; at: number };
/** Taken time keeps hiding slots this long, covering a refetch that started before the booking. */
const TAKEN_TTL_MS = 10_000;

/** A tutor's slots asked for: `[from, to)` in ms, for one lesson length. */
export type Range = { tutorId: string; from: number; to: number; duration: Duration };
export const sameRange = (a: Range, b: Range) => a.tutorId === b.tutorId && a.from === b.from && a.to === b.to && a.duration === b.duration;

/**
 * A tutor's free slots for a range, kept live over `/api/tutors/:id/live`: time another viewer takes vanishes
 * at once (before the refetch that follows), and any change or reconnect refetches. No socket while `source`
 * is undefined.
 */
export function createLiveSlots(source: Accessor<Range | undefined>) {
  const [view, { refetch }] = createResource(source, async (s) => ({ ...(await fetchSlots(s.tutorId, s.from, s.to, s.duration)), range: s }));
  const [taken, setTaken] = createSignal<Taken[]>([]);
  const refresh = createDebounced(() => void refetch(), 120);

  /** Drops a slot locally (e.g. the viewer's own booking attempt found it gone). */
  const markTaken = (start: string, end: string) => {
    const now = Date.now();
    setTaken((list) => [...list.filter((t) => now - t.at < TAKEN_TTL_MS), { start: Date.parse(start), end: Date.parse(end), at: now }]);
    refresh();
  };

  // One socket per tutor (not per week or duration): a memo only changes when the tutor does.
  const tutorId = createMemo(() => source()?.tutorId);
  const [live, setLive] = createSignal<ReturnType<typeof connectLive>>();
  createEffect(() => {
    const id = tutorId();
    if (!id) return setLive(undefined);
    setLive(
      connectLive(`/api/tutors/${encodeURIComponent(id)}/live`, {
        onMessage: (m) => {
          switch (m.type) {
            case "slots.changed":
              if (m.tutorId !== id) return;
              if (m.taken.length) for (const t of m.taken) markTaken(t.start, t.end);
              else refresh();
              return;
            case "hello":
            case "pong":
            case "booking.changed":
            case "credits.changed":
            case "notification":
            case "message.created":
            case "conversation.updated":
              return;
            default:
              return assertNever(m);
          }
        },
        onReconnect: refresh,
      }),
    );
  });

  // An errored resource throws when read: everything below reads the last good answer, or nothing. Only an answer
  // for the range asked now counts: while another week or length loads, the last one's times (or its "no free time")
  // would be shown as this one's. (With nothing asked for the moment, e.g. while the session is re-checked, the last
  // answer stays.)
  const latest = (): SlotsView | undefined => {
    const answer = view.state === "errored" ? undefined : view.latest;
    const range = source();
    return answer && (!range || sameRange(answer.range, range)) ? answer : undefined;
  };
  const slots = createMemo(() => {
    const list = latest()?.slots ?? [];
    const now = Date.now();
    const t = taken().filter((x) => now - x.at < TAKEN_TTL_MS);
    if (!t.length) return list;
    return list.filter((s) => {
      const a = Date.parse(s.start);
      const b = Date.parse(s.end);
      return !t.some((x) => a < x.end && x.start < b);
    });
  });

  return {
    /** `latest`: the answer for the range asked now, none while another range's is still shown. */
    view: { get latest(): SlotsView | undefined { return latest(); }, get loading() { return view.loading; }, get error(): unknown { return view.error; } },
    slots,
    groups: () => latest()?.groups ?? [],
    refetch: refresh,
    markTaken,
    status: () => live()?.status() ?? "connecting",
  };
}

