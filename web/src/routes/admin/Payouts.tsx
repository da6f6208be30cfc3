import { Show, createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type HeldEarning, approveEarning, fetchHeldEarnings, fetchPayouts, rejectEarning, runPayoutsNow } from "../../features/admin/admin";
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
      <HeldForReview onDecided={() => void refetch()} />
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

const WHY: Record<string, string> = { same_email: "Same mailbox as a student", same_card: "Same card as a student" };

/**
 * Earnings of sessions whose tutor and student look like one person (the same mailbox behind different addresses,
 * or the same card): nothing is paid until an admin approves; a rejected earning is never paid.
 */
function HeldForReview(props: { onDecided: () => void }) {
  const [held, { refetch, mutate }] = createResource(fetchHeldEarnings);
  const decide = createAction(async (e: HeldEarning, decision: "approve" | "reject") => {
    await (decision === "approve" ? approveEarning(e.id) : rejectEarning(e.id));
    mutate((list) => list?.filter((x) => x.id !== e.id));
    props.onDecided();
    void refetch();
  });
  return (
    <Section title="Held for review" intro="Sessions where the tutor and a student look like one person. Approve to pay the earning with the next run, or reject it.">
      <ErrorAlert message={decide.error() ?? (held.error ? `Couldn't load held earnings: ${messageOf(held.error)}` : undefined)} />
      <DataTable
        rows={held.latest}
        loading={held.loading}
        empty="Nothing is held."
        columns={[
          { head: "Session ended (UTC)", label: "Ended", class: "nowrap small", cell: (e) => formatDateTime(e.sessionEndAt, "UTC") },
          { head: "Tutor", cell: (e) => e.tutorName ?? e.tutorId },
          { head: "Why", cell: (e) => WHY[e.holdReason ?? ""] ?? e.holdReason },
          { head: "Amount", class: "nowrap", cell: (e) => formatMoney(e.amountCents) },
          {
            head: "Decision",
            cell: (e) => (
              <div class="row">
                <button type="button" class="btn small" disabled={decide.pending()} onClick={() => decide.run(e, "approve")} aria-label={`Approve ${formatMoney(e.amountCents)} for ${e.tutorName ?? "this tutor"}`}>
                  Approve
                </button>
                <button type="button" class="btn small secondary" disabled={decide.pending()} onClick={() => decide.run(e, "reject")} aria-label={`Reject ${formatMoney(e.amountCents)} for ${e.tutorName ?? "this tutor"}`}>
                  Reject
                </button>
              </div>
            ),
          },
        ]}
      />
    </Section>
  );
}
