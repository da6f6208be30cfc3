import { createSignal } from "solid-js";
import { type Subscription, cancelPlan, newIdempotencyKey } from "../../features/billing/billing";
import { messageOf } from "../../lib/api";
import { formatDate } from "../../lib/time";
import { Button, ErrorAlert } from "../Button";

/** Confirms cancelling at the period end: what stays, what stops, and that it can be undone until then. */
export function CancelPlanBody(props: { endsAt: string | null; zone: string; onDone: (s: Subscription, note: string) => void; onClose: () => void; onPendingChange: (p: boolean) => void }) {
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const key = newIdempotencyKey();
  const when = () => (props.endsAt ? formatDate(props.endsAt, props.zone) : "the end of this billing period");
  const run = async () => {
    setPending(true);
    props.onPendingChange(true);
    setError(undefined);
    try {
      props.onDone(await cancelPlan(key), `Your plan ends on ${when()}. You can keep it any time before then.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
      props.onPendingChange(false);
    }
  };
  return (
    <div class="stack">
      <p>
        Your plan stays active until <strong>{when()}</strong>; after that you're on Free, with no new monthly hours.
      </p>
      <div class="alert info" role="note">
        Nothing is refunded for this period, and credits you already have keep their expiry dates. You can change your mind until then.
      </div>
      <ErrorAlert message={error()} />
      <div class="row dialog-actions">
        <Button variant="danger" onClick={run} pending={pending()}>
          {pending() ? "Cancelling…" : "Cancel at period end"}
        </Button>
        <Button variant="secondary" onClick={props.onClose} disabled={pending()} autofocus>
          Keep my plan
        </Button>
      </div>
    </div>
  );
}
