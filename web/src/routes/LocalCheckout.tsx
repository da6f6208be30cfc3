import { A, useNavigate, useParams } from "@solidjs/router";
import { Match, Show, Switch, createResource, createSignal } from "solid-js";
import { Button } from "../components/Button";
import { ErrorAlert } from "../components/Alert";
import { Guard } from "../components/Guard";
import { completeLocalCheckout, fetchLocalCheckout, newIdempotencyKey, planTitle } from "../features/billing/billing";
import { messageOf } from "../lib/api";
import { formatMoney } from "../lib/format";
import { formatMinutes } from "../lib/time";

/** Local payment mode's stand-in for Stripe Checkout: a test "Pay" that drives the same webhooks. */
export default function LocalCheckout() {
  return (
    <Guard roles={["student"]}>
      <CheckoutPage />
    </Guard>
  );
}

function CheckoutPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const [checkout] = createResource(() => params.id, fetchLocalCheckout);
  const [pending, setPending] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const key = newIdempotencyKey();

  const pay = async () => {
    setPending(true);
    setError(undefined);
    try {
      await completeLocalCheckout(params.id, key);
      navigate("/billing?checkout=success", { replace: true });
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <div class="card narrow checkout">
      <div class="alert warning test-banner" role="note">
        <strong>Test checkout</strong> — local payment mode, no card is charged.
      </div>
      <h1>Checkout</h1>
      <Switch>
        <Match when={checkout.error}>
          <ErrorAlert message={`This checkout can't be shown: ${messageOf(checkout.error)}`} />
          <A class="btn secondary" href="/billing">
            Back to billing
          </A>
        </Match>
        <Match when={!checkout.latest}>
          <div class="skeleton" style={{ height: "140px" }} aria-label="Loading checkout" role="status" />
        </Match>
        <Match when={checkout.latest}>
          {(c) => {
            const item = () => c().item as { name: string; priceCents: number; currency: string; monthlyMinutes?: number; minutes?: number } | undefined;
            return (
              <>
                <dl class="facts checkout-summary" data-testid="checkout-summary">
                  <div>
                    <dt>{c().kind === "plan" ? "Monthly plan" : "One-time pack"}</dt>
                    <dd>
                      <strong>{item() ? planTitle(item()!.name).title : "Unknown item"}</strong>
                      <Show when={item()}>
                        <span class="muted small">
                          {" "}
                          · {formatMinutes(item()!.monthlyMinutes ?? item()!.minutes ?? 0)} of tutoring{c().kind === "plan" ? " a month" : ""}
                        </span>
                      </Show>
                    </dd>
                  </div>
                  <div>
                    <dt>{c().kind === "plan" ? "Due today, then monthly" : "Due today"}</dt>
                    <dd class="stat">{item() ? formatMoney(item()!.priceCents, item()!.currency) : "—"}</dd>
                  </div>
                </dl>
                <Show
                  when={c().status === "open"}
                  fallback={
                    <>
                      <div class={`alert ${c().status === "expired" ? "warning" : "success"}`} role="status">
                        {c().status === "expired" ? "This checkout expired: a newer one replaced it." : "This checkout is already paid."}
                      </div>
                      <A class="btn" href="/billing">
                        Back to billing
                      </A>
                    </>
                  }
                >
                  <ErrorAlert message={error()} />
                  <div class="stack tight">
                    <Button block onClick={pay} pending={pending()}>
                      {pending() ? "Paying…" : "Pay (test)"}
                    </Button>
                    <A class="btn ghost block" href="/billing?checkout=cancelled" aria-disabled={pending() ? "true" : undefined}>
                      Cancel and go back
                    </A>
                  </div>
                  <p class="small muted">Paying sends the same signed events Stripe would; your credits appear live on any open Tutorly page.</p>
                </Show>
              </>
            );
          }}
        </Match>
      </Switch>
    </div>
  );
}
