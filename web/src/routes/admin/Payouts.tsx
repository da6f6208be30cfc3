import { Show, createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { fetchPayouts, runPayoutsNow } from "../../features/admin/admin";
import { createAction } from "../../lib/action";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { formatDateTime } from "../../lib/time";

const TONE: Record<string, string> = { pending: "warning", paid: "success", failed: "danger" };

/** What each tutor is owed, recent payouts, and a button for the weekly run now. */
export default function Payouts() {
  const [view, { refetch }] = createResource(fetchPayouts);
  const [done, setDone] = createSignal<string>();
  const run = createAction(async () => {
    setDone(undefined);
    const r = await runPayoutsNow();
    setDone(`Payout run finished: ${r.paid} paid, ${r.failed} failed.`);
    void refetch();
  });
  const owed = () => (view.latest?.unpaid ?? []).reduce((s, u) => s + Number(u.amountCents), 0);
  return (
    <div class="stack">
      <Section
        title="Unpaid earnings"
        intro="Payouts run every Monday; tutors without an enabled payout account wait until they finish onboarding."
        actions={
          <Button pending={run.pending()} onClick={run.run}>
            {run.pending() ? "Running…" : "Run payouts now"}
          </Button>
        }
      >
        <Notice message={done()} />
        <ErrorAlert message={run.error() ?? (view.error ? `Couldn't load payouts: ${messageOf(view.error)}` : undefined)} />
        <Show when={view.latest?.unpaid.length}>
          <p class="stat" data-testid="owed-total">
            {formatMoney(owed())}
          </p>
        </Show>
        <DataTable
          rows={view.latest?.unpaid}
          loading={view.loading}
          empty="Nothing is owed right now."
          columns={[
            { head: "Tutor", cell: (u) => u.tutorName ?? u.tutorId },
            { head: "Sessions", label: "Sessions", cell: (u) => u.sessions },
            { head: "Amount", label: "Amount", class: "nowrap", cell: (u) => formatMoney(Number(u.amountCents)) },
            {
              head: "Payout account",
              cell: (u) => <span class={`badge ${u.payoutsEnabled ? "success" : "warning"}`}>{u.payoutsEnabled ? "Enabled" : "Not set up"}</span>,
            },
          ]}
        />
      </Section>
      <Section title="Recent payouts">
        <DataTable
          rows={view.latest?.payouts}
          loading={view.loading}
          empty="No payouts yet."
          columns={[
            { head: "Created (UTC)", label: "Created", class: "nowrap small", cell: (p) => formatDateTime(p.createdAt, "UTC") },
            { head: "Tutor", cell: (p) => p.tutorName ?? p.tutorId },
            { head: "Amount", class: "nowrap", cell: (p) => formatMoney(p.amountCents, p.currency) },
            {
              head: "Status",
              cell: (p) => (
                <>
                  <span class={`badge ${TONE[p.status] ?? ""}`}>{p.status}</span>
                  <Show when={p.attempts > 1}>
                    <span class="small muted"> · {p.attempts} attempts</span>
                  </Show>
                  <Show when={p.error}>
                    <div class="small danger-text">{p.error}</div>
                  </Show>
                  <Show when={p.transferId}>
                    <div class="small muted mono break">{p.transferId}</div>
                  </Show>
                </>
              ),
            },
          ]}
        />
      </Section>
    </div>
  );
}
