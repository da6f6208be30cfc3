import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createResource, createSignal } from "solid-js";
import { PACK_EXPIRY_DAYS } from "../../../domain/billing/catalog";
import { Button } from "../components/Button";
import { ErrorAlert, Notice } from "../components/Alert";
import { CreditBalance } from "../components/CreditBalance";
import { Dialog } from "../components/Dialog";
import { Guard } from "../components/Guard";
import { CancelPlanBody } from "../components/billing/CancelPlanBody";
import { PackCard, PlanCard } from "../components/billing/PlanCards";
import { PlanChangeBody } from "../components/billing/PlanChangeDialog";
import { Receipts } from "../components/billing/Receipts";
import {
  type Plan,
  type Subscription,
  advanceLocalPeriod,
  changePlan,
  fetchCatalog,
  fetchSubscription,
  follow,
  newIdempotencyKey,
  planTitle,
  portalUrl,
  startCheckout,
} from "../features/billing/billing";
import { createLiveCredits } from "../features/credits/credits";
import { messageOf } from "../lib/api";
import { formatMoney } from "../lib/format";
import { returnTo, session } from "../lib/session";
import { formatDate, formatMinutes } from "../lib/time";

const STATUS: Record<string, { label: string; tone: string }> = {
  active: { label: "Active", tone: "success" },
  trialing: { label: "Trial", tone: "success" },
  past_due: { label: "Payment overdue", tone: "danger" },
  unpaid: { label: "Unpaid", tone: "danger" },
  incomplete: { label: "Awaiting payment", tone: "warning" },
  canceled: { label: "Ended", tone: "" },
};

/** A student's plan: buy, change (with a preview), cancel at period end, one-time packs, payment methods. */
export default function Billing() {
  return (
    <Guard roles={["student"]}>
      <BillingPage />
    </Guard>
  );
}

function BillingPage() {
  const navigate = useNavigate();
  const [search, setSearch] = useSearchParams<{ checkout?: string }>();
  const zone = () => session.user()?.timezone ?? "UTC";
  const [catalog] = createResource(fetchCatalog);
  const [subView, { mutate: setSubView, refetch: refetchSub }] = createResource(fetchSubscription);
  const live = createLiveCredits();

  const sub = () => subView.latest?.subscription ?? null;
  const mode = () => catalog.latest?.mode ?? subView.latest?.mode;
  const planOf = (id: string | null | undefined) => catalog.latest?.plans.find((p) => p.id === id);
  const current = createMemo(() => planOf(sub()?.planId) ?? planOf("free"));
  const setSub = (s: Subscription | null) => setSubView((v) => (v ? { ...v, subscription: s } : v));

  const [flash, setFlash] = createSignal<string | undefined>(
    search.checkout === "success" ? "Payment received. Your credits are on their way — they appear below the moment they land." : undefined,
  );
  const [notice, setNotice] = createSignal<string | undefined>(search.checkout === "cancelled" ? "Checkout cancelled. Nothing was charged." : undefined);
  if (search.checkout) setSearch({ checkout: undefined }, { replace: true });
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal<string>();
  const [dialog, setDialog] = createSignal<{ kind: "change"; to: Plan } | { kind: "cancel" }>();
  const [dialogBusy, setDialogBusy] = createSignal(false);

  /** Runs one button's action with its own pending state and a page-level error. */
  const act = async (id: string, action: () => Promise<void>) => {
    setBusy(id);
    setError(undefined);
    setFlash(undefined);
    setNotice(undefined);
    try {
      await action();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(undefined);
    }
  };
  const checkout = (item: { planId: string } | { packId: string }, id: string) => act(id, async () => follow(await startCheckout(item, newIdempotencyKey()), navigate));
  const portal = () =>
    act("portal", async () => {
      const url = await portalUrl();
      if (/^https?:\/\//.test(url)) return follow(url, navigate);
      setNotice("Local payment mode has no real cards: there is nothing to manage. With Stripe keys this opens the Stripe customer portal.");
    });
  /** Undoes a pending downgrade or cancellation at once; puts it back if the server refuses. */
  const keepPlan = () => {
    const before = sub();
    if (!before) return;
    setSub({ ...before, pendingPlanId: null, cancelAtPeriodEnd: false });
    return act("keep", async () => {
      try {
        setSub(await changePlan(before.planId, newIdempotencyKey()));
        setFlash(`You're staying on ${planTitle(current()?.name ?? "").title}.`);
      } catch (e) {
        setSub(before);
        throw e;
      }
    });
  };
  const advance = () =>
    act("advance", async () => {
      const next = await advanceLocalPeriod();
      setSub(next);
      void refetchSub();
      live.refetch();
      setFlash(next ? `Moved to the next billing period: renewed until ${next.currentPeriodEnd ? formatDate(next.currentPeriodEnd, zone()) : "—"}.` : "Moved to the next billing period: your plan has ended and you're on Free.");
    });
  const changed = (s: Subscription, note: string) => {
    setSub(s);
    setDialog();
    setFlash(note);
    live.refetch();
  };

  const pendingPlan = () => (sub()?.cancelAtPeriodEnd ? planOf("free") : planOf(sub()?.pendingPlanId));
  const payable = () => mode() === "stripe" || mode() === "local";

  return (
    <>
      <div class="page-head">
        <div>
          <h1>Plans and billing</h1>
          <p>Monthly hours of tutoring, as credits. Upgrade any time; downgrades wait for your renewal.</p>
        </div>
        <A class="btn secondary" href="/credits">
          Credits and expiry
        </A>
      </div>
      <Notice message={flash()} />
      <Show when={returnTo.peek() && (live.credits.latest?.balanceMinutes ?? 0) > 0}>
        <div class="alert success" role="status" data-testid="resume">
          You have credit to book with.{" "}
          <A href={returnTo.peek()!} onClick={() => returnTo.forget()}>
            Back to the time you picked
          </A>
        </div>
      </Show>
      <Notice message={notice()} tone="info" />
      <ErrorAlert message={error() ?? (catalog.error || subView.error ? `Couldn't load your plan: ${messageOf(catalog.error ?? subView.error)}` : undefined)} />
      <Show when={mode() === "unavailable"}>
        <div class="alert warning" role="note">
          Payments aren't set up on this server, so plans can't be bought or changed right now.
        </div>
      </Show>

      <div class="billing-top">
        <section class="card current-plan" aria-labelledby="current-title" data-testid="current-plan" data-plan={sub()?.planId ?? "free"}>
          <h2 id="current-title">Your plan</h2>
          <Show when={subView.latest && catalog.latest} fallback={<div class="skeleton" style={{ height: "96px" }} aria-label="Loading your plan" />}>
            <div class="row tight">
              <span class="plan-name">{planTitle(current()?.name ?? "Free").title}</span>
              <Show when={sub()}>{(s) => <span class={`badge ${STATUS[s().status]?.tone ?? ""}`}>{STATUS[s().status]?.label ?? s().status}</span>}</Show>
            </div>
            <Switch fallback={<p class="muted small">No monthly hours. Choose a plan below to get credits every month, or buy a one-time pack.</p>}>
              <Match when={sub()}>
                {(s) => (
                  <>
                    <p class="small muted">
                      {formatMinutes(current()?.monthlyMinutes ?? 0)} of tutoring a month · {formatMoney(current()?.priceCents ?? 0, current()?.currency)} a month
                    </p>
                    <Show when={s().status === "past_due" || s().status === "unpaid"}>
                      <div class="alert warning" role="alert">
                        Your last payment didn't go through. Update your payment method to keep your plan and its monthly hours.
                      </div>
                    </Show>
                    <Show
                      when={pendingPlan()}
                      fallback={<p class="small">{s().currentPeriodEnd ? `Renews on ${formatDate(s().currentPeriodEnd!, zone())}.` : "Renews monthly."}</p>}
                    >
                      {(next) => (
                        <div class="alert info pending-change" role="status" data-testid="pending-change">
                          <span class="grow">
                            <Show
                              when={next().id === "free"}
                              fallback={
                                <>
                                  Switches to <strong>{planTitle(next().name).title}</strong> on {s().currentPeriodEnd ? formatDate(s().currentPeriodEnd!, zone()) : "your next renewal"}.
                                </>
                              }
                            >
                              Ends on <strong>{s().currentPeriodEnd ? formatDate(s().currentPeriodEnd!, zone()) : "your next renewal"}</strong>; then you're on Free.
                            </Show>
                          </span>
                          <Button small variant="secondary" pending={busy() === "keep"} onClick={keepPlan}>
                            Keep {planTitle(current()?.name ?? "").title}
                          </Button>
                        </div>
                      )}
                    </Show>
                    <div class="row">
                      <Button small variant="secondary" pending={busy() === "portal"} onClick={portal}>
                        Manage payment methods
                      </Button>
                      <Show when={!pendingPlan() || pendingPlan()?.id !== "free"}>
                        <Button small variant="ghost" class="danger-text" onClick={() => setDialog({ kind: "cancel" })} disabled={!payable()}>
                          Cancel plan
                        </Button>
                      </Show>
                    </div>
                  </>
                )}
              </Match>
            </Switch>
          </Show>
        </section>
        <section class="card credits-card" aria-labelledby="bal-title">
          <h2 id="bal-title">Credits</h2>
          <CreditBalance minutes={live.credits.latest?.balanceMinutes} />
          <p class="small muted">of tutoring time left</p>
          <A href="/credits" class="small">
            See what expires when
          </A>
        </section>
      </div>

      <section aria-labelledby="plans-title" class="billing-section">
        <h2 id="plans-title">Monthly plans</h2>
        <ul class="plan-grid">
          <For each={catalog.latest?.plans ?? []}>
            {(p) => (
              <PlanCard
                plan={p}
                current={current()?.id === p.id}
                pending={pendingPlan()?.id === p.id && !!sub()}
                subscribed={!!sub()}
                disabled={!payable()}
                busy={busy() === `plan:${p.id}`}
                onChoose={() => {
                  if (!sub()) return void checkout({ planId: p.id }, `plan:${p.id}`);
                  if (p.id === "free") return setDialog({ kind: "cancel" });
                  setDialog({ kind: "change", to: p });
                }}
                direction={(current()?.monthlyMinutes ?? 0) < p.monthlyMinutes ? "up" : "down"}
                plans={catalog.latest?.plans ?? []}
              />
            )}
          </For>
        </ul>
      </section>

      <section aria-labelledby="packs-title" class="billing-section">
        <h2 id="packs-title">One-time packs</h2>
        <p class="small muted">Extra hours whenever you need them, on any plan. Pack credits stay usable for {PACK_EXPIRY_DAYS} days.</p>
        <ul class="plan-grid packs">
          <For each={catalog.latest?.packs ?? []}>{(p) => <PackCard pack={p} disabled={!payable()} busy={busy() === `pack:${p.id}`} onBuy={() => void checkout({ packId: p.id }, `pack:${p.id}`)} />}</For>
        </ul>
      </section>

      <Receipts zone={zone()} />

      <Show when={mode() === "local"}>
        <section class="card dev-tool" aria-labelledby="dev-title">
          <h2 id="dev-title">
            Developer tool <span class="badge warning">local payment mode</span>
          </h2>
          <p class="small muted">
            Simulate the start of the next billing period: the plan renews (with this month's hours), a scheduled downgrade takes effect, or a cancelled plan ends.
            Not shown when real Stripe keys are configured.
          </p>
          <Button small variant="secondary" pending={busy() === "advance"} onClick={advance} disabled={!sub()}>
            Advance to the next billing period
          </Button>
        </section>
      </Show>

      <Show when={dialog()} keyed>
        {(d) => (
          <Dialog open title={d.kind === "cancel" ? "Cancel your plan?" : `Change to ${planTitle(d.to.name).title}`} onClose={() => setDialog()} busy={dialogBusy()}>
            <Switch>
              <Match when={d.kind === "change" ? d : undefined}>
                {(c) => <PlanChangeBody from={current()!} to={c().to} zone={zone()} onDone={changed} onClose={() => setDialog()} onPendingChange={setDialogBusy} />}
              </Match>
              <Match when={d.kind === "cancel"}>
                <CancelPlanBody endsAt={sub()?.currentPeriodEnd ?? null} zone={zone()} onDone={changed} onClose={() => setDialog()} onPendingChange={setDialogBusy} />
              </Match>
            </Switch>
          </Dialog>
        )}
      </Show>
    </>
  );
}
