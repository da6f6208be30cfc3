import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { ConversationSummary } from "../../features/messages/conversations";
import { dayOf, formatDate, formatTime } from "../../lib/time";
import { t } from "../../i18n";

/** The words, from the catalogs (getters: each read follows the language). */
const T = {
  get title() {
    return t("messages.list.title");
  },
  get loading() {
    return t("messages.list.loading");
  },
  get failed() {
    return t("messages.list.failed");
  },
  get emptyStudent() {
    return t("messages.list.emptyStudent");
  },
  get emptyTutor() {
    return t("messages.list.emptyTutor");
  },
  you: (preview: string) => t("messages.list.you", { preview }),
  get noMessages() {
    return t("messages.list.noMessages");
  },
  unread: (n: number) => t("messages.list.unread", { count: n }),
  get roleTutor() {
    return t("messages.list.roleTutor");
  },
  get roleStudent() {
    return t("messages.list.roleStudent");
  },
  get blocked() {
    return t("messages.list.blocked");
  },
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
