import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import type { Credits } from "../features/credits/credits";
import { CreditBalance } from "./CreditBalance";
import { CreditLotsChart } from "./charts/CreditLotsChart";
import { formatDate, formatMinutes } from "../lib/time";
import { t } from "../i18n";

/** Balance in hours and minutes, with the grants that expire soonest. */
export function CreditsSummary(props: { credits?: Credits; balance?: number; zone: string; error?: unknown; compact?: boolean; chart?: boolean }) {
  const balance = () => props.balance ?? props.credits?.balanceMinutes;
  return (
    <div class="card credits-card" aria-labelledby="credits-title">
      <h2 id="credits-title">{t("billing.summary.title")}</h2>
      <Show when={!props.error} fallback={<p class="muted">{t("billing.summary.loadFailed")}</p>}>
        <CreditBalance minutes={balance()} />
        <p class="small muted">{t("billing.summary.left")}</p>
        <Show when={props.chart && props.credits?.lots.length}>
          <CreditLotsChart credits={props.credits!} zone={props.zone} height={140} />
        </Show>
        <Show when={!props.chart && props.credits?.grants.length}>
          <ul class="expiries small">
            <For each={props.credits!.grants.slice(0, props.compact ? 2 : 5)}>
              {(g) => (
                <li>
                  {t(g.funding === "promo" ? "billing.summary.promoExpires" : "billing.summary.expires", {
                    amount: formatMinutes(g.remainingMinutes),
                    date: formatDate(g.expiresAt, props.zone),
                  })}
                </li>
              )}
            </For>
          </ul>
        </Show>
        <div class="row">
          <A href="/credits" class="small">
            {t("billing.summary.policy")}
          </A>
          <A href="/billing" class="small">
            {t("billing.summary.plans")}
          </A>
        </div>
      </Show>
    </div>
  );
}
