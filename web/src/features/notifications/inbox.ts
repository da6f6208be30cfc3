import { createResource, createRoot, createSignal } from "solid-js";
import { api, call, messageOf } from "../../lib/api";
import { session } from "../../lib/session";
import { onUserLive } from "../../lib/userLive";
import { t } from "../../i18n";

type InboxView = Awaited<ReturnType<typeof fetchInbox>>;
export type Notification = InboxView["notifications"][number];

const fetchInbox = async () => call(api.notifications.$get());

/**
 * The signed-in user's notifications, shared by the header's bell and /notifications: fetched on sign-in, a live
 * `notification` shows at once (then the list is refetched), and marking read is optimistic with rollback.
 */
export const inbox = createRoot(() => {
  // A failed refetch (offline) keeps the last list on screen instead of failing the header.
  const [view, { mutate, refetch }] = createResource(
    () => session.user()?.id,
    async (): Promise<InboxView> => {
      try {
        return await fetchInbox();
      } catch (e) {
        if (view.latest) return view.latest;
        throw e;
      }
    },
  );
  const [error, setError] = createSignal<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void refetch(), 200);
  };

  onUserLive({
    onMessage: (m) => {
      if (m.type !== "notification") return;
      mutate((v) =>
        v && !v.notifications.some((n) => n.id === m.id)
          ? { notifications: [{ id: m.id, kind: "live", title: m.title, body: m.body, link: m.link ?? null, createdAt: new Date().toISOString(), readAt: null }, ...v.notifications], unread: v.unread + 1 }
          : v,
      );
      refresh();
    },
    onReconnect: refresh,
  });

  /** Marks some (or all) as read at once; puts them back if the server says no. */
  const markRead = async (ids?: string[]) => {
    const before = view.latest;
    if (!before) return;
    const targets = new Set(ids ?? before.notifications.filter((n) => !n.readAt).map((n) => n.id));
    const now = new Date().toISOString();
    const changed = before.notifications.filter((n) => targets.has(n.id) && !n.readAt).length;
    if (!changed && ids) return;
    setError(undefined);
    mutate({ notifications: before.notifications.map((n) => (targets.has(n.id) && !n.readAt ? { ...n, readAt: now } : n)), unread: Math.max(0, before.unread - (ids ? changed : before.unread)) });
    try {
      await call(api.notifications.read.$post({ json: ids ? { ids } : { all: true } }));
    } catch (e) {
      mutate(before);
      setError(t("core.bell.markFailed", { reason: messageOf(e) }));
    }
    // A list fetched before the server marked them (a live notice's refetch) may still be on its way: fetching again
    // makes the newest answer the one shown (a resource keeps only its latest fetch), so a read count never comes back.
    clearTimeout(timer);
    void refetch();
  };

  return {
    view,
    // A resource in error throws when read: an unreachable server (offline) shows an empty bell, not a broken page.
    list: () => (view.error ? [] : (view.latest?.notifications ?? [])),
    unread: () => (view.error ? 0 : (view.latest?.unread ?? 0)),
    error,
    refetch: () => void refetch(),
    markRead,
    markAllRead: () => markRead(),
  };
});
