import { A } from "@solidjs/router";
import { For, Show, createResource } from "solid-js";
import { Guard } from "../components/Guard";
import { NoticeItem } from "../components/NotificationBell";
import { fetchMailbox } from "../features/notifications/mailbox";
import { inbox } from "../features/notifications/inbox";
import { t, tx } from "../i18n";

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
          <h1>{t("core.bell.title")}</h1>
          <p>{t("account.notices.intro")}</p>
        </div>
        <div class="row">
          <A href="/settings/notifications" class="btn ghost">
            {t("account.notify.title")}
          </A>
          <Show when={inbox.unread() > 0}>
            <button type="button" class="btn secondary" onClick={() => void inbox.markAllRead()}>
              {t("core.bell.markAllRead")}
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
          {t("account.notices.all")}
        </h2>
        <Show
          when={inbox.list().length}
          fallback={
            <p class="empty">
              {inbox.view.loading && !inbox.view.latest ? t("core.app.loading") : inbox.view.error ? t("account.notices.loadFailed") : t("account.notices.none")}
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
          {tx("account.notices.dev", { mailbox: <A href="/dev/mailbox">{t("account.notices.mailbox")}</A> })}
        </p>
      </Show>
    </>
  );
}
