import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type AdminDispute, type DisputeFilter, fetchDisputes } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { session } from "../../lib/session";
import { formatMinutes, zoneLabel } from "../../lib/time";
import { formatDateTimeYear } from "../../components/admin/dates";
import { type PlainKey, t } from "../../i18n";

const FILTERS: { value: DisputeFilter; label: PlainKey }[] = [
  { value: "open", label: "admin.disputes.open" },
  { value: "closed", label: "admin.disputes.closed" },
  { value: "all", label: "admin.disputes.all" },
];

/** Where a dispute stands, in words, with the tone of its badge. */
function standing(d: AdminDispute): { text: string; tone: string } {
  if (d.status === "won") return { text: t("admin.disputes.won"), tone: "success" };
  if (d.status === "lost") return { text: t("admin.disputes.lost"), tone: "danger" };
  if (d.closedAt) return { text: t("admin.disputes.closedAs", { status: d.status.replace(/_/g, " ") }), tone: "" };
  return { text: t("admin.disputes.openAs", { status: d.status.replace(/_/g, " ") }), tone: "warning" };
}

/**
 * Chargebacks of credit purchases, from the Stripe webhook's projection: while one is open the credit it bought is
 * on hold in the student's wallet; won releases it, lost takes back what is unspent (and what comes back later).
 */
export default function Disputes() {
  const [params, setParams] = useSearchParams<{ status?: string }>();
  const filter = (): DisputeFilter => FILTERS.find((f) => f.value === params.status)?.value ?? "all";
  const [disputes, { refetch }] = createResource(filter, fetchDisputes);
  const zone = () => session.user()?.timezone ?? "UTC";
  return (
    <Section
      title={t("admin.sections.disputes")}
      intro={t("admin.disputes.intro")}
    >
      <form class="filters-row" aria-label={t("admin.disputes.filter")} onSubmit={(e) => e.preventDefault()}>
        <div class="field compact">
          <label for="dispute-status">{t("admin.disputes.status")}</label>
          <select id="dispute-status" value={filter()} onChange={(e) => setParams({ status: e.currentTarget.value === "all" ? undefined : e.currentTarget.value }, { replace: true })}>
            <For each={FILTERS}>{(f) => <option value={f.value}>{t(f.label)}</option>}</For>
          </select>
        </div>
        <button type="button" class="btn small secondary align-end" onClick={() => void refetch()} disabled={disputes.loading}>
          {disputes.loading ? t("admin.disputes.refreshing") : t("admin.disputes.refresh")}
        </button>
      </form>
      <p class="small muted" role="status">
        {disputes.loading && !disputes.latest ? t("core.app.loading") : t("admin.disputes.count", { count: disputes.latest?.length ?? 0, zone: zoneLabel(zone()) })}
      </p>
      <ErrorAlert message={disputes.error ? t("admin.disputes.loadFailed", { reason: messageOf(disputes.error) }) : undefined} />
      <DataTable
        rows={disputes.latest}
        loading={disputes.loading}
        stale={disputes.loading}
        caption={t("admin.sections.disputes")}
        empty={t("admin.disputes.none")}
        rowAttrs={(d) => ({ "data-dispute": d.id, "data-status": d.status })}
        columns={[
          {
            head: t("admin.disputes.opened"),
            label: t("admin.disputes.opened"),
            class: "nowrap small",
            cell: (d) => (
              <>
                {formatDateTimeYear(d.openedAt, zone())}
                <Show when={d.closedAt}>{(at) => <div class="muted">{t("admin.disputes.closedAt", { at: formatDateTimeYear(at(), zone()) })}</div>}</Show>
              </>
            ),
          },
          {
            head: t("sessions.detail.student"),
            label: t("sessions.detail.student"),
            cell: (d) => (
              <>
                <A href={`/admin/credits?user=${encodeURIComponent(d.userId)}`}>{d.studentName ?? d.userId}</A>
                <Show when={d.studentEmail}>
                  <div class="small muted break">{d.studentEmail}</div>
                </Show>
              </>
            ),
          },
          {
            head: t("admin.disputes.payment"),
            label: t("admin.disputes.payment"),
            cell: (d) => (
              <>
                <span data-testid="amount">{formatMoney(d.amountCents, d.currency)}</span>
                <div class="small muted break mono">{d.purchaseRef}</div>
                <Show when={d.reason}>{(r) => <div class="small muted">{t("admin.disputes.reason", { reason: r().replace(/_/g, " ") })}</div>}</Show>
              </>
            ),
          },
          {
            head: t("admin.disputes.status"),
            label: t("admin.disputes.status"),
            cell: (d) => <span class={`badge ${standing(d).tone}`}>{standing(d).text}</span>,
          },
          { head: t("admin.disputes.frozen"), label: t("admin.disputes.frozen"), class: "nowrap", cell: (d) => <span data-testid="frozen">{formatMinutes(d.frozenMinutes)}</span> },
          { head: t("admin.disputes.taken"), label: t("admin.disputes.taken"), class: "nowrap", cell: (d) => <span data-testid="taken">{formatMinutes(d.clawedBackMinutes)}</span> },
        ]}
      />
    </Section>
  );
}
