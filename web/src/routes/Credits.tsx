import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { GROUP_PRICING, POLICY } from "../../../domain/credits/policy";
import { CREDIT_MINUTE_CENTS, seatPrice } from "../../../domain/credits/pricing";
import { ErrorAlert } from "../components/Alert";
import { CreditBalance } from "../components/CreditBalance";
import { CreditHistory } from "../components/CreditHistory";
import { DataTable } from "../components/DataTable";
import { Guard } from "../components/Guard";
import { LotSource } from "../components/LotSource";
import { Section } from "../components/Section";
import { CreditLotsChart } from "../components/charts/CreditLotsChart";
import { createLiveCredits } from "../features/credits/credits";
import { messageOf } from "../lib/api";
import { session } from "../lib/session";
import { formatDate, formatMinutes } from "../lib/time";
import { formatMoney, formatPercent, formatRate } from "../lib/format";
import { t, tx } from "../i18n";

/** A student's credits: balance (live), what expires when, and the rules behind them. */
export default function Credits() {
  return (
    <Guard roles={["student"]}>
      <CreditsPage />
    </Guard>
  );
}

function CreditsPage() {
  const { credits } = createLiveCredits();
  const zone = () => session.user()?.timezone ?? "UTC";
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("billing.credits.title")}</h1>
          <p>{t("billing.credits.intro")}</p>
        </div>
        <div class="row">
          <A class="btn secondary" href="/billing">
            {t("billing.summary.plans")}
          </A>
          <A class="btn" href="/tutors">
            {t("sessions.page.book")}
          </A>
        </div>
      </div>
      <ErrorAlert message={credits.error ? messageOf(credits.error) : undefined} />
      <div class="credits-layout">
        <Section title={t("billing.credits.balance")}>
          <CreditBalance minutes={credits.latest?.balanceMinutes} />
          <Show when={credits.latest?.promoMinutes || credits.latest?.frozenMinutes}>
            <p class="small muted" data-testid="credit-breakdown">
              <Show when={credits.latest!.promoMinutes}>{t("billing.credits.includesPromo", { amount: formatMinutes(credits.latest!.promoMinutes) })} </Show>
              <Show when={credits.latest!.frozenMinutes}>{t("billing.credits.onHold", { amount: formatMinutes(credits.latest!.frozenMinutes) })}</Show>
            </p>
          </Show>
          <Show when={credits.latest?.lots.length}>
            <CreditLotsChart credits={credits.latest!} zone={zone()} />
          </Show>
          <Show
            when={credits.latest?.grants.length}
            fallback={
              <p class="small muted">
                {tx("billing.credits.none", { choose: <A href="/billing">{t("billing.credits.choosePlan")}</A> })}
              </p>
            }
          >
            <DataTable
              rows={credits.latest!.grants}
              caption={t("billing.credits.byExpiry")}
              stack={false}
              columns={[
                { head: t("billing.credits.from"), cell: (g) => <LotSource lot={g} /> },
                {
                  head: t("billing.credits.left"),
                  class: "nowrap",
                  cell: (g) => (
                    <>
                      {formatMinutes(g.remainingMinutes)} <span class="muted">{t("billing.credits.ofTotal", { total: formatMinutes(g.minutes) })}</span>
                    </>
                  ),
                },
                { head: t("billing.credits.expires"), cell: (g) => formatDate(g.expiresAt, zone()) },
              ]}
            />
          </Show>
        </Section>
        <Section title={t("billing.credits.how")}>
          <ul class="small policy-list">
            <li>
              {t("billing.credits.rule1", {
                value: formatMoney(CREDIT_MINUTE_CENTS),
                rate30: formatRate(3000),
                rate45: formatRate(4500),
                hour: formatMinutes(60),
                hourHalf: formatMinutes(90),
              })}
            </li>
            <li>{t("billing.credits.rule2", { hours: POLICY.studentRefundHours })}</li>
            <li>{t("billing.credits.rule3", { days: POLICY.grantExpiryDays, minDays: POLICY.refundMinValidityDays })}</li>
            <li>{t("billing.credits.rule4", { cap: formatMinutes(POLICY.promoCapMinutes) })}</li>
            <li>{t("billing.credits.rule5")}</li>
          </ul>
          <h3>{t("billing.credits.groups")}</h3>
          <DataTable
            rows={GROUP_PRICING}
            caption={t("billing.credits.groupsCaption", { rate: formatRate(3000) })}
            stack={false}
            columns={[
              { head: t("billing.credits.groupSize"), cell: (g) => t("billing.credits.seats", { min: g.minSeats, max: g.maxSeats }) },
              { head: t("billing.credits.share"), cell: (g) => formatPercent(g.percent) },
              { head: t("billing.credits.sixty"), cell: (g) => formatMinutes(seatPrice({ kind: "group", hourlyRateCents: 3000, durationMinutes: 60, seats: g.minSeats })) },
            ]}
          />
        </Section>
      </div>
      <CreditHistory zone={zone()} version={credits.error ? null : credits.latest} />
    </>
  );
}
