import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { conversations } from "../features/messages/conversations";
import { t } from "../i18n";

const label = (n: number) => (n ? t("core.nav.messagesUnread", { count: n }) : t("core.nav.messages"));

/** The header's way to Messages, beside the bell: a speech-bubble icon with the unread count (live). */
export function MessagesLink() {
  return (
    <A href="/messages" class="icon-btn bell-btn messages-link" activeClass="active" aria-label={label(conversations.unread())} title={label(conversations.unread())}>
      <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
        <path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z" />
      </svg>
      <Show when={conversations.unread() > 0}>
        <span class="bell-count" data-testid="messages-count" aria-hidden="true">
          {conversations.unread() > 99 ? "99+" : conversations.unread()}
        </span>
      </Show>
    </A>
  );
}
