import { For, Show } from "solid-js";
import { FREE_PLAN_ID } from "../../../../domain/billing/catalog";
import { POLICY } from "../../../../domain/credits/policy";
import { t as tr } from "../../i18n";
import { type Pack, type Plan, planTitle } from "../../features/billing/billing";
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
  const t = () => planTitle(props.plan.name);
  const perHour = () => perHourOf(props.plan);
  const action = () => {
    if (!props.subscribed) return `Choose ${t().title}`;
    if (props.plan.id === "free") return "Switch to Free";
    return props.direction === "up" ? `Upgrade to ${t().title}` : `Switch to ${t().title}`;
  };
  return (
    <li class="card plan-card" classList={{ current: props.current }} data-plan={props.plan.id}>
      <div class="row tight">
        <h3 class="grow">{t().title}</h3>
        <Show when={props.current}>
          <span class="badge brand">Current plan</span>
        </Show>
        <Show when={props.pending}>
          <span class="badge warning">Next period</span>
        </Show>
      </div>
      <div class="plan-price">
        <span class="stat">{formatMoney(props.plan.priceCents, props.plan.currency)}</span>
        <span class="muted small"> / month</span>
      </div>
      <Show when={props.plan.id !== FREE_PLAN_ID} fallback={<FreePlanTerms plans={props.plans ?? []} />}>
        <p class="small">
          <strong>{formatMinutes(props.plan.monthlyMinutes)}</strong> of tutoring a month
        </p>
        <p class="small muted">{perHour()} per hour of tutoring</p>
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
      <li>{tr("billing.free.trial", { duration: formatMinutes(POLICY.trialMinutes) })}</li>
      <li>{tr("billing.free.packs")}</li>
      <For each={props.plans.filter((p) => p.monthlyMinutes > 0)}>
        {(p) => <li class="muted">{tr("billing.free.adds", { plan: planTitle(p.name).title, hours: formatMinutes(p.monthlyMinutes), perHour: perHourOf(p) ?? "" })}</li>}
      </For>
    </ul>
  );
}

/** A one-time pack of extra credit. */
export function PackCard(props: { pack: Pack; disabled: boolean; busy: boolean; onBuy: () => void }) {
  return (
    <li class="card plan-card pack" data-pack={props.pack.id}>
      <h3>{props.pack.name}</h3>
      <div class="plan-price">
        <span class="stat">{formatMoney(props.pack.priceCents, props.pack.currency)}</span>
        <span class="muted small"> once</span>
      </div>
      <p class="small">+{formatCredits(props.pack.minutes)}</p>
      <Button block variant="secondary" pending={props.busy} disabled={props.disabled} onClick={props.onBuy} aria-label={`Buy ${props.pack.name} for ${formatMoney(props.pack.priceCents, props.pack.currency)}`}>
        Buy
      </Button>
    </li>
  );
}

