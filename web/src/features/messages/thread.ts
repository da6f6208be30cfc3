import { type Accessor, createEffect, createMemo, createResource, createSignal, on, onCleanup } from "solid-js";
import { createStore, produce } from "solid-js/store";
import { ApiFailure, api, call, messageOf } from "../../lib/api";
import { createDebounced } from "../../lib/debounce";
import { previewOf } from "../../../../domain/messaging/text";
import { session } from "../../lib/session";
import { onUserLive } from "../../lib/userLive";
import { type Message, conversations } from "./conversations";
import { t } from "../../i18n";

/** A message of the caller that is on its way (or failed): shown at the end of the thread until the server has it. */
export type Outgoing = { localId: string; text: string; key: string; state: "sending" | "failed"; error?: string };

const PAGE = 30;

const fetchPage = (id: string, cursor?: string, q?: string) =>
  call(api.conversations[":id"].messages.$get({ param: { id }, query: { limit: String(PAGE), ...(cursor ? { cursor } : {}), ...(q ? { q } : {}) } }));

/** Words for the failures a send can meet. */
export function sendErrorText(e: unknown): string {
  if (e instanceof ApiFailure && e.code === "rate_limited") return t("messages.thread.sendingFast");
  return messageOf(e);
}

/**
 * One conversation as its participant sees it: history paged back by cursor, messages arriving live (placed by
 * `seq`, each once), the caller's own messages shown at once while they are sent (retry with the same
 * Idempotency-Key lands them once), read marking while the thread is on screen, and search.
 */
export function createThread(conversationId: Accessor<string>) {
  // Only a different conversation resets the thread (the summary it comes from changes with every message).
  const id = createMemo(conversationId);
  const [messages, setMessages] = createStore<Message[]>([]);
  const [outgoing, setOutgoing] = createStore<Outgoing[]>([]);
  const [older, setOlder] = createSignal<string | null>(null);
  const [loadingOlder, setLoadingOlder] = createSignal(false);
  const [olderError, setOlderError] = createSignal<string>();

  /** Puts messages in place by `seq`, skipping any already there. */
  const merge = (list: Message[]) =>
    setMessages(
      produce((all) => {
        for (const m of list) {
          if (all.some((x) => x.id === m.id)) continue;
          const at = all.findIndex((x) => x.seq > m.seq);
          all.splice(at === -1 ? all.length : at, 0, m);
        }
      }),
    );

  const [latest, { refetch }] = createResource(id, (c) => fetchPage(c));
  createEffect(
    on(id, () => {
      setMessages([]);
      setOutgoing([]);
      setOlder(null);
    }),
  );
  createEffect(() => {
    const page = latest.latest;
    if (!page) return;
    merge(page.messages);
    if (older() === null || messages.length <= page.messages.length) setOlder(page.nextCursor);
  });

  const loadOlder = async () => {
    const cursor = older();
    if (!cursor || loadingOlder()) return;
    setLoadingOlder(true);
    setOlderError(undefined);
    try {
      const page = await fetchPage(id(), cursor);
      merge(page.messages);
      setOlder(page.nextCursor);
    } catch (e) {
      setOlderError(t("messages.thread.olderFailed", { reason: messageOf(e) }));
    } finally {
      setLoadingOlder(false);
    }
  };

  // ── reading ──
  const visible = () => document.visibilityState === "visible";
  const markRead = createDebounced(() => {
    const c = conversations.find(id());
    if (!visible() || !c || c.unread === 0) return;
    conversations.patch(id(), { unread: 0 });
    call(api.conversations[":id"].read.$post({ param: { id: id() } })).catch(() => conversations.refetch());
  }, 400);
  createEffect(on([id, () => conversations.find(id())?.unread], () => markRead()));
  const onVisible = () => visible() && markRead();
  document.addEventListener("visibilitychange", onVisible);
  onCleanup(() => document.removeEventListener("visibilitychange", onVisible));

  onUserLive({
    onMessage: (m) => {
      if (m.type === "message.created" && m.conversationId === id()) merge([m.message]);
    },
    // Anything sent while the socket was down comes with the newest page.
    onReconnect: () => void refetch(),
  });

  // ── sending ──
  const deliver = async (item: Outgoing) => {
    setOutgoing((o) => o.localId === item.localId, { state: "sending", error: undefined });
    try {
      const { message } = await call(api.conversations[":id"].messages.$post({ param: { id: id() }, json: { text: item.text } }, { headers: { "Idempotency-Key": item.key } }));
      merge([message]);
      setOutgoing((list) => list.filter((o) => o.localId !== item.localId));
      conversations.patch(id(), { lastMessage: { preview: previewOf(message.text), at: message.createdAt, fromMe: true } });
    } catch (e) {
      setOutgoing((o) => o.localId === item.localId, { state: "failed", error: sendErrorText(e) });
    }
  };
  const send = (text: string) => {
    const item: Outgoing = { localId: crypto.randomUUID(), text, key: crypto.randomUUID(), state: "sending" };
    setOutgoing((list) => [...list, item]);
    void deliver(item);
  };
  const retry = (localId: string) => {
    const item = outgoing.find((o) => o.localId === localId);
    if (item) void deliver({ ...item });
  };
  const discard = (localId: string) => setOutgoing((list) => list.filter((o) => o.localId !== localId));

  // ── search ──
  const [query, setQuery] = createSignal("");
  const [results] = createResource(
    () => (query().trim() ? { id: id(), q: query().trim() } : undefined),
    (s) => fetchPage(s.id, undefined, s.q),
  );

  return {
    messages: () => messages,
    outgoing: () => outgoing,
    loading: () => latest.loading && !latest.latest,
    error: () => (latest.error ? t("messages.thread.threadFailed", { reason: messageOf(latest.error) }) : undefined),
    hasOlder: () => older() !== null,
    loadingOlder,
    olderError,
    loadOlder,
    send,
    retry,
    discard,
    query,
    search: setQuery,
    results,
    me: () => session.user()?.id,
  };
}
export type Thread = ReturnType<typeof createThread>;
