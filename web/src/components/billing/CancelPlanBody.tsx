import { type Subscription, cancelPlan, newIdempotencyKey } from "../../features/billing/billing";
import { createAction } from "../../lib/action";
import { formatDate } from "../../lib/time";
import { DialogActions } from "../DialogActions";
import { t, tx } from "../../i18n";

/** Confirms cancelling at the period end: what stays, what stops, and that it can be undone until then. */
export function CancelPlanBody(props: { endsAt: string | null; zone: string; onDone: (s: Subscription, note: string) => void; onClose: () => void; onPendingChange: (p: boolean) => void }) {
  const key = newIdempotencyKey();
  const when = () => (props.endsAt ? formatDate(props.endsAt, props.zone) : t("billing.cancel.periodEnd"));
  const cancel = createAction(async () => props.onDone(await cancelPlan(key), t("billing.cancel.done", { date: when() })), {
    onPendingChange: props.onPendingChange,
  });
  return (
    <div class="stack">
      <p>
        {tx("billing.cancel.body", { date: <strong>{when()}</strong> })}
      </p>
      <div class="alert info" role="note">
        {t("billing.cancel.note")}
      </div>
      <DialogActions
        pending={cancel.pending()}
        error={cancel.error()}
        danger
        confirm={cancel.pending() ? t("sessions.cancel.cancelling") : t("billing.cancel.confirm")}
        onConfirm={cancel.run}
        back={t("billing.cancel.keep")}
        onBack={props.onClose}
        focusBack
      />
    </div>
  );
}
