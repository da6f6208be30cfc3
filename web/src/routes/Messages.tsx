import { useParams } from "@solidjs/router";
import { Show } from "solid-js";
import type { User } from "../../../domain/schemas/auth";
import { Guard } from "../components/Guard";
import { ConversationList } from "../components/messages/ConversationList";
import { ThreadView } from "../components/messages/ThreadView";
import { conversations } from "../features/messages/conversations";
import "../features/messages/messages.css";
import { session } from "../lib/session";
import { t } from "../i18n";

/** The words, from the catalogs (getters: each read follows the language). */
const T = {
  get choose() {
    return t("messages.page.choose");
  },
  get missing() {
    return t("messages.page.missing");
  },
  get loading() {
    return t("messages.page.loading");
  },
};

/** /messages and /messages/:id: the caller's conversations beside the open one (one at a time on phones). */
export default function Messages() {
  return (
    <Guard roles={["student", "tutor"]}>
      <MessagesPage user={session.user()!} />
    </Guard>
  );
}

function MessagesPage(props: { user: User }) {
  const params = useParams<{ id?: string }>();
  conversations.refetch();
  const open = () => (params.id ? conversations.find(params.id) : undefined);
  return (
    <div class="messages-layout" classList={{ "has-thread": !!params.id }}>
      <section class="card convo-pane" aria-labelledby="conversations-title">
        <ConversationList
          items={conversations.list()}
          loading={conversations.view.loading}
          failed={!!conversations.failure()}
          zone={props.user.timezone}
          role={props.user.role === "tutor" ? "tutor" : "student"}
          current={params.id}
        />
      </section>
      <section class="card thread-pane" aria-label={open()?.other.name ?? T.choose}>
        <Show
          when={open()}
          fallback={<p class="muted thread-empty">{!params.id ? T.choose : conversations.view.loading || !conversations.view.latest ? T.loading : T.missing}</p>}
        >
          {(c) => (
            <Show when={c().id} keyed>
              {(_id: string) => <ThreadView conversation={c()} zone={props.user.timezone} />}
            </Show>
          )}
        </Show>
      </section>
    </div>
  );
}
