import { type Subscription, cancelPlan, newIdempotencyKey } from "../../features/billing/billing";
import { createAction } from "../../lib/action";
import { formatDate } from "../../lib/time";
import { DialogActions } from "../DialogActions";

/** Confirms cancelling at the period end: what stays, what stops, and that it can be undone until then. */
export function CancelPlanBody(props: { endsAt: string | null; zone: string; onDone: (s: Subscription, note: string) => void; onClose: () => void; onPendingChange: (p: boolean) => void }) {
  const key = newIdempotencyKey();
  const when = () => (props.endsAt ? formatDate(props.endsAt, props.zone) : "the end of this billing period");
  const cancel = createAction(async () => props.onDone(await cancelPlan(key), `Your plan ends on ${when()}. You can keep it any time before then.`), {
    onPendingChange: props.onPendingChange,
  });
  return (
    <div class="stack">
      <p>
        Your plan stays active until <strong>{when()}</strong>; after that you're on Free, with no new monthly hours.
      </p>
      <div class="alert info" role="note">
        Nothing is refunded for this period, and credits you already have keep their expiry dates. You can change your mind until then.
      </div>
      <DialogActions
        pending={cancel.pending()}
        error={cancel.error()}
        danger
        confirm={cancel.pending() ? "Cancelling…" : "Cancel at period end"}
        onConfirm={cancel.run}
        back="Keep my plan"
        onBack={props.onClose}
        focusBack
      />
    </div>
  );
}
