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
import { PausePlan } from "../components/billing/PausePlan";
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
  planName,
  portalUrl,
  startCheckout,
} from "../features/billing/billing";
import { createLiveCredits } from "../features/credits/credits";
import { messageOf } from "../lib/api";
import { formatMoney } from "../lib/format";
import { returnTo, session } from "../lib/session";
import { formatDate, formatMinutes } from "../lib/time";
import { type PlainKey, t, tx } from "../i18n";

const STATUS: Record<string, { label: PlainKey; tone: string }> = {
  active: { label: "billing.status.active", tone: "success" },
  trialing: { label: "billing.status.trialing", tone: "success" },
  past_due: { label: "billing.status.pastDue", tone: "danger" },
  unpaid: { label: "billing.status.unpaid", tone: "danger" },
  incomplete: { label: "billing.status.incomplete", tone: "warning" },
  canceled: { label: "billing.status.canceled", tone: "" },
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
    search.checkout === "success" ? t("billing.page.paid") : undefined,
  );
  const [notice, setNotice] = createSignal<string | undefined>(search.checkout === "cancelled" ? t("billing.page.checkoutCancelled") : undefined);
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
      setNotice(t("billing.page.localPortal"));
    });
  /** Undoes a pending downgrade or cancellation at once; puts it back if the server refuses. */
  const keepPlan = () => {
    const before = sub();
    if (!before) return;
    setSub({ ...before, pendingPlanId: null, cancelAtPeriodEnd: false });
    return act("keep", async () => {
      try {
        setSub(await changePlan(before.planId, newIdempotencyKey()));
        setFlash(t("billing.page.staying", { plan: planName(current()) }));
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
      setFlash(next ? t("billing.page.advanced", { until: next.currentPeriodEnd ? formatDate(next.currentPeriodEnd, zone()) : "—" }) : t("billing.page.advancedEnded"));
    });
  const changed = (s: Subscription, note: string) => {
    setSub(s);
    setDialog();
    setFlash(note);
    live.refetch();
  };

  /**
   * The way back to the time picked before coming here to buy credit, with what is still missing for it (0: the
   * balance covers it). Without a known price (an older detour), any credit counts as enough to go back with.
   */
  const resume = createMemo(() => {
    const balance = live.credits.latest?.balanceMinutes;
    if (balance === undefined) return undefined;
    const need = returnTo.need();
    if (need === undefined) return balance > 0 ? { missing: 0 } : undefined;
    return { missing: Math.max(0, need - balance) };
  });
  const pendingPlan = () => (sub()?.cancelAtPeriodEnd ? planOf("free") : planOf(sub()?.pendingPlanId));
  const payable = () => mode() === "stripe" || mode() === "local";

  return (
    <>
      <div class="page-head">
        <div>
          <h1>{t("billing.page.title")}</h1>
          <p>{t("billing.page.intro")}</p>
        </div>
        <A class="btn secondary" href="/credits">
          {t("billing.page.creditsLink")}
        </A>
      </div>
      <Notice message={flash()} />
      <Show when={returnTo.peek() ? resume() : undefined}>
        {(r) => (
          <div class={`alert ${r().missing ? "warning" : "success"}`} role="status" data-testid="resume">
            {r().missing ? t("billing.page.stillShort", { missing: formatMinutes(r().missing) }) : t("billing.page.haveCredit")}{" "}
            <A href={returnTo.peek()!} onClick={() => returnTo.forget()}>
              {t("billing.page.backToSlot")}
            </A>
          </div>
        )}
      </Show>
      <Notice message={notice()} tone="info" />
      <ErrorAlert message={error() ?? (catalog.error || subView.error ? t("billing.page.loadFailed", { reason: messageOf(catalog.error ?? subView.error) }) : undefined)} />
      <Show when={mode() === "unavailable"}>
        <div class="alert warning" role="note">
          {t("billing.page.unavailable")}
        </div>
      </Show>

      <div class="billing-top">
        <section class="card current-plan" aria-labelledby="current-title" data-testid="current-plan" data-plan={sub()?.planId ?? "free"}>
          <h2 id="current-title">{t("billing.page.yourPlan")}</h2>
          <Show when={subView.latest && catalog.latest} fallback={<div class="skeleton" style={{ height: "96px" }} aria-label={t("billing.page.loadingPlan")} />}>
            <div class="row tight">
              <span class="plan-name">{planName(current())}</span>
              <Show when={sub()}>{(s) => <span class={`badge ${STATUS[s().status]?.tone ?? ""}`}>{STATUS[s().status] ? t(STATUS[s().status]!.label) : s().status}</span>}</Show>
            </div>
            <Switch fallback={<p class="muted small">{t("billing.page.noHours")}</p>}>
              <Match when={sub()}>
                {(s) => (
                  <>
                    <p class="small muted">
                      {t("billing.page.planLine", { hours: formatMinutes(current()?.monthlyMinutes ?? 0), price: formatMoney(current()?.priceCents ?? 0, current()?.currency) })}
                    </p>
                    <Show when={s().status === "past_due" || s().status === "unpaid"}>
                      <div class="alert warning" role="alert">
                        {t("billing.page.pastDue")}
                      </div>
                    </Show>
                    <Show
                      when={pendingPlan()}
                      fallback={<p class="small">{s().currentPeriodEnd ? t("billing.page.renewsOn", { date: formatDate(s().currentPeriodEnd!, zone()) }) : t("billing.page.renewsMonthly")}</p>}
                    >
                      {(next) => (
                        <div class="alert info pending-change" role="status" data-testid="pending-change">
                          <span class="grow">
                            <Show
                              when={next().id === "free"}
                              fallback={
                                <>
                                  {tx("billing.page.switchesTo", {
                                    plan: <strong>{planName(next())}</strong>,
                                    date: s().currentPeriodEnd ? formatDate(s().currentPeriodEnd!, zone()) : t("billing.page.nextRenewal"),
                                  })}
                                </>
                              }
                            >
                              {tx("billing.page.endsOn", { date: <strong>{s().currentPeriodEnd ? formatDate(s().currentPeriodEnd!, zone()) : t("billing.page.nextRenewal")}</strong> })}
                            </Show>
                          </span>
                          <Button small variant="secondary" pending={busy() === "keep"} onClick={keepPlan}>
                            {t("billing.page.keep", { plan: planName(current()) })}
                          </Button>
                        </div>
                      )}
                    </Show>
                    <div class="row">
                      <Button small variant="secondary" pending={busy() === "portal"} onClick={portal}>
                        {t("billing.page.manage")}
                      </Button>
                      <Show when={!pendingPlan() || pendingPlan()?.id !== "free"}>
                        <Button small variant="ghost" class="danger-text" onClick={() => setDialog({ kind: "cancel" })} disabled={!payable()}>
                          {t("billing.page.cancelPlan")}
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
          <h2 id="bal-title">{t("billing.credits.title")}</h2>
          <CreditBalance minutes={live.credits.latest?.balanceMinutes} />
          <p class="small muted">{t("billing.summary.left")}</p>
          <A href="/credits" class="small">
            {t("billing.page.seeExpiry")}
          </A>
        </section>
      </div>

      <Show when={payable() && sub()}>{(s) => <PausePlan sub={s()} zone={zone()} onChange={(next) => { setSub(next); live.refetch(); }} />}</Show>

      <section aria-labelledby="plans-title" class="billing-section">
        <h2 id="plans-title">{t("billing.page.monthly")}</h2>
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
        <h2 id="packs-title">{t("billing.page.packs")}</h2>
        <p class="small muted">{t("billing.page.packsIntro", { days: PACK_EXPIRY_DAYS })}</p>
        <ul class="plan-grid packs">
          <For each={catalog.latest?.packs ?? []}>{(p) => <PackCard pack={p} disabled={!payable()} busy={busy() === `pack:${p.id}`} onBuy={() => void checkout({ packId: p.id }, `pack:${p.id}`)} />}</For>
        </ul>
      </section>

      <Receipts zone={zone()} />

      <Show when={mode() === "local"}>
        <section class="card dev-tool" aria-labelledby="dev-title">
          <h2 id="dev-title">
            {t("billing.dev.title")} <span class="badge warning">{t("billing.dev.badge")}</span>
          </h2>
          <p class="small muted">
            {t("billing.dev.body")}
          </p>
          <Button small variant="secondary" pending={busy() === "advance"} onClick={advance} disabled={!sub()}>
            {t("billing.dev.advance")}
          </Button>
        </section>
      </Show>

      <Show when={dialog()} keyed>
        {(d) => (
          <Dialog open title={d.kind === "cancel" ? t("billing.page.cancelTitle") : t("billing.page.changeTitle", { plan: planName(d.to) })} onClose={() => setDialog()} busy={dialogBusy()}>
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
