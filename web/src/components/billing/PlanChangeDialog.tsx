import { Match, Show, Switch, createResource } from "solid-js";
import { type Plan, type Subscription, changePlan, newIdempotencyKey, planTitle, previewPlanChange } from "../../features/billing/billing";
import { createAction } from "../../lib/action";
import { messageOf } from "../../lib/api";
import { formatCredits, formatMoney } from "../../lib/format";
import { formatDate, formatMinutes } from "../../lib/time";
import { DialogActions } from "../DialogActions";

/**
 * Confirms a plan change after showing what it means: an upgrade is charged now (prorated) and its extra minutes
 * are granted at once; a downgrade starts at the period end. Nothing changes until the student confirms.
 */
export function PlanChangeBody(props: {
  from: Plan;
  to: Plan;
  zone: string;
  onDone: (s: Subscription, note: string) => void;
  onClose: () => void;
  onPendingChange: (p: boolean) => void;
}) {
  const [preview, { refetch }] = createResource(() => props.to.id, previewPlanChange);
  const key = newIdempotencyKey();
  const to = () => planTitle(props.to.name).title;

  const confirm = createAction(
    async () => {
      const p = preview();
      if (!p) return;
      const sub = await changePlan(props.to.id, key);
      props.onDone(
        sub,
        p.direction === "upgrade"
          ? `You're on ${to()} now. ${formatCredits(p.extraMinutes)} ${p.extraMinutes === 1 ? "is" : "are"} being added to your balance.`
          : `Your plan switches to ${to()} on ${p.effectiveAt ? formatDate(p.effectiveAt, props.zone) : "your next renewal"}.`,
      );
    },
    { onPendingChange: props.onPendingChange },
  );

  return (
    <div class="stack">
      <Switch>
        <Match when={preview.error}>
          <div class="alert error" role="alert">
            Couldn't work out what this change costs: {messageOf(preview.error)}{" "}
            <button type="button" class="btn small secondary" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={!preview()}>
          <div class="skeleton" style={{ height: "120px" }} aria-label="Working out the cost" role="status" />
        </Match>
        <Match when={preview()}>
          {(p) => (
            <div data-testid="plan-preview" data-direction={p().direction} data-extra-minutes={p().extraMinutes} data-amount-cents={p().amountDueCents}>
              <Switch>
                <Match when={p().direction === "upgrade"}>
                  <p>
                    Move from <strong>{planTitle(props.from.name).title}</strong> to <strong>{to()}</strong> today.
                  </p>
                  <div class="cost">
                    <div>
                      <div class="label">Charged now</div>
                      <div class="stat">{formatMoney(p().amountDueCents, props.to.currency)}</div>
                      <div class="small muted">prorated for the rest of this period</div>
                    </div>
                    <div>
                      <div class="label">Added at once</div>
                      <div class="stat success-text">+{formatMinutes(p().extraMinutes)}</div>
                      <div class="small muted">of credit, usable right away</div>
                    </div>
                  </div>
                  <p class="small muted policy">
                    Then {formatMoney(props.to.priceCents, props.to.currency)} a month for {formatMinutes(props.to.monthlyMinutes)} of tutoring.
                  </p>
                </Match>
                <Match when={p().direction === "downgrade"}>
                  <p>
                    Switch to <strong>{to()}</strong> from <strong>{p().effectiveAt ? formatDate(p().effectiveAt!, props.zone) : "your next renewal"}</strong>.
                  </p>
                  <div class="alert info" role="note">
                    Nothing is charged now. You keep {planTitle(props.from.name).title} and its hours until then
                    {props.to.priceCents ? `; after that it's ${formatMoney(props.to.priceCents, props.to.currency)} a month for ${formatMinutes(props.to.monthlyMinutes)}.` : "."} Credits you
                    already have keep their expiry dates.
                  </div>
                </Match>
                <Match when={p().direction === "same"}>
                  <p>You're already on {to()}.</p>
                </Match>
              </Switch>
            </div>
          )}
        </Match>
      </Switch>
      <DialogActions
        pending={confirm.pending()}
        error={confirm.error()}
        confirm={
          <Show when={preview()?.direction === "upgrade"} fallback={confirm.pending() ? "Scheduling…" : "Schedule the switch"}>
            {confirm.pending() ? "Upgrading…" : `Upgrade and pay ${formatMoney(preview()!.amountDueCents, props.to.currency)}`}
          </Show>
        }
        onConfirm={confirm.run}
        disabled={!preview() || preview()!.direction === "same"}
        back="Keep my plan"
        onBack={props.onClose}
      />
    </div>
  );
}
