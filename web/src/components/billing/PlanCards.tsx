import { For, Show } from "solid-js";
import { FREE_PLAN_ID } from "../../../../domain/billing/catalog";
import { POLICY } from "../../../../domain/credits/policy";
import { type Pack, type Plan, packName, planName } from "../../features/billing/billing";
import { t, tx } from "../../i18n";
import { formatCredits, formatMoney } from "../../lib/format";
import { formatMinutes } from "../../lib/time";
import { Button } from "../Button";

/** A monthly plan: price, hours, price per hour, and what choosing it means from the current plan. */
export function PlanCard(props: {
  plan: Plan;
  current: boolean;
  pending: boolean;
  subscribed: boolean;
  disabled: boolean;
  busy: boolean;
  direction: "up" | "down";
  onChoose: () => void;
  /** The paid plans, for the Free card to say what each adds. */
  plans?: readonly Plan[];
}) {
  const name = () => planName(props.plan);
  const perHour = () => perHourOf(props.plan);
  const action = () => {
    if (!props.subscribed) return t("billing.card.choose", { plan: name() });
    return props.direction === "up" && props.plan.id !== "free" ? t("billing.card.upgrade", { plan: name() }) : t("billing.card.switch", { plan: name() });
  };
  return (
    <li class="card plan-card" classList={{ current: props.current }} data-plan={props.plan.id}>
      <div class="row tight">
        <h3 class="grow">{name()}</h3>
        <Show when={props.current}>
          <span class="badge brand">{t("billing.card.current")}</span>
        </Show>
        <Show when={props.pending}>
          <span class="badge warning">{t("billing.card.next")}</span>
        </Show>
      </div>
      <div class="plan-price">
        <span class="stat">{formatMoney(props.plan.priceCents, props.plan.currency)}</span>
        <span class="muted small"> {t("billing.card.perMonth")}</span>
      </div>
      <Show when={props.plan.id !== FREE_PLAN_ID} fallback={<FreePlanTerms plans={props.plans ?? []} />}>
        <p class="small">{tx("billing.card.hours", { hours: <strong>{formatMinutes(props.plan.monthlyMinutes)}</strong> })}</p>
        <p class="small muted">{t("billing.card.perHour", { price: perHour() ?? "" })}</p>
      </Show>
      <Show when={!props.current && !props.pending && !(props.plan.id === "free" && !props.subscribed)}>
        <Button block small={false} variant={props.direction === "up" || !props.subscribed ? undefined : "secondary"} pending={props.busy} disabled={props.disabled} onClick={props.onChoose}>
          {action()}
        </Button>
      </Show>
    </li>
  );
}

const perHourOf = (p: Plan) => (p.monthlyMinutes ? formatMoney(Math.round((p.priceCents * 60) / p.monthlyMinutes), p.currency) : undefined);

/** What the free plan gives (a free trial lesson a month, packs any time) and what each paid plan adds to it. */
function FreePlanTerms(props: { plans: readonly Plan[] }) {
  return (
    <ul class="small plan-terms" data-testid="free-plan-terms">
      <li>{t("billing.free.trial", { duration: formatMinutes(POLICY.trialMinutes) })}</li>
      <li>{t("billing.free.packs")}</li>
      <For each={props.plans.filter((p) => p.monthlyMinutes > 0)}>
        {(p) => <li class="muted">{t("billing.free.adds", { plan: planName(p), hours: formatMinutes(p.monthlyMinutes), perHour: perHourOf(p) ?? "" })}</li>}
      </For>
    </ul>
  );
}

/** A one-time pack of extra credit. */
export function PackCard(props: { pack: Pack; disabled: boolean; busy: boolean; onBuy: () => void }) {
  return (
    <li class="card plan-card pack" data-pack={props.pack.id}>
      <h3>{packName(props.pack)}</h3>
      <div class="plan-price">
        <span class="stat">{formatMoney(props.pack.priceCents, props.pack.currency)}</span>
        <span class="muted small"> {t("billing.card.once")}</span>
      </div>
      <p class="small">+{formatCredits(props.pack.minutes)}</p>
      <Button block variant="secondary" pending={props.busy} disabled={props.disabled} onClick={props.onBuy} aria-label={t("billing.card.buyWhat", { pack: packName(props.pack), price: formatMoney(props.pack.priceCents, props.pack.currency) })}>
        {t("billing.card.buy")}
      </Button>
    </li>
  );
}

