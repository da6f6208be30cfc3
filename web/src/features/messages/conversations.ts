import { createResource, createRoot, createSignal } from "solid-js";
import type { Message } from "../../../../domain/schemas/conversation";
import { previewOf } from "../../../../domain/messaging/text";
import { api, call } from "../../lib/api";
import { createDebounced } from "../../lib/debounce";
import { session } from "../../lib/session";
import { onUserLive } from "../../lib/userLive";

const fetchConversations = async () => call(api.conversations.$get());
type ConversationsView = Awaited<ReturnType<typeof fetchConversations>>;
export type ConversationSummary = ConversationsView["conversations"][number];

/**
 * The signed-in student's or tutor's conversations and their unread total (the nav's badge), shared by the
 * whole app: fetched on sign-in, kept current by `message.created` and `conversation.updated` on the user's
 * live feed, refetched after a reconnect. Small and zod-free: it loads with the header.
 */
export const conversations = createRoot(() => {
  // Failures are kept beside the last good answer (a failed refetch, offline, keeps the list on screen).
  const [failure, setFailure] = createSignal<unknown>();
  const [view, { mutate, refetch }] = createResource(
    () => {
      const u = session.user();
      return u && u.role !== "admin" ? u.id : undefined;
    },
    async (): Promise<ConversationsView | undefined> => {
      try {
        const v = await fetchConversations();
        setFailure(undefined);
        return v;
      } catch (e) {
        setFailure(e);
        return view.latest;
      }
    },
  );
  const refresh = createDebounced(() => void refetch(), 300);

  /** Applies one conversation's new state; an unknown conversation (someone wrote for the first time) refetches. */
  const patch = (id: string, change: Partial<ConversationSummary>) => {
    const v = view.latest;
    const before = v?.conversations.find((c) => c.id === id);
    if (!v || !before) return refresh();
    const after = { ...before, ...change };
    const rest = v.conversations.filter((c) => c.id !== id);
    mutate({ conversations: change.lastMessage ? [after, ...rest] : v.conversations.map((c) => (c.id === id ? after : c)), unread: Math.max(0, v.unread + after.unread - before.unread) });
  };

  onUserLive({
    onMessage: (m) => {
      if (m.type === "message.created") {
        const me = session.user()?.id;
        patch(m.conversationId, { unread: m.unread, lastMessage: { preview: previewOf(m.message.text), at: m.message.createdAt, fromMe: m.message.senderId === me } });
      } else if (m.type === "conversation.updated") {
        patch(m.conversationId, { unread: m.unread, canSend: m.canSend, blockedByMe: m.blockedByMe });
      }
    },
    onReconnect: refresh,
  });

  return {
    view,
    failure,
    list: () => view.latest?.conversations ?? [],
    unread: () => view.latest?.unread ?? 0,
    find: (id: string) => view.latest?.conversations.find((c) => c.id === id),
    /** A conversation the caller just started or changed (from the API's answer). */
    put: (c: ConversationSummary) => {
      const v = view.latest;
      if (!v) return void refetch();
      const before = v.conversations.find((x) => x.id === c.id);
      mutate({ conversations: before ? v.conversations.map((x) => (x.id === c.id ? c : x)) : [c, ...v.conversations], unread: Math.max(0, v.unread + c.unread - (before?.unread ?? 0)) });
    },
    patch,
    refetch: () => void refetch(),
  };
});

/** Starts (or finds) the conversation with a tutor (as a student) or a student (as a tutor); returns its id. */
export async function startConversation(who: { tutorId: string } | { studentId: string }): Promise<string> {
  const { conversation } = await call(api.conversations.$post({ json: who }));
  conversations.put(conversation);
  return conversation.id;
}

export type { Message };
