import { A } from "@solidjs/router";
import { For, Show, createSignal, createUniqueId, onCleanup } from "solid-js";
import { type Notification, inbox } from "../features/notifications/inbox";
import { session } from "../lib/session";
import { browserTimeZone } from "../lib/zones";
import { formatRelative } from "../lib/time";
import { t } from "../i18n";

/** The header's bell: unread count (live), and a panel with the latest notifications and "mark all read". */
export function NotificationBell() {
  const [open, setOpen] = createSignal(false);
  const panelId = createUniqueId();
  let root!: HTMLDivElement;
  let button!: HTMLButtonElement;

  const close = (focusBell = false) => {
    setOpen(false);
    if (focusBell) button.focus();
  };
  // The event's path is fixed when it is dispatched, so a click on a button that then disappears (Mark all read)
  // still counts as inside.
  const onDocClick = (e: MouseEvent) => open() && !e.composedPath().includes(root) && close();
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape" && open()) {
      e.preventDefault();
      close(true);
    }
  };
  document.addEventListener("click", onDocClick);
  document.addEventListener("keydown", onKey);
  onCleanup(() => {
    document.removeEventListener("click", onDocClick);
    document.removeEventListener("keydown", onKey);
  });

  const label = () => (inbox.unread() ? t("core.bell.labelUnread", { count: inbox.unread() }) : t("core.bell.label"));
  return (
    <div class="bell" ref={root}>
      <button
        ref={button}
        type="button"
        class="icon-btn bell-btn"
        aria-label={label()}
        aria-expanded={open()}
        aria-controls={panelId}
        onClick={() => {
          setOpen(!open());
          if (open()) inbox.refetch();
        }}
      >
        <BellIcon />
        <Show when={inbox.unread() > 0}>
          <span class="bell-count" data-testid="unread-count" aria-hidden="true">
            {inbox.unread() > 99 ? "99+" : inbox.unread()}
          </span>
        </Show>
      </button>
      <span class="sr-only" aria-live="polite">
        {inbox.unread() ? t("core.bell.announce", { count: inbox.unread() }) : ""}
      </span>
      <Show when={open()}>
        <div class="bell-panel card" id={panelId} role="region" aria-label={t("core.bell.title")}>
          <div class="row bell-head">
            <h2 class="grow">{t("core.bell.title")}</h2>
            <Show when={inbox.unread() > 0}>
              <button type="button" class="btn small ghost" onClick={() => void inbox.markAllRead()}>
                {t("core.bell.markAllRead")}
              </button>
            </Show>
          </div>
          <Show when={inbox.error()}>
            <p class="alert error" role="alert">
              {inbox.error()}
            </p>
          </Show>
          <Show
            when={inbox.list().length}
            fallback={<p class="muted small bell-empty">{inbox.view.loading && !inbox.view.latest ? t("core.app.loading") : inbox.view.error ? t("core.bell.couldntLoad") : t("core.bell.caughtUp")}</p>}
          >
            <ul class="notice-list compact">
              <For each={inbox.list().slice(0, 6)}>{(n) => <NoticeItem notice={n} onOpen={() => close()} />}</For>
            </ul>
          </Show>
          <div class="row bell-foot">
            <A href="/notifications" class="small bell-all" onClick={() => close()}>
              {t("core.bell.seeAll")}
            </A>
            <A href="/settings/notifications" class="small bell-all" onClick={() => close()}>
              {t("core.bell.settings")}
            </A>
          </div>
        </div>
      </Show>
    </div>
  );
}

/** One notification; its link (if any) navigates and marks it read. */
export function NoticeItem(props: { notice: Notification; onOpen?: () => void }) {
  const n = () => props.notice;
  const open = () => {
    void inbox.markRead([n().id]);
    props.onOpen?.();
  };
  const body = () => (
    <>
      <span class="notice-title">{n().title}</span>
      <span class="notice-body small">{n().body}</span>
      <span class="notice-time small muted">{formatRelative(n().createdAt, session.user()?.timezone ?? browserTimeZone())}</span>
    </>
  );
  return (
    <li class="notice" classList={{ unread: !n().readAt }} data-notification={n().id}>
      <Show when={!n().readAt}>
        <span class="sr-only">{t("core.bell.unread")}</span>
      </Show>
      <Show
        when={n().link}
        fallback={
          <button type="button" class="notice-main" onClick={open}>
            {body()}
          </button>
        }
      >
        {(link) => (
          <A href={link()} class="notice-main" onClick={open}>
            {body()}
          </A>
        )}
      </Show>
    </li>
  );
}

function BellIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}
