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
import { formatMoney, formatPercent, subjectLabel } from "../lib/format";
import { session } from "../lib/session";
import { dayOf, formatDate, formatDay, formatMinutes, formatMonthDay } from "../lib/time";
import { type PlainKey, t } from "../i18n";

const PAYOUT: Record<string, { label: PlainKey; tone: string }> = {
  pending: { label: "teaching.earnings.payoutPending", tone: "warning" },
  paid: { label: "teaching.earnings.payoutPaid", tone: "success" },
  failed: { label: "teaching.earnings.payoutFailed", tone: "danger" },
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
    if (local) setFlash({ tone: "success", text: t("teaching.earnings.setUpLocal") });
    else if (stripe === "done") setFlash({ tone: "success", text: t("teaching.earnings.setUpDone") });
    else if (stripe === "refresh") setFlash({ tone: "warning", text: t("teaching.earnings.setUpExpired") });
    setSearch({ onboarded: undefined, onboarding: undefined }, { replace: true });
    void refetch();
  });

  const onboard = createAction(async () => follow(await startOnboarding(), navigate));

  const weeks = createMemo(() => (view.latest ? earningsByWeek(view.latest.earnings, zone(), dayOf(Date.now(), zone())) : []));

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("core.nav.earnings")}</h1>
          <p>{t("teaching.earnings.intro", { percent: formatPercent(80) })}</p>
        </div>
      </div>
      <Notice message={flash()?.text} tone={flash()?.tone} />
      <ErrorAlert message={onboard.error() ?? (view.error ? t("teaching.earnings.loadFailed", { reason: messageOf(view.error) }) : undefined)} />
      <Show when={view.latest} fallback={<div class="skeleton" style={{ height: "180px" }} aria-label={t("teaching.earnings.loading")} role="status" />}>
        {(v) => (
          <div class="stack">
            <div class="earnings-top">
              <AccountCard account={v().account} pending={onboard.pending()} onOnboard={onboard.run} />
              <Section title={t("teaching.earnings.totals")}>
                <div class="totals">
                  <div>
                    <div class="label">{t("teaching.earnings.unpaid")}</div>
                    <div class="stat" data-testid="unpaid-total">
                      {formatMoney(v().unpaidCents)}
                    </div>
                    <div class="small muted">{t("teaching.earnings.nextPayout")}</div>
                  </div>
                  <Show when={v().heldCents > 0}>
                    <div>
                      <div class="label">{t("teaching.earnings.held")}</div>
                      <div class="stat">{formatMoney(v().heldCents)}</div>
                      <div class="small muted">{t("teaching.earnings.heldNote")}</div>
                    </div>
                  </Show>
                  <div>
                    <div class="label">{t("teaching.earnings.paidOut")}</div>
                    <div class="stat">{formatMoney(v().paidCents)}</div>
                    <div class="small muted">{t("teaching.earnings.soFar")}</div>
                  </div>
                </div>
              </Section>
            </div>
            <section class="card" aria-labelledby="chart-title">
              <h2 id="chart-title" class="sr-only">
                {t("teaching.earnings.perWeek")}
              </h2>
              <BarChart
                title={t("teaching.earnings.chartTitle", { weeks: 12 })}
                summary={t("teaching.earnings.chartSummary", { amount: formatMoney(weeks().reduce((s, w) => s + w.cents, 0)), count: weeks().reduce((s, w) => s + w.sessions, 0) })}
                category={t("teaching.earnings.weekOfHead")}
                series={[{ label: t("teaching.earnings.earned"), tone: "bar-accent" }]}
                unit={100}
                emptyText={t("teaching.earnings.chartEmpty", { weeks: 12 })}
                format={(c) => formatMoney(Math.round(c))}
                data={weeks().map((w) => ({ label: formatMonthDay(w.week), fullLabel: t("teaching.earnings.weekOf", { day: formatDay(w.week) }), values: [w.cents] }))}
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
      <h2 id="account-title">{t("teaching.earnings.account")}</h2>
      <Switch>
        <Match when={!props.account}>
          <p class="small">{t("teaching.earnings.setUpIntro")}</p>
          <Button pending={props.pending} onClick={props.onOnboard}>
            {t("teaching.earnings.setUp")}
          </Button>
        </Match>
        <Match when={props.account?.payoutsEnabled}>
          <p>
            <span class="badge success">{t("teaching.earnings.enabled")}</span>
          </p>
          <p class="small muted">{t("teaching.earnings.accountId", { id: props.account!.id })}</p>
          <Button small variant="secondary" pending={props.pending} onClick={props.onOnboard}>
            {t("teaching.earnings.update")}
          </Button>
        </Match>
        <Match when={props.account?.detailsSubmitted}>
          <p>
            <span class="badge warning">{t("teaching.earnings.underReview")}</span>
          </p>
          <p class="small">{t("teaching.earnings.reviewBody")}</p>
          <Button small variant="secondary" pending={props.pending} onClick={props.onOnboard}>
            {t("teaching.earnings.review")}
          </Button>
        </Match>
        <Match when={props.account}>
          <p>
            <span class="badge warning">{t("teaching.earnings.incomplete")}</span>
          </p>
          <p class="small">{t("teaching.earnings.finish")}</p>
          <Button pending={props.pending} onClick={props.onOnboard}>
            {t("teaching.earnings.continue")}
          </Button>
        </Match>
      </Switch>
    </section>
  );
}

const EARNING = {
  paid: { label: "teaching.earnings.inPayout", tone: "success" },
  unpaid: { label: "teaching.earnings.unpaid", tone: "" },
  held: { label: "teaching.earnings.held", tone: "warning" },
  rejected: { label: "teaching.earnings.notPaid", tone: "danger" },
} as const;
const earningState = (e: EarningsView["earnings"][number]): keyof typeof EARNING => (e.status === "held" ? "held" : e.status === "rejected" ? "rejected" : e.payoutId ? "paid" : "unpaid");

function EarningsTable(props: { view: EarningsView; zone: string }) {
  return (
    <Section title={t("core.nav.sessions")}>
      <DataTable
        rows={props.view.earnings.slice(0, 100)}
        empty={t("teaching.earnings.noSessions")}
        columns={[
          { head: t("teaching.earnings.ended"), label: t("teaching.earnings.ended"), class: "nowrap", cell: (e) => formatDate(e.sessionEndAt, props.zone) },
          {
            head: t("room.page.session"),
            cell: (e) => (
              <>
                {e.subject ? subjectLabel(e.subject) : t("room.page.session")} · {formatMinutes(e.minutes)}
                <div class="small muted">
                  {e.kind === "group"
                    ? t("teaching.earnings.groupOf", { count: e.students, names: e.studentNames.join(", ") || t("sessions.item.aStudent") })
                    : t("sessions.item.withNames", { names: e.studentNames.join(", ") || t("sessions.item.aStudent") })}
                </div>
              </>
            ),
          },
          { head: t("teaching.earnings.amount"), label: t("teaching.earnings.amount"), class: "nowrap", cell: (e) => formatMoney(e.amountCents) },
          {
            head: t("teaching.earnings.status"),
            cell: (e) => (
              <>
                <span class={`badge ${EARNING[earningState(e)].tone}`}>{t(EARNING[earningState(e)].label)}</span>
                <Show when={e.outcome === "ended_early"}>
                  <div class="small muted">{t("teaching.earnings.endedEarly", { time: formatMinutes(e.minutes) })}</div>
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
    <Section title={t("teaching.earnings.payouts")}>
      <DataTable
        rows={props.view.payouts}
        empty={t("teaching.earnings.noPayouts")}
        columns={[
          { head: t("teaching.earnings.date"), label: t("teaching.earnings.date"), class: "nowrap", cell: (p) => formatDate(p.createdAt, props.zone) },
          { head: t("teaching.earnings.amount"), label: t("teaching.earnings.amount"), class: "nowrap", cell: (p) => formatMoney(p.amountCents, p.currency) },
          {
            head: t("teaching.earnings.status"),
            cell: (p) => (
              <>
                <span class={`badge ${PAYOUT[p.status]?.tone ?? ""}`}>{PAYOUT[p.status] ? t(PAYOUT[p.status]!.label) : p.status}</span>
                <Show when={p.error}>
                  <div class="small danger-text">{p.error}</div>
                </Show>
              </>
            ),
          },
          { head: t("teaching.earnings.transfer"), label: t("teaching.earnings.transfer"), class: "small muted mono break", cell: (p) => p.transferId ?? "—" },
        ]}
      />
    </Section>
  );
}
