import { A } from "@solidjs/router";
import { For, Show, createResource } from "solid-js";
import { Guard } from "../components/Guard";
import { NoticeItem } from "../components/NotificationBell";
import { fetchMailbox } from "../features/notifications/mailbox";
import { inbox } from "../features/notifications/inbox";

/** Every recent notification, newest first, with mark-all-read; updated live. */
export default function Notifications() {
  return (
    <Guard>
      <NotificationsPage />
    </Guard>
  );
}

function NotificationsPage() {
  inbox.refetch();
  // The dev mailbox link shows only where the server has one (local development).
  const [mailbox] = createResource(() => fetchMailbox().catch(() => null));
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Notifications</h1>
          <p>Bookings, cancellations, replacements and credits. New ones appear here live.</p>
        </div>
        <div class="row">
          <A href="/settings/notifications" class="btn ghost">
            Notification settings
          </A>
          <Show when={inbox.unread() > 0}>
            <button type="button" class="btn secondary" onClick={() => void inbox.markAllRead()}>
              Mark all read
            </button>
          </Show>
        </div>
      </div>
      <Show when={inbox.error()}>
        <div class="alert error" role="alert">
          {inbox.error()}
        </div>
      </Show>
      <section class="card" aria-labelledby="notices-title">
        <h2 id="notices-title" class="sr-only">
          All notifications
        </h2>
        <Show
          when={inbox.list().length}
          fallback={
            <p class="empty">
              {inbox.view.loading && !inbox.view.latest ? "Loading…" : inbox.view.error ? "Couldn't load your notifications. Try again in a moment." : "Nothing yet. We'll let you know when something happens."}
            </p>
          }
        >
          <ul class="notice-list">
            <For each={inbox.list()}>{(n) => <NoticeItem notice={n} />}</For>
          </ul>
        </Show>
      </section>
      <Show when={mailbox()}>
        <p class="small muted">
          Developing locally? See what would have been emailed in the <A href="/dev/mailbox">dev mailbox</A>.
        </p>
      </Show>
    </>
  );
}
