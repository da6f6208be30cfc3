import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { GROUP_PRICING, POLICY, creditCost } from "../../../domain/credits/policy";
import { ErrorAlert } from "../components/Button";
import { Guard } from "../components/Guard";
import { CreditLotsChart } from "../components/charts/CreditLotsChart";
import { createLiveCredits } from "../features/credits/credits";
import { messageOf } from "../lib/api";
import { session } from "../lib/session";
import { formatDateTime, formatMinutes } from "../lib/time";

const KIND: Record<string, string> = { grant: "Plan or pack", adjust: "Adjustment", refund: "Refund", pack: "Pack" };

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
        <section class="card" aria-labelledby="bal-title">
          <h2 id="bal-title">Balance</h2>
          <div class="stat" data-testid="credit-balance" aria-live="polite">
            {credits.latest ? formatMinutes(credits.latest.balanceMinutes) : "…"}
          </div>
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
            <div class="table-wrap">
              <table class="table">
                <caption class="sr-only">Credits by expiry</caption>
                <thead>
                  <tr>
                    <th scope="col">From</th>
                    <th scope="col">Left</th>
                    <th scope="col">Expires</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={credits.latest!.grants}>
                    {(g) => (
                      <tr>
                        <td>{KIND[g.kind] ?? g.kind}</td>
                        <td class="nowrap">
                          {formatMinutes(g.remainingMinutes)} <span class="muted">of {formatMinutes(g.minutes)}</span>
                        </td>
                        <td>{formatDateTime(g.expiresAt, zone())}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </section>
        <section class="card" aria-labelledby="policy-title">
          <h2 id="policy-title">How credits work</h2>
          <ul class="small policy-list">
            <li>A 1:1 session costs its length: 60 minutes of tutoring is 1 h of credit.</li>
            <li>
              Cancel at least {POLICY.studentRefundHours} hours before the start and you get the credits back; later, they're spent. If your tutor cancels, you
              always get them back.
            </li>
            <li>Monthly plan credits expire {POLICY.grantExpiryDays} days after they're granted. Refunded credits stay usable for at least {POLICY.refundMinValidityDays} days.</li>
          </ul>
          <h3>Group sessions</h3>
          <div class="table-wrap">
            <table class="table">
              <caption class="sr-only">What a seat in a 60-minute group session costs</caption>
              <thead>
                <tr>
                  <th scope="col">Group size</th>
                  <th scope="col">Share of 1:1</th>
                  <th scope="col">60-min session</th>
                </tr>
              </thead>
              <tbody>
                <For each={GROUP_PRICING}>
                  {(t) => (
                    <tr>
                      <td>
                        {t.minSeats}–{t.maxSeats} seats
                      </td>
                      <td>{t.percent}%</td>
                      <td>{formatMinutes(creditCost("group", 60, t.minSeats))}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </section>
      </div>
    </>
  );
}
