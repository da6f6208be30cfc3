import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { Credits } from "../features/credits/credits";
import { CreditBalance } from "./CreditBalance";
import { CreditLotsChart } from "./charts/CreditLotsChart";
import { formatDate, formatMinutes } from "../lib/time";

/** Balance in hours and minutes, with the grants that expire soonest. */
export function CreditsSummary(props: { credits?: Credits; balance?: number; zone: string; error?: unknown; compact?: boolean; chart?: boolean }) {
  const balance = () => props.balance ?? props.credits?.balanceMinutes;
  return (
    <div class="card credits-card" aria-labelledby="credits-title">
      <h2 id="credits-title">Your credits</h2>
      <Show when={!props.error} fallback={<p class="muted">Couldn't load your credits.</p>}>
        <CreditBalance minutes={balance()} />
        <p class="small muted">of tutoring time left</p>
        <Show when={props.chart && props.credits?.lots.length}>
          <CreditLotsChart credits={props.credits!} zone={props.zone} height={140} />
        </Show>
        <Show when={!props.chart && props.credits?.grants.length}>
          <ul class="expiries small">
            <For each={props.credits!.grants.slice(0, props.compact ? 2 : 5)}>
              {(g) => (
                <li>
                  {formatMinutes(g.remainingMinutes)}
                  {g.funding === "promo" ? " promotional" : ""} expire{g.remainingMinutes === 1 ? "s" : ""} on {formatDate(g.expiresAt, props.zone)}
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="row">
          <A href="/credits" class="small">
            Credits and policy
          </A>
          <A href="/billing" class="small">
            Plans and packs
          </A>
        </div>
      </Show>
    </div>
  );
}
