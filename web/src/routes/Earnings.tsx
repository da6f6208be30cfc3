import { useNavigate, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, createMemo, createResource, createSignal } from "solid-js";
import { Button, ErrorAlert } from "../components/Button";
import { Guard } from "../components/Guard";
import { BarChart } from "../components/charts/BarChart";
import { follow } from "../features/billing/billing";
import { type EarningsView, earningsByWeek, fetchEarnings, startOnboarding } from "../features/earnings/earnings";
import { messageOf } from "../lib/api";
import { formatMoney } from "../lib/format";
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
  const [flash, setFlash] = createSignal<{ tone: string; text: string }>();
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();

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

  const onboard = async () => {
    setPending(true);
    setError(undefined);
    try {
      follow(await startOnboarding(), navigate);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  };

  const weeks = createMemo(() => (view.latest ? earningsByWeek(view.latest.earnings, zone(), dayOf(Date.now(), zone())) : []));

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Earnings</h1>
          <p>Completed sessions earn you money. Payouts go out every Monday to your Stripe account.</p>
        </div>
      </div>
      <Show when={flash()}>
        {(f) => (
          <div class={`alert ${f().tone}`} role="status">
            {f().text}
          </div>
        )}
      </Show>
      <ErrorAlert message={error() ?? (view.error ? `Couldn't load your earnings: ${messageOf(view.error)}` : undefined)} />
      <Show when={view.latest} fallback={<div class="skeleton" style={{ height: "180px" }} aria-label="Loading earnings" role="status" />}>
        {(v) => (
          <div class="stack">
            <div class="earnings-top">
              <AccountCard account={v().account} pending={pending()} onOnboard={onboard} />
              <section class="card" aria-labelledby="totals-title">
                <h2 id="totals-title">Totals</h2>
                <div class="totals">
                  <div>
                    <div class="label">Unpaid</div>
                    <div class="stat" data-testid="unpaid-total">
                      {formatMoney(v().unpaidCents)}
                    </div>
                    <div class="small muted">in the next payout</div>
                  </div>
                  <div>
                    <div class="label">Paid out</div>
                    <div class="stat">{formatMoney(v().paidCents)}</div>
                    <div class="small muted">so far</div>
                  </div>
                </div>
              </section>
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

function EarningsTable(props: { view: EarningsView; zone: string }) {
  return (
    <section class="card" aria-labelledby="earnings-title">
      <h2 id="earnings-title">Sessions</h2>
      <Show when={props.view.earnings.length} fallback={<p class="empty">No completed sessions yet. Earnings appear here after each session ends.</p>}>
        <div class="table-wrap">
          <table class="table stack-sm">
            <thead>
              <tr>
                <th scope="col">Ended</th>
                <th scope="col">Session</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.view.earnings.slice(0, 100)}>
                {(e) => (
                  <tr>
                    <td class="nowrap" data-label="Ended">{formatDate(e.sessionEndAt, props.zone)}</td>
                    <td>
                      {e.kind === "group" ? `Group of ${e.students}` : "1:1"} · {formatMinutes(e.minutes)}
                    </td>
                    <td class="nowrap" data-label="Amount">{formatMoney(e.amountCents)}</td>
                    <td>
                      <span class={`badge ${e.payoutId ? "success" : ""}`}>{e.payoutId ? "In a payout" : "Unpaid"}</span>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}

function PayoutsTable(props: { view: EarningsView; zone: string }) {
  return (
    <section class="card" aria-labelledby="payouts-title">
      <h2 id="payouts-title">Payouts</h2>
      <Show when={props.view.payouts.length} fallback={<p class="empty">No payouts yet.</p>}>
        <div class="table-wrap">
          <table class="table stack-sm">
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Amount</th>
                <th scope="col">Status</th>
                <th scope="col">Transfer</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.view.payouts}>
                {(p) => (
                  <tr>
                    <td class="nowrap" data-label="Date">{formatDate(p.createdAt, props.zone)}</td>
                    <td class="nowrap" data-label="Amount">{formatMoney(p.amountCents, p.currency)}</td>
                    <td>
                      <span class={`badge ${PAYOUT[p.status]?.tone ?? ""}`}>{PAYOUT[p.status]?.label ?? p.status}</span>
                      <Show when={p.error}>
                        <div class="small danger-text">{p.error}</div>
                      </Show>
                    </td>
                    <td class="small muted mono break" data-label="Transfer">{p.transferId ?? "—"}</td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>
    </section>
  );
}
