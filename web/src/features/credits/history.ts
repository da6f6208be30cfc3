import { createSignal } from "solid-js";
import { api, call, messageOf } from "../../lib/api";

/** One page of the student's credit history, newest first (`cursor`: the page before's `next`). */
export const fetchHistoryPage = async (cursor?: string) => call(api.billing.credits.history.$get({ query: { cursor, limit: "20" } }));
export type HistoryPage = Awaited<ReturnType<typeof fetchHistoryPage>>;
export type HistoryEntry = HistoryPage["entries"][number];

/**
 * The credit history as the page shows it: the newest page, then older ones appended by `more()`. `reload()` starts
 * again from the newest (after a purchase, a booking or a refund changes the balance). Each has its pending and error.
 */
export function createCreditHistory() {
  const [entries, setEntries] = createSignal<HistoryEntry[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [loaded, setLoaded] = createSignal(false);
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  let generation = 0;

  const load = async (cursor: string | undefined) => {
    const mine = ++generation;
    setPending(true);
    setError(undefined);
    try {
      const page = await fetchHistoryPage(cursor);
      if (mine !== generation) return;
      setEntries((list) => (cursor ? [...list, ...page.entries] : page.entries));
      setNext(page.next);
      setLoaded(true);
    } catch (e) {
      if (mine === generation) setError(messageOf(e));
    } finally {
      if (mine === generation) setPending(false);
    }
  };
  void load(undefined);
  return {
    entries,
    loaded,
    pending,
    error,
    hasMore: () => next() !== null,
    more: () => void load(next() ?? undefined),
    reload: () => void load(undefined),
  };
}
