import { Show } from "solid-js";
import { type Pack, type Plan, planTitle } from "../../features/billing/billing";
import { formatCredits, formatMoney } from "../../lib/format";
import { formatMinutes } from "../../lib/time";
import { Button } from "../Button";

/** A monthly plan: price, hours, price per hour, and what choosing it means from the current plan. */
export function PlanCard(props: { plan: Plan; current: boolean; pending: boolean; subscribed: boolean; disabled: boolean; busy: boolean; direction: "up" | "down"; onChoose: () => void }) {
  const t = () => planTitle(props.plan.name);
  const perHour = () => (props.plan.monthlyMinutes ? formatMoney(Math.round((props.plan.priceCents * 60) / props.plan.monthlyMinutes), props.plan.currency) : undefined);
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
      <p class="small">
        {props.plan.monthlyMinutes ? <><strong>{formatMinutes(props.plan.monthlyMinutes)}</strong> of tutoring a month</> : "No monthly hours; buy packs as you go"}
      </p>
      <p class="small muted">{perHour() ? `${perHour()} per hour of tutoring` : "Book with pack or welcome credits"}</p>
      <Show when={!props.current && !props.pending && !(props.plan.id === "free" && !props.subscribed)}>
        <Button block small={false} variant={props.direction === "up" || !props.subscribed ? undefined : "secondary"} pending={props.busy} disabled={props.disabled} onClick={props.onChoose}>
          {action()}
        </Button>
      </Show>
    </li>
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

