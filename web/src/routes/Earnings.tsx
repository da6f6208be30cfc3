import { useNavigate, useSearchParams } from "@solidjs/router";
import { Match, Show, Switch, createEffect, createMemo, createResource, createSignal } from "solid-js";
import { Button } from "../components/Button";
import { ErrorAlert, Notice } from "../components/Alert";
import { DataTable } from "../components/DataTable";
import { Section } from "../components/Section";
import { Guard } from "../components/Guard";
import { BarChart } from "../components/charts/BarChart";
import { follow } from "../features/billing/billing";
import { type EarningsView, earningsByWeek, fetchEarnings, startOnboarding } from "../features/earnings/earnings";
import { createAction } from "../lib/action";
import { messageOf } from "../lib/api";
import { formatMoney, subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { dayOf, formatDate, formatDay, formatMinutes, formatMonthDay } from "../lib/time";

const PAYOUT: Record<string, { label: string; tone: string }> = {
  pending: { label: "Processing", tone: "warning" },
  paid: { label: "Paid", tone: "success" },
  failed: { label: "Failed — will retry", tone: "danger" },
};

/** A tutor's money: payout account (Stripe Connect), unpaid and paid totals, a weekly chart, earnings and payouts. */
export default function Earnings() {
  return (
    <Guard roles={["tutor"]}>
      <EarningsPage />
    </Guard>
  );
}

function EarningsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams<{ onboarded?: string; onboarding?: string }>();
  const zone = () => session.user()?.timezone ?? "UTC";
  const [view, { refetch }] = createResource(fetchEarnings);
  const [flash, setFlash] = createSignal<{ tone: "success" | "warning"; text: string }>();

  // Back from onboarding (Stripe's return/refresh URLs, or local payment mode's instant "onboarding").
  createEffect(() => {
    const local = search.onboarded;
    const stripe = search.onboarding;
    if (!local && !stripe) return;
    if (local) setFlash({ tone: "success", text: "Payouts are set up. (Local payment mode: a test account, no bank details needed.)" });
    else if (stripe === "done") setFlash({ tone: "success", text: "Thanks — Stripe has your details. Payouts start as soon as Stripe enables your account." });
    else if (stripe === "refresh") setFlash({ tone: "warning", text: "That setup link expired. Continue below to pick up where you left off." });
    setSearch({ onboarded: undefined, onboarding: undefined }, { replace: true });
    void refetch();
  });

  const onboard = createAction(async () => follow(await startOnboarding(), navigate));

  const weeks = createMemo(() => (view.latest ? earningsByWeek(view.latest.earnings, zone(), dayOf(Date.now(), zone())) : []));

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Earnings</h1>
          <p>Each booking fixes what you earn when it is made; a session you end before 80 % of its time pays for the minutes taught. Payouts go out every Monday to your Stripe account.</p>
        </div>
      </div>
      <Notice message={flash()?.text} tone={flash()?.tone} />
      <ErrorAlert message={onboard.error() ?? (view.error ? `Couldn't load your earnings: ${messageOf(view.error)}` : undefined)} />
      <Show when={view.latest} fallback={<div class="skeleton" style={{ height: "180px" }} aria-label="Loading earnings" role="status" />}>
        {(v) => (
          <div class="stack">
            <div class="earnings-top">
              <AccountCard account={v().account} pending={onboard.pending()} onOnboard={onboard.run} />
              <Section title="Totals">
                <div class="totals">
                  <div>
                    <div class="label">Unpaid</div>
                    <div class="stat" data-testid="unpaid-total">
                      {formatMoney(v().unpaidCents)}
                    </div>
                    <div class="small muted">in the next payout</div>
                  </div>
                  <Show when={v().heldCents > 0}>
                    <div>
                      <div class="label">Held for review</div>
                      <div class="stat">{formatMoney(v().heldCents)}</div>
                      <div class="small muted">paid once an admin approves</div>
                    </div>
                  </Show>
                  <div>
                    <div class="label">Paid out</div>
                    <div class="stat">{formatMoney(v().paidCents)}</div>
                    <div class="small muted">so far</div>
                  </div>
                </div>
              </Section>
            </div>
            <section class="card" aria-labelledby="chart-title">
              <h2 id="chart-title" class="sr-only">
                Earnings per week
              </h2>
              <BarChart
                title="Earnings per week, last 12 weeks"
                summary={`${formatMoney(weeks().reduce((s, w) => s + w.cents, 0))} over ${weeks().reduce((s, w) => s + w.sessions, 0)} sessions.`}
                category="Week of"
                series={[{ label: "Earned", tone: "bar-accent" }]}
                unit={100}
                emptyText="No earnings in the last 12 weeks yet"
                format={(c) => formatMoney(Math.round(c))}
                data={weeks().map((w) => ({ label: formatMonthDay(w.week), fullLabel: `Week of ${formatDay(w.week)}`, values: [w.cents] }))}
                testId="earnings-chart"
              />
            </section>
            <EarningsTable view={v()} zone={zone()} />
            <PayoutsTable view={v()} zone={zone()} />
          </div>
        )}
      </Show>
    </>
  );
}

function AccountCard(props: { account: EarningsView["account"]; pending: boolean; onOnboard: () => void }) {
  return (
    <section class="card" aria-labelledby="account-title" data-testid="payout-account">
      <h2 id="account-title">Payout account</h2>
      <Switch>
        <Match when={!props.account}>
          <p class="small">Set up a Stripe account to receive payouts. It takes a few minutes; Stripe asks for your bank details and ID.</p>
          <Button pending={props.pending} onClick={props.onOnboard}>
            Set up payouts
          </Button>
        </Match>
        <Match when={props.account?.payoutsEnabled}>
          <p>
            <span class="badge success">Payouts enabled</span>
          </p>
          <p class="small muted">Account {props.account!.id}</p>
          <Button small variant="secondary" pending={props.pending} onClick={props.onOnboard}>
            Update payout details
          </Button>
        </Match>
        <Match when={props.account?.detailsSubmitted}>
          <p>
            <span class="badge warning">Under review</span>
          </p>
          <p class="small">Stripe is checking your details. Earnings keep adding up and are paid once payouts are enabled.</p>
          <Button small variant="secondary" pending={props.pending} onClick={props.onOnboard}>
            Review details
          </Button>
        </Match>
        <Match when={props.account}>
          <p>
            <span class="badge warning">Setup incomplete</span>
          </p>
          <p class="small">Finish setting up your Stripe account to receive payouts.</p>
          <Button pending={props.pending} onClick={props.onOnboard}>
            Continue setup
          </Button>
        </Match>
      </Switch>
    </section>
  );
}

const EARNING = {
  paid: { label: "In a payout", tone: "success" },
  unpaid: { label: "Unpaid", tone: "" },
  held: { label: "Held for review", tone: "warning" },
  rejected: { label: "Not paid", tone: "danger" },
} as const;
const earningState = (e: EarningsView["earnings"][number]): keyof typeof EARNING => (e.status === "held" ? "held" : e.status === "rejected" ? "rejected" : e.payoutId ? "paid" : "unpaid");

function EarningsTable(props: { view: EarningsView; zone: string }) {
  return (
    <Section title="Sessions">
      <DataTable
        rows={props.view.earnings.slice(0, 100)}
        empty="No completed sessions yet. Earnings appear here after each session ends."
        columns={[
          { head: "Ended", label: "Ended", class: "nowrap", cell: (e) => formatDate(e.sessionEndAt, props.zone) },
          {
            head: "Session",
            cell: (e) => (
              <>
                {e.subject ? subjectLabel(e.subject) : "Session"} · {formatMinutes(e.minutes)}
                <div class="small muted">
                  {e.kind === "group" ? `Group of ${e.students}: ` : "with "}
                  {e.studentNames.join(", ") || "a student"}
                </div>
              </>
            ),
          },
          { head: "Amount", label: "Amount", class: "nowrap", cell: (e) => formatMoney(e.amountCents) },
          {
            head: "Status",
            cell: (e) => (
              <>
                <span class={`badge ${EARNING[earningState(e)].tone}`}>{EARNING[earningState(e)].label}</span>
                <Show when={e.outcome === "ended_early"}>
                  <div class="small muted">Ended early: paid for {formatMinutes(e.minutes)} taught</div>
                </Show>
              </>
            ),
          },
        ]}
      />
    </Section>
  );
}

function PayoutsTable(props: { view: EarningsView; zone: string }) {
  return (
    <Section title="Payouts">
      <DataTable
        rows={props.view.payouts}
        empty="No payouts yet."
        columns={[
          { head: "Date", label: "Date", class: "nowrap", cell: (p) => formatDate(p.createdAt, props.zone) },
          { head: "Amount", label: "Amount", class: "nowrap", cell: (p) => formatMoney(p.amountCents, p.currency) },
          {
            head: "Status",
            cell: (p) => (
              <>
                <span class={`badge ${PAYOUT[p.status]?.tone ?? ""}`}>{PAYOUT[p.status]?.label ?? p.status}</span>
                <Show when={p.error}>
                  <div class="small danger-text">{p.error}</div>
                </Show>
              </>
            ),
          },
          { head: "Transfer", label: "Transfer", class: "small muted mono break", cell: (p) => p.transferId ?? "—" },
        ]}
      />
    </Section>
  );
}
