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
          <h1>Credits</h1>
          <p>Credits are minutes of tutoring. Sessions spend the credits that expire first.</p>
        </div>
        <div class="row">
          <A class="btn secondary" href="/billing">
            Plans and packs
          </A>
          <A class="btn" href="/tutors">
            Book a session
          </A>
        </div>
      </div>
      <ErrorAlert message={credits.error ? messageOf(credits.error) : undefined} />
      <div class="credits-layout">
        <Section title="Balance">
          <CreditBalance minutes={credits.latest?.balanceMinutes} />
          <Show when={credits.latest?.promoMinutes || credits.latest?.frozenMinutes}>
            <p class="small muted" data-testid="credit-breakdown">
              <Show when={credits.latest!.promoMinutes}>Includes {formatMinutes(credits.latest!.promoMinutes)} of promotional credit. </Show>
              <Show when={credits.latest!.frozenMinutes}>{formatMinutes(credits.latest!.frozenMinutes)} on hold while a payment is disputed.</Show>
            </p>
          </Show>
          <Show when={credits.latest?.lots.length}>
            <CreditLotsChart credits={credits.latest!} zone={zone()} />
          </Show>
          <Show
            when={credits.latest?.grants.length}
            fallback={
              <p class="small muted">
                No credits yet. <A href="/billing">Choose a plan</A> for monthly hours, or buy a one-time pack.
              </p>
            }
          >
            <DataTable
              rows={credits.latest!.grants}
              caption="Credits by expiry"
              stack={false}
              columns={[
                { head: "From", cell: (g) => <LotSource lot={g} /> },
                {
                  head: "Left",
                  class: "nowrap",
                  cell: (g) => (
                    <>
                      {formatMinutes(g.remainingMinutes)} <span class="muted">of {formatMinutes(g.minutes)}</span>
                    </>
                  ),
                },
                { head: "Expires", cell: (g) => formatDate(g.expiresAt, zone()) },
              ]}
            />
          </Show>
        </Section>
        <Section title="How credits work">
          <ul class="small policy-list">
            <li>
              Each tutor's time costs credit by their rate: a credit-minute is worth ${(CREDIT_MINUTE_CENTS / 100).toFixed(2)}, so an hour with a $30/h tutor is 1 h of
              credit and with a $45/h tutor 1 h 30 min. The price is on every tutor's page and in the booking dialog, and it is what you pay.
            </li>
            <li>
              Cancel at least {POLICY.studentRefundHours} hours before the start and you get the credits back; later, they're spent. If your tutor cancels, you
              always get them back.
            </li>
            <li>
              Monthly plan credits expire {POLICY.grantExpiryDays} days after they're granted. Refunded credits go back to the plan or pack they came from, with
              its expiry, and stay usable for at least {POLICY.refundMinValidityDays} days.
            </li>
            <li>
              Promotional credits (a welcome, a trial or a goodwill gift) are on us and marked as such; you can hold up to {formatMinutes(POLICY.promoCapMinutes)} of
              them at once.
            </li>
            <li>If a payment is disputed with your bank, the credits it bought are on hold until the dispute is settled.</li>
          </ul>
          <h3>Group sessions</h3>
          <DataTable
            rows={GROUP_PRICING}
            caption="What a seat in a 60-minute group session costs, with a $30/h tutor"
            stack={false}
            columns={[
              { head: "Group size", cell: (t) => `${t.minSeats}–${t.maxSeats} seats` },
              { head: "Share of 1:1", cell: (t) => `${t.percent}%` },
              { head: "60-min session", cell: (t) => formatMinutes(seatPrice({ kind: "group", hourlyRateCents: 3000, durationMinutes: 60, seats: t.minSeats })) },
            ]}
          />
        </Section>
      </div>
      <CreditHistory zone={zone()} version={credits.error ? null : credits.latest} />
    </>
  );
}
