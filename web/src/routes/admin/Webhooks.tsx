import { useSearchParams } from "@solidjs/router";
import { For, Show, createResource, createSignal } from "solid-js";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { ErrorAlert } from "../../components/Alert";
import { type WebhookStatus, fetchWebhooks, replayWebhook } from "../../features/admin/admin";
import { ApiFailure, messageOf } from "../../lib/api";
import { formatDateTimeYear } from "../../components/admin/dates";
import { type PlainKey, t } from "../../i18n";
import type { WebhookNote } from "../../../../domain/schemas/webhookNotes";
import type { ParamsOf } from "../../../../domain/i18n/translate";
import type { Sources } from "../../i18n";

const STATUSES: WebhookStatus[] = ["processed", "ignored", "failed"];
const TONE: Record<string, string> = { processed: "success", ignored: "", failed: "danger" };
const LABEL: Record<WebhookStatus, PlainKey> = { processed: "admin.webhooks.processed", ignored: "admin.webhooks.ignored", failed: "admin.webhooks.failed" };
const BADGE: Record<string, PlainKey> = { processed: "admin.webhooks.processedBadge", ignored: "admin.webhooks.ignoredBadge", failed: "admin.webhooks.failedBadge" };

/** What handling a delivery came to, in the admin's language (older rows without a note keep their English). */
function noteText(note: WebhookNote): string {
  const { code, ...values } = note;
  return sayNote(`admin.webhooks.notes.${code}`, values);
}
// Each note's values are exactly its message's holes (checked here for every code), so one call says any of them.
type NoteValues = { [N in WebhookNote as N["code"]]: Omit<N, "code"> };
type Fits = { [C in keyof NoteValues]: NoteValues[C] extends ParamsOf<Sources, `admin.webhooks.notes.${C}`> ? ([keyof NoteValues[C]] extends [keyof ParamsOf<Sources, `admin.webhooks.notes.${C}`>] ? true : false) : false };
const everyNoteFits: false extends Fits[keyof Fits] ? never : true = true;
void everyNoteFits;
const sayNote = t as (key: `admin.webhooks.notes.${keyof NoteValues}`, values: Record<string, string | number>) => string;

/** The webhook log (newest first) with a status filter; a Stripe event can be replayed through the same code. */
export default function Webhooks() {
  const [params, setParams] = useSearchParams<{ status?: string; provider?: string }>();
  const status = () => (STATUSES.includes(params.status as WebhookStatus) ? (params.status as WebhookStatus) : undefined);
  const provider = (): "stripe" | "calendly" | undefined => (params.provider === "stripe" || params.provider === "calendly" ? params.provider : undefined);
  const [events, { refetch }] = createResource(() => ({ status: status(), provider: provider() }), fetchWebhooks);
  const [busy, setBusy] = createSignal<string>();
  const [results, setResults] = createSignal<Record<string, { ok: boolean; text: string; reason?: string }>>({});

  const replay = async (id: string) => {
    setBusy(id);
    try {
      const result = await replayWebhook(id);
      setResults((r) => ({ ...r, [id]: { ok: true, text: t("admin.webhooks.replayed", { result: typeof result === "string" ? result : JSON.stringify(result) }) } }));
      void refetch();
    } catch (e) {
      // A replay that failed again names what failed (the server's words, like the error in a failed event's note);
      // the list is read again so the row shows its new error.
      const reason = e instanceof ApiFailure && e.code === "replay_failed" ? e.message : undefined;
      setResults((r) => ({ ...r, [id]: { ok: false, text: messageOf(e), reason } }));
      if (reason) void refetch();
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Section title={t("admin.sections.webhooks")} intro={t("admin.webhooks.intro")}>
      <form class="filters-row" aria-label={t("admin.webhooks.filter")} onSubmit={(e) => e.preventDefault()}>
        <div class="field compact">
          <label for="wh-status">{t("admin.bookings.status")}</label>
          <select id="wh-status" value={status() ?? ""} onChange={(e) => setParams({ status: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">{t("admin.webhooks.any")}</option>
            <For each={STATUSES}>{(s) => <option value={s}>{t(LABEL[s])}</option>}</For>
          </select>
        </div>
        <div class="field compact">
          <label for="wh-provider">{t("admin.webhooks.provider")}</label>
          <select id="wh-provider" value={provider() ?? ""} onChange={(e) => setParams({ provider: e.currentTarget.value || undefined }, { replace: true })}>
            <option value="">{t("admin.webhooks.any")}</option>
            <option value="stripe">Stripe</option>
            <option value="calendly">Calendly</option>
          </select>
        </div>
        <button type="button" class="btn small secondary align-end" onClick={() => void refetch()} disabled={events.loading}>
          {events.loading ? t("admin.disputes.refreshing") : t("admin.disputes.refresh")}
        </button>
      </form>
      <ErrorAlert message={events.error ? t("admin.webhooks.loadFailed", { reason: messageOf(events.error) }) : undefined} />
      <DataTable
        rows={events.latest}
        loading={events.loading}
        empty={t("admin.webhooks.none")}
        rowAttrs={(ev) => ({ "data-event": ev.id, "data-status": ev.status })}
        columns={[
          { head: t("admin.webhooks.received"), class: "nowrap small", cell: (ev) => formatDateTimeYear(ev.receivedAt, "UTC") },
          {
            head: t("admin.webhooks.event"),
            cell: (ev) => (
              <>
                <span class="mono small">{ev.type}</span>
                <div class="small muted break">
                  {ev.provider} · {ev.id}
                </div>
              </>
            ),
          },
          {
            head: t("admin.bookings.status"),
            cell: (ev) => (
              <>
                <span class={`badge ${TONE[ev.status] ?? ""}`}>{BADGE[ev.status] ? t(BADGE[ev.status]!) : ev.status}</span>
                <Show when={ev.note ? noteText(ev.note) : ev.detail}>
                  {(text) => <div class="small muted">{text()}</div>}
                </Show>
                <Show when={results()[ev.id]}>
                  {(r) => (
                    <div class={`small ${r().ok ? "success-text" : "danger-text"}`} role="status">
                      {r().text}
                      <Show when={r().reason}>{(reason) => <div class="muted break">{reason()}</div>}</Show>
                    </div>
                  )}
                </Show>
              </>
            ),
          },
          {
            head: t("admin.users.actions"),
            hiddenHead: true,
            cell: (ev) => (
              <Show when={ev.provider === "stripe"}>
                <Button small variant="secondary" pending={busy() === ev.id} disabled={!!busy()} onClick={() => void replay(ev.id)} aria-label={t("admin.webhooks.replayEvent", { type: ev.type, id: ev.id })}>
                  {t("admin.webhooks.replay")}
                </Button>
              </Show>
            ),
          },
        ]}
      />
    </Section>
  );
}
