import { For, Match, Show, Switch, createResource, createSignal } from "solid-js";
import { fetchMailbox } from "../features/notifications/mailbox";
import { messageOf } from "../lib/api";
import { session } from "../lib/session";
import { formatDateTime } from "../lib/time";
import { browserTimeZone } from "../lib/zones";

/**
 * Local development only: the emails Tutorly would have sent, newest first. Open to visitors, as its API is: the
 * person following a password-reset or confirmation link is not signed in.
 */
export default function DevMailbox() {
  const [emails, { refetch }] = createResource(fetchMailbox);
  const [openId, setOpenId] = createSignal<string>();
  const zone = () => session.user()?.timezone ?? browserTimeZone();
  return (
    <Switch>
      <Match when={emails.error}>
        <div class="alert error" role="alert">
          Couldn't load the mailbox: {messageOf(emails.error)}
        </div>
      </Match>
      <Match when={emails() === null}>
        <div class="card narrow">
          <h1>No dev mailbox here</h1>
          <p class="muted">The dev mailbox exists only in local development, where no email is really sent.</p>
        </div>
      </Match>
      <Match when={emails.latest === undefined}>
        <p class="muted" aria-live="polite">
          Loading…
        </p>
      </Match>
      <Match when={emails.latest}>
        <div class="page-head">
          <div>
            <h1>Dev mailbox</h1>
            <p>Local development sends no email: this is what would have gone out, to every account.</p>
          </div>
          <button type="button" class="btn secondary" onClick={() => void refetch()} disabled={emails.loading}>
            {emails.loading ? "Refreshing…" : "Refresh"}
          </button>
        </div>
        <section class="card" aria-label="Emails">
          <Show when={emails.latest?.length} fallback={<p class="empty">No emails yet.</p>}>
            <ul class="mail-list">
              <For each={emails.latest}>
                {(m) => (
                  <li class="mail" data-email={m.id}>
                    <button type="button" class="mail-head" aria-expanded={openId() === m.id} onClick={() => setOpenId(openId() === m.id ? undefined : m.id)}>
                      <span class="grow">
                        <strong class="mail-subject">{m.subject}</strong>
                        <span class="small muted mail-to">To {m.toEmail}</span>
                      </span>
                      <span class="mail-meta small">
                        <span class={`badge ${m.status === "sent" ? "success" : m.status === "failed" ? "danger" : "warning"}`}>{m.status}</span>
                        <span class="muted">{formatDateTime(m.createdAt, zone())}</span>
                      </span>
                    </button>
                    <Show when={openId() === m.id}>
                      <pre class="mail-text">{m.text}</pre>
                      <p class="small muted">Provider: {m.provider ?? "—"}{m.sentAt ? ` · sent ${formatDateTime(m.sentAt, zone())}` : ""}</p>
                    </Show>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </Match>
    </Switch>
  );
}
