import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { FREE_PLAN_ID, type Plan, packById, planById, planChange, proratedChargeCents, proratedMinutes } from "../../../domain/billing";
import type { User } from "../../../domain/schemas/auth";
import { liveSubscriptions } from "../../../platform/billing/subscriptions";
import { type Db, getDb } from "../../../platform/db/client";
import { checkoutSessions, subscriptions } from "../../../platform/db/schema";
import { isLocalPaymentMode, stripeFor } from "../../integrations/stripe/client";
import { priceIdFor } from "../../integrations/stripe/prices";
import { subscriptionFacts } from "../../integrations/stripe/shapes";
import { ApiError } from "../../lib/errors";
import { expireOpenCheckouts } from "./checkouts";
import { type LocalSub, deliver, localCancelEvents, localCheckoutEvents, localRenewEvents, localUpgradeEvents } from "./localStripe";
import { type PauseView, pauseStateOf } from "./pause";
import { activeSubscription, customerOf, setCustomer } from "./repo";

type Sub = typeof subscriptions.$inferSelect;
const MINUTE = 60_000;

/** Stripe in production, Tutorly's own stand-in in local payment mode; refuses to run without either. */
export function mode(env: Env): { stripe: Stripe } | { local: true } {
  const stripe = stripeFor(env);
  if (stripe) return { stripe };
  if (isLocalPaymentMode(env)) return { local: true };
  throw new ApiError(503, "payments_unavailable", "Payments are not configured on this server.");
}

export const paymentMode = (env: Env) => (stripeFor(env) ? "stripe" : isLocalPaymentMode(env) ? "local" : "unavailable");

function price(env: Env, itemId: string): string {
  const id = priceIdFor(env, itemId);
  if (!id) throw new ApiError(503, "price_not_configured", `No Stripe price is configured for ${itemId}.`);
  return id;
}

/** The student's Stripe customer, created once (idempotently keyed by the user). */
async function ensureCustomer(env: Env, db: Db, user: User): Promise<string> {
  const existing = await customerOf(db, user.id);
  if (existing) return existing;
  const m = mode(env);
  const id =
    "stripe" in m
      ? (await m.stripe.customers.create({ email: user.email, name: user.name, metadata: { userId: user.id } }, { idempotencyKey: `customer:${user.id}` })).id
      : `cus_local_${user.id.replace(/-/g, "").slice(0, 20)}`;
  await setCustomer(db, user.id, id);
  return (await customerOf(db, user.id)) ?? id;
}

/** Starts a purchase: a plan (subscription mode) or a pack (payment mode). Returns where to send the browser. */
export async function startCheckout(env: Env, user: User, item: { planId?: string; packId?: string }, origin: string, requestKey: string): Promise<{ url: string }> {
  const db = getDb(env);
  const plan = item.planId ? planById(item.planId) : undefined;
  const pack = item.packId ? packById(item.packId) : undefined;
  if (!plan && !pack) throw new ApiError(404, "not_found", "That plan or pack does not exist.");
  if (plan?.id === FREE_PLAN_ID) throw new ApiError(409, "free_plan", "The free plan needs no checkout.");
  if (plan && (await activeSubscription(db, user.id))) {
    throw new ApiError(409, "already_subscribed", "You already have a plan. Change it instead of buying a second one.");
  }
  const customer = await ensureCustomer(env, db, user);
  const itemId = (plan ?? pack)!.id;
  const kind = plan ? "plan" : "pack";
  const m = mode(env);
  let session: { id: string; url: string };
  if ("stripe" in m) {
    const metadata = { userId: user.id, ...(plan ? { planId: plan.id } : { packId: pack!.id }) };
    const created = await m.stripe.checkout.sessions.create(
      {
        mode: plan ? "subscription" : "payment",
        customer,
        line_items: [{ price: price(env, itemId), quantity: 1 }],
        client_reference_id: user.id,
        metadata,
        ...(plan ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
        success_url: `${origin}/billing?checkout=success`,
        cancel_url: `${origin}/billing?checkout=cancelled`,
      },
      { idempotencyKey: `checkout:${user.id}:${itemId}:${requestKey}` },
    );
    if (!created.url) throw new Error("Stripe returned a Checkout Session without a URL");
    session = { id: created.id, url: created.url };
  } else {
    const id = `cs_local_${crypto.randomUUID().replace(/-/g, "")}`;
    session = { id, url: `/billing/checkout/${id}` };
  }
  await db
    .insert(checkoutSessions)
    .values({ id: session.id, userId: user.id, kind, itemId, status: "open", url: session.url, createdAt: new Date().toISOString() })
    .onConflictDoNothing();
  if (plan) await onlyPlanCheckout(env, db, user.id, session.id);
  return { url: session.url };
}

/**
 * One plan checkout at a time: the student's plan checkouts opened before this one are expired (at Stripe), so two
 * tabs cannot start two subscriptions. When one of them was paid already (its webhook not here yet), this one is
 * expired instead and refused: the student has a plan on its way.
 */
async function onlyPlanCheckout(env: Env, db: Db, userId: string, sessionId: string) {
  const { paid } = await expireOpenCheckouts(env, db, userId, ["plan"], sessionId);
  if (!paid) return;
  await expireOpenCheckouts(env, db, userId, ["plan"]);
  throw new ApiError(409, "already_subscribed", "Your payment for a plan is going through. Change that plan instead of buying a second one.");
}

/** Local payment mode only: the test card "pays" and Stripe's events are delivered. */
export async function completeLocalCheckout(env: Env, user: User, sessionId: string) {
  if (!isLocalPaymentMode(env)) throw new ApiError(404, "not_found", "Local checkout is not available here.");
  const db = getDb(env);
  const s = await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId)).get();
  if (!s || s.userId !== user.id) throw new ApiError(404, "not_found", "That checkout was not found.");
  if (s.status === "complete") return s;
  // Expired by a newer plan checkout (one plan at a time): that one is the one to pay.
  if (s.status === "expired") throw new ApiError(404, "not_found", "This checkout is no longer open: a newer one replaced it.");
  const customerId = await ensureCustomer(env, db, user);
  await deliver(env, localCheckoutEvents(env, { sessionId, userId: user.id, customerId, kind: s.kind, itemId: s.itemId, plan: planById(s.itemId), pack: packById(s.itemId), now: Date.now() }));
  return (await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId)).get())!;
}

/**
 * Local payment mode only: buys a pack for a student as if they had paid at the test checkout (the demo seed's
 * purchases). Keyed by `sessionId`, so running it again changes nothing.
 */
export async function buyPackLocally(env: Env, user: User, packId: string, sessionId: string) {
  if (!isLocalPaymentMode(env) || !packById(packId)) return;
  await getDb(env)
    .insert(checkoutSessions)
    .values({ id: sessionId, userId: user.id, kind: "pack", itemId: packId, status: "open", url: `/billing/checkout/${sessionId}`, createdAt: new Date().toISOString() })
    .onConflictDoNothing();
  await completeLocalCheckout(env, user, sessionId);
}

export async function localCheckoutOf(env: Env, user: User, sessionId: string) {
  if (!isLocalPaymentMode(env)) throw new ApiError(404, "not_found", "Local checkout is not available here.");
  const s = await getDb(env).select().from(checkoutSessions).where(eq(checkoutSessions.id, sessionId)).get();
  if (!s || s.userId !== user.id) throw new ApiError(404, "not_found", "That checkout was not found.");
  return { id: s.id, kind: s.kind, status: s.status, item: s.kind === "plan" ? planById(s.itemId) : packById(s.itemId) };
}

const toLocal = (s: Sub): LocalSub => ({
  id: s.id,
  customerId: s.customerId,
  userId: s.userId,
  planId: s.planId,
  itemId: s.itemId ?? `si_local_${s.id}`,
  periodStart: Date.parse(s.currentPeriodStart ?? new Date().toISOString()),
  periodEnd: Date.parse(s.currentPeriodEnd ?? new Date().toISOString()),
  cancelAtPeriodEnd: s.cancelAtPeriodEnd,
});

export type SubscriptionView = {
  id: string;
  planId: string;
  status: string;
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  pendingPlanId: string | null;
};
export const view = (s: Sub): SubscriptionView => ({
  id: s.id,
  planId: s.planId,
  status: s.status,
  currentPeriodEnd: s.currentPeriodEnd,
  cancelAtPeriodEnd: s.cancelAtPeriodEnd,
  pendingPlanId: s.pendingPlanId,
});

export async function subscriptionOf(env: Env, userId: string): Promise<(SubscriptionView & { pause?: PauseView | null; canPause?: boolean }) | null> {
  const db = getDb(env);
  const s = await activeSubscription(db, userId);
  return s ? { ...view(s), ...(await pauseStateOf(db, s, Date.now())) } : null;
}

export async function requireSubscription(db: Db, userId: string, message = "You have no plan yet. Choose one at checkout."): Promise<Sub> {
  const s = await activeSubscription(db, userId);
  if (!s) throw new ApiError(409, "no_subscription", message);
  return s;
}

/** The student's subscription, the plans it would move between, and which way. */
async function planMove(db: Db, userId: string, planId: string) {
  const to = planById(planId);
  if (!to) throw new ApiError(404, "not_found", "That plan does not exist.");
  const sub = await requireSubscription(db, userId);
  const from = planById(sub.planId)!;
  return { sub, from, to, direction: planChange(from.id, to.id) };
}

/** What a change would cost now and add in minutes (the UI shows this before the student confirms). */
export async function previewChange(env: Env, user: User, planId: string) {
  const { sub, from, to, direction } = await planMove(getDb(env), user.id, planId);
  const now = Date.now();
  const start = Date.parse(sub.currentPeriodStart ?? new Date(now).toISOString());
  const end = Date.parse(sub.currentPeriodEnd ?? new Date(now).toISOString());
  if (direction !== "upgrade") return { direction, amountDueCents: 0, extraMinutes: 0, effectiveAt: sub.currentPeriodEnd };
  const extraMinutes = proratedMinutes(
    [
      { monthlyMinutes: from.monthlyMinutes, amountCents: -1, periodStart: now, periodEnd: end },
      { monthlyMinutes: to.monthlyMinutes, amountCents: 1, periodStart: now, periodEnd: end },
    ],
    start,
    end,
  );
  const m = mode(env);
  let amountDueCents = proratedChargeCents(from.priceCents, to.priceCents, now, start, end);
  if ("stripe" in m && sub.itemId) {
    const preview = await m.stripe.invoices.createPreview({
      customer: sub.customerId,
      subscription: sub.id,
      subscription_details: { items: [{ id: sub.itemId, price: price(env, to.id) }], proration_behavior: "always_invoice", proration_date: Math.floor(now / 1000) },
    });
    amountDueCents = preview.amount_due;
  }
  return { direction, amountDueCents, extraMinutes, effectiveAt: new Date(now).toISOString() };
}

/**
 * Upgrades at once (Stripe prorates and invoices now; the extra minutes come with the paid invoice), downgrades
 * at the period end (a subscription schedule), and the free plan means cancelling at the period end.
 */
export async function changePlan(env: Env, user: User, planId: string): Promise<SubscriptionView> {
  const changed = await changeOwnPlan(env, user, planId);
  await endOtherPlans(env, getDb(env), user.id, changed.id);
  return changed;
}

/**
 * A student with two live plans (two checkouts paid at once, before either's webhook came: Stripe makes a subscription
 * of each) sees one on the Billing page. Whatever they choose there acts on every plan they pay for: the others end at
 * their period end, so cancelling stops all billing and a change leaves one plan. What they paid for is kept.
 */
async function endOtherPlans(env: Env, db: Db, userId: string, keepId: string) {
  const others = (await liveSubscriptions(db, userId)).filter((s) => s.id !== keepId && !s.cancelAtPeriodEnd);
  const m = mode(env);
  for (const other of others) {
    if ("stripe" in m) {
      const key = `${other.id}:other:${other.currentPeriodEnd ?? ""}:${other.updatedAt}`;
      if (other.scheduleId) await releaseSchedule(m.stripe, other.scheduleId, key);
      await m.stripe.subscriptions.update(other.id, { cancel_at_period_end: true }, { idempotencyKey: `cancel:${key}` });
    } else {
      await deliver(env, localCancelEvents(env, toLocal(other), true, Date.now()));
    }
    await db
      .update(subscriptions)
      .set({ cancelAtPeriodEnd: true, pendingPlanId: FREE_PLAN_ID, scheduleId: null, updatedAt: new Date().toISOString() })
      .where(eq(subscriptions.id, other.id));
  }
}

async function changeOwnPlan(env: Env, user: User, planId: string): Promise<SubscriptionView> {
  const db = getDb(env);
  const { sub, from, to, direction } = await planMove(db, user.id, planId);
  if (direction === "same" && !sub.pendingPlanId && !sub.cancelAtPeriodEnd) throw new ApiError(409, "same_plan", "You are already on this plan.");
  const m = mode(env);
  // Stripe's idempotency keys: a retry of this change meets the first attempt, but the same change made again after
  // the student changed their mind (cancel, keep, cancel) is a new request; every change moves `updatedAt`.
  const key = `${sub.id}:${to.id}:${sub.currentPeriodEnd ?? ""}:${sub.updatedAt}`;
  const changed = () => ({ updatedAt: new Date().toISOString() });

  if (direction === "upgrade" || direction === "same") {
    if ("stripe" in m) {
      if (sub.scheduleId) await releaseSchedule(m.stripe, sub.scheduleId, key);
      const updated = await m.stripe.subscriptions.update(
        sub.id,
        {
          items: [{ id: sub.itemId!, price: price(env, to.id) }],
          proration_behavior: direction === "upgrade" ? "always_invoice" : "none",
          cancel_at_period_end: false,
          metadata: { userId: user.id, planId: to.id },
        },
        { idempotencyKey: `change:${key}` },
      );
      await db.update(subscriptions).set({ pendingPlanId: null, scheduleId: null, cancelAtPeriodEnd: false, ...changed() }).where(eq(subscriptions.id, sub.id));
      return { ...view(sub), planId: to.id, status: updated.status, pendingPlanId: null, cancelAtPeriodEnd: false, currentPeriodEnd: periodEndOf(updated) ?? sub.currentPeriodEnd };
    }
    await db.update(subscriptions).set({ pendingPlanId: null, cancelAtPeriodEnd: false, ...changed() }).where(eq(subscriptions.id, sub.id));
    const now = Date.now();
    await deliver(env, direction === "upgrade" ? localUpgradeEvents(env, toLocal(sub), from, to, now) : localCancelEvents(env, { ...toLocal(sub), planId: to.id }, false, now));
    return view((await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)).get())!);
  }

  // Downgrade: keep the current plan to the end of the paid period, then switch (or end, for the free plan).
  if ("stripe" in m) {
    if (to.id === FREE_PLAN_ID) {
      // Stripe refuses cancelation changes on a subscription a schedule manages, and the pending downgrade is moot.
      if (sub.scheduleId) await releaseSchedule(m.stripe, sub.scheduleId, key);
      await m.stripe.subscriptions.update(sub.id, { cancel_at_period_end: true }, { idempotencyKey: `cancel:${key}` });
      await db.update(subscriptions).set({ scheduleId: null }).where(eq(subscriptions.id, sub.id));
    } else {
      // Cancelled, then a smaller plan after all: it must renew (a schedule made from a subscription set to end ends with it).
      if (sub.cancelAtPeriodEnd) await m.stripe.subscriptions.update(sub.id, { cancel_at_period_end: false }, { idempotencyKey: `keep:${key}` });
      const schedule = sub.scheduleId
        ? await m.stripe.subscriptionSchedules.retrieve(sub.scheduleId)
        : await m.stripe.subscriptionSchedules.create({ from_subscription: sub.id }, { idempotencyKey: `schedule:${sub.id}:${sub.currentPeriodEnd ?? ""}:${sub.updatedAt}` });
      const current = schedule.phases[0];
      await m.stripe.subscriptionSchedules.update(
        schedule.id,
        {
          end_behavior: "release",
          phases: [
            { items: [{ price: price(env, from.id), quantity: 1 }], start_date: current?.start_date, end_date: current?.end_date },
            { items: [{ price: price(env, to.id), quantity: 1 }], duration: { interval: "month", interval_count: 1 } },
          ],
          metadata: { userId: user.id, planId: to.id },
        },
        { idempotencyKey: `downgrade:${key}` },
      );
      await db.update(subscriptions).set({ scheduleId: schedule.id }).where(eq(subscriptions.id, sub.id));
    }
  } else if (to.id === FREE_PLAN_ID) {
    await deliver(env, localCancelEvents(env, toLocal(sub), true, Date.now()));
  }
  await db.update(subscriptions).set({ pendingPlanId: to.id, cancelAtPeriodEnd: to.id === FREE_PLAN_ID, ...changed() }).where(eq(subscriptions.id, sub.id));
  return view((await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)).get())!);
}

/**
 * Lets go of a pending downgrade's schedule, leaving the subscription as it is, so the subscription itself can be
 * changed. Only a live schedule can be released; one already released or completed has let go.
 */
async function releaseSchedule(stripe: Stripe, scheduleId: string, key: string) {
  const schedule = await stripe.subscriptionSchedules.retrieve(scheduleId);
  if (schedule.status !== "active" && schedule.status !== "not_started") return;
  await stripe.subscriptionSchedules.release(scheduleId, {}, { idempotencyKey: `release:${scheduleId}:${key}` });
}

const periodEndOf = (s: Stripe.Subscription) => {
  const end = subscriptionFacts(s as never).periodEnd;
  return end ? new Date(end * 1000).toISOString() : null;
};

/** Stripe's Customer Portal (cards, invoices); in local mode, the billing page itself. */
export async function portalUrl(env: Env, user: User, origin: string): Promise<{ url: string }> {
  const m = mode(env);
  if (!("stripe" in m)) return { url: "/billing" };
  const customer = await ensureCustomer(env, getDb(env), user);
  const bucket = Math.floor(Date.now() / (5 * MINUTE));
  const session = await m.stripe.billingPortal.sessions.create({ customer, return_url: `${origin}/billing` }, { idempotencyKey: `portal:${user.id}:${bucket}` });
  return { url: session.url };
}

/** Local payment mode: jump to the end of the current period (renew, switch to a pending plan, or end). */
export async function advanceLocalPeriod(env: Env, user: User): Promise<SubscriptionView | null> {
  if (!isLocalPaymentMode(env)) throw new ApiError(404, "not_found", "Not available here.");
  const db = getDb(env);
  const sub = await requireSubscription(db, user.id);
  await deliver(env, localRenewEvents(env, toLocal(sub), sub.pendingPlanId, planById, Date.now()));
  const after = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)).get();
  return after && after.status !== "canceled" ? view(after) : null;
}

export type { Plan };
