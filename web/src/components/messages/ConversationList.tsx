import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { ConversationSummary } from "../../features/messages/conversations";
import { dayOf, formatDate, formatTime } from "../../lib/time";

const T = {
  title: "Messages",
  loading: "Loading conversations…",
  failed: "Couldn't load your conversations. Check your connection; we'll try again.",
  emptyStudent: "No conversations yet. Write to a tutor from their page, or from one of your sessions.",
  emptyTutor: "No conversations yet. Students can write to you from your page; you can write to a student from a session they booked.",
  you: (preview: string) => `You: ${preview}`,
  noMessages: "No messages yet",
  unread: (n: number) => (n === 1 ? "1 unread message" : `${n} unread messages`),
  roleTutor: "Tutor",
  roleStudent: "Student",
  blocked: "Blocked",
};

/** When something happened, short: the time today, the date before. */
const when = (t: string, zone: string) => (dayOf(t, zone) === dayOf(Date.now(), zone) ? formatTime(t, zone) : formatDate(t, zone));

/** The caller's conversations, latest first, with a preview and the unread count of each. */
export function ConversationList(props: { items: ConversationSummary[]; loading: boolean; failed: boolean; zone: string; role: "student" | "tutor"; current?: string }) {
  return (
    <>
      <h1 id="conversations-title" class="convo-title">
        {T.title}
      </h1>
      <Show when={props.failed && !props.items.length}>
        <p class="alert error" role="alert">
          {T.failed}
        </p>
      </Show>
      <Show when={props.items.length} fallback={<p class="empty small">{props.loading ? T.loading : props.failed ? "" : props.role === "student" ? T.emptyStudent : T.emptyTutor}</p>}>
        <ul class="convo-list" aria-labelledby="conversations-title">
          <For each={props.items}>
            {(c) => (
              <li>
                <A href={`/messages/${c.id}`} class="convo" classList={{ unread: c.unread > 0 }} aria-current={props.current === c.id ? "page" : undefined} data-conversation={c.id}>
                  <span class="avatar small" aria-hidden="true">
                    {c.other.name.charAt(0)}
                  </span>
                  <span class="convo-main">
                    <span class="convo-head">
                      <span class="convo-name">{c.other.name}</span>
                      <span class="badge">{c.other.role === "tutor" ? T.roleTutor : T.roleStudent}</span>
                      <Show when={!c.canSend}>
                        <span class="badge danger">{T.blocked}</span>
                      </Show>
                      <Show when={c.lastMessage}>{(m) => <span class="convo-time small muted">{when(m().at, props.zone)}</span>}</Show>
                    </span>
                    <span class="convo-preview small muted">{c.lastMessage ? (c.lastMessage.fromMe ? T.you(c.lastMessage.preview) : c.lastMessage.preview) : T.noMessages}</span>
                  </span>
                  <Show when={c.unread > 0}>
                    <span class="count-badge" aria-label={T.unread(c.unread)}>
                      {c.unread > 99 ? "99+" : c.unread}
                    </span>
                  </Show>
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </>
  );
}
