import { Match, Show, Switch, createResource } from "solid-js";
import { type Plan, type Subscription, changePlan, newIdempotencyKey, planName, previewPlanChange } from "../../features/billing/billing";
import { t, tx } from "../../i18n";
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
  const to = () => planName(props.to);

  const confirm = createAction(
    async () => {
      const p = preview();
      if (!p) return;
      const sub = await changePlan(props.to.id, key);
      props.onDone(
        sub,
        p.direction === "upgrade"
          ? t("billing.change.upgraded", { plan: to(), amount: formatCredits(p.extraMinutes) })
          : t("billing.change.scheduled", { plan: to(), date: p.effectiveAt ? formatDate(p.effectiveAt, props.zone) : t("billing.page.nextRenewal") }),
      );
    },
    { onPendingChange: props.onPendingChange },
  );

  return (
    <div class="stack">
      <Switch>
        <Match when={preview.error}>
          <div class="alert error" role="alert">
            {t("billing.change.previewFailed", { reason: messageOf(preview.error) })}{" "}
            <button type="button" class="btn small secondary" onClick={() => void refetch()}>
              {t("sessions.detail.retry")}
            </button>
          </div>
        </Match>
        <Match when={!preview()}>
          <div class="skeleton" style={{ height: "120px" }} aria-label={t("billing.change.working")} role="status" />
        </Match>
        <Match when={preview()}>
          {(p) => (
            <div data-testid="plan-preview" data-direction={p().direction} data-extra-minutes={p().extraMinutes} data-amount-cents={p().amountDueCents}>
              <Switch>
                <Match when={p().direction === "upgrade"}>
                  <p>
                    {tx("billing.change.moveToday", { from: <strong>{planName(props.from)}</strong>, to: <strong>{to()}</strong> })}
                  </p>
                  <div class="cost">
                    <div>
                      <div class="label">{t("billing.change.chargedNow")}</div>
                      <div class="stat">{formatMoney(p().amountDueCents, props.to.currency)}</div>
                      <div class="small muted">{t("billing.change.prorated")}</div>
                    </div>
                    <div>
                      <div class="label">{t("billing.change.addedNow")}</div>
                      <div class="stat success-text">+{formatMinutes(p().extraMinutes)}</div>
                      <div class="small muted">{t("billing.change.usable")}</div>
                    </div>
                  </div>
                  <p class="small muted policy">
                    {t("billing.change.then", { price: formatMoney(props.to.priceCents, props.to.currency), hours: formatMinutes(props.to.monthlyMinutes) })}
                  </p>
                </Match>
                <Match when={p().direction === "downgrade"}>
                  <p>
                    {tx("billing.change.switchFrom", { plan: <strong>{to()}</strong>, date: <strong>{p().effectiveAt ? formatDate(p().effectiveAt!, props.zone) : t("billing.page.nextRenewal")}</strong> })}
                  </p>
                  <div class="alert info" role="note">
                    {props.to.priceCents
                      ? t("billing.change.downPaid", { from: planName(props.from), price: formatMoney(props.to.priceCents, props.to.currency), hours: formatMinutes(props.to.monthlyMinutes) })
                      : t("billing.change.downFree", { from: planName(props.from) })}
                  </div>
                </Match>
                <Match when={p().direction === "same"}>
                  <p>{t("billing.change.same", { plan: to() })}</p>
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
          <Show when={preview()?.direction === "upgrade"} fallback={confirm.pending() ? t("billing.change.scheduling") : t("billing.change.schedule")}>
            {confirm.pending() ? t("billing.change.upgrading") : t("billing.change.pay", { amount: formatMoney(preview()!.amountDueCents, props.to.currency) })}
          </Show>
        }
        onConfirm={confirm.run}
        disabled={!preview() || preview()!.direction === "same"}
        back={t("billing.cancel.keep")}
        onBack={props.onClose}
      />
    </div>
  );
}
