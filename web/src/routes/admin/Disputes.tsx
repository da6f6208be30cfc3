import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type AdminDispute, type DisputeFilter, fetchDisputes } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { session } from "../../lib/session";
import { formatDateTime, formatMinutes, zoneLabel } from "../../lib/time";

const FILTERS: { value: DisputeFilter; label: string }[] = [
  { value: "open", label: "Open" },
  { value: "closed", label: "Closed" },
  { value: "all", label: "All" },
];

/** Where a dispute stands, in words, with the tone of its badge. */
function standing(d: AdminDispute): { text: string; tone: string } {
  if (d.status === "won") return { text: "Won: credit released", tone: "success" };
  if (d.status === "lost") return { text: "Lost: credit taken back", tone: "danger" };
  if (d.closedAt) return { text: `Closed (${d.status.replace(/_/g, " ")})`, tone: "" };
  return { text: `Open (${d.status.replace(/_/g, " ")}): credit on hold`, tone: "warning" };
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
      title="Disputes"
      intro="Chargebacks of plan and pack payments. While a dispute is open, the credit the payment bought is on hold; a won dispute releases it, a lost one takes back what is unspent, now or when it comes back."
    >
      <form class="filters-row" aria-label="Filter disputes" onSubmit={(e) => e.preventDefault()}>
        <div class="field compact">
          <label for="dispute-status">Status</label>
          <select id="dispute-status" value={filter()} onChange={(e) => setParams({ status: e.currentTarget.value === "all" ? undefined : e.currentTarget.value }, { replace: true })}>
            <For each={FILTERS}>{(f) => <option value={f.value}>{f.label}</option>}</For>
          </select>
        </div>
        <button type="button" class="btn small secondary align-end" onClick={() => void refetch()} disabled={disputes.loading}>
          {disputes.loading ? "Refreshing…" : "Refresh"}
        </button>
      </form>
      <p class="small muted" role="status">
        {disputes.loading && !disputes.latest ? "Loading…" : `${disputes.latest?.length ?? 0} dispute${disputes.latest?.length === 1 ? "" : "s"}, newest first. Times in ${zoneLabel(zone())}.`}
      </p>
      <ErrorAlert message={disputes.error ? `Couldn't load disputes: ${messageOf(disputes.error)}` : undefined} />
      <DataTable
        rows={disputes.latest}
        loading={disputes.loading}
        stale={disputes.loading}
        caption="Disputes"
        empty="No disputes match."
        rowAttrs={(d) => ({ "data-dispute": d.id, "data-status": d.status })}
        columns={[
          {
            head: "Opened",
            label: "Opened",
            class: "nowrap small",
            cell: (d) => (
              <>
                {formatDateTime(d.openedAt, zone())}
                <Show when={d.closedAt}>{(at) => <div class="muted">closed {formatDateTime(at(), zone())}</div>}</Show>
              </>
            ),
          },
          {
            head: "Student",
            label: "Student",
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
            head: "Payment",
            label: "Payment",
            cell: (d) => (
              <>
                <span data-testid="amount">{formatMoney(d.amountCents, d.currency)}</span>
                <div class="small muted break mono">{d.purchaseRef}</div>
                <Show when={d.reason}>{(r) => <div class="small muted">Reason: {r().replace(/_/g, " ")}</div>}</Show>
              </>
            ),
          },
          {
            head: "Status",
            label: "Status",
            cell: (d) => <span class={`badge ${standing(d).tone}`}>{standing(d).text}</span>,
          },
          { head: "On hold when opened", label: "On hold when opened", class: "nowrap", cell: (d) => <span data-testid="frozen">{formatMinutes(d.frozenMinutes)}</span> },
          { head: "Taken back", label: "Taken back", class: "nowrap", cell: (d) => <span data-testid="taken">{formatMinutes(d.clawedBackMinutes)}</span> },
        ]}
      />
    </Section>
  );
}
