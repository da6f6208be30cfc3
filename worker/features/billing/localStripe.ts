import { FREE_PLAN_ID, type Plan, packById, proratedChargeCents } from "../../../domain/billing";
import { LOCAL_WEBHOOK_SECRET, signStripePayload } from "../../integrations/stripe/client";
import { priceIdFor } from "../../integrations/stripe/prices";
import { receiveStripeWebhook } from "./webhook";

/**
 * Local payment mode: Tutorly plays Stripe's part on this machine. Each purchase or plan change becomes the
 * Stripe events a real account would send (in the current API shape), signed with the local webhook secret and
 * delivered through the same webhook handler, so `npm run dev` exercises the real billing code offline.
 */
const sec = (ms: number) => Math.floor(ms / 1000);
const rid = (prefix: string) => `${prefix}_local_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;

type LocalSub = { id: string; customerId: string; userId: string; planId: string; itemId: string; periodStart: number; periodEnd: number; cancelAtPeriodEnd: boolean };

export function addMonth(ms: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime();
}

function event(type: string, object: Record<string, unknown>, now: number) {
  return { id: rid("evt"), object: "event", api_version: "2026-10-28.endive", created: sec(now), livemode: false, type, data: { object } };
}

function subscriptionObject(env: Env, s: LocalSub, status = "active") {
  return {
    id: s.id,
    object: "subscription",
    customer: s.customerId,
    status,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    schedule: null,
    metadata: { userId: s.userId, planId: s.planId },
    items: {
      object: "list",
      data: [{ id: s.itemId, object: "subscription_item", price: { id: priceIdFor(env, s.planId) }, current_period_start: sec(s.periodStart), current_period_end: sec(s.periodEnd) }],
    },
  };
}

function invoiceObject(env: Env, s: LocalSub, reason: string, lines: { planId: string; amount: number; start: number; end: number; proration: boolean }[]) {
  return {
    id: rid("in"),
    object: "invoice",
    customer: s.customerId,
    billing_reason: reason,
    status: "paid",
    amount_paid: Math.max(0, lines.reduce((sum, l) => sum + l.amount, 0)),
    // What Stripe's invoice payments would say paid it (the books match the payment to its invoice by this).
    payments: { object: "list", data: [{ object: "invoice_payment", status: "paid", payment: { type: "payment_intent", payment_intent: rid("pi") } }] },
    parent: { type: "subscription_details", subscription_details: { subscription: s.id } },
    lines: {
      object: "list",
      data: lines.map((l) => ({
        amount: l.amount,
        period: { start: sec(l.start), end: sec(l.end) },
        pricing: { price_details: { price: priceIdFor(env, l.planId) } },
        parent: { type: "subscription_item_details", subscription_item_details: { proration: l.proration, subscription_item: s.itemId } },
      })),
    },
  };
}

/** Signs and delivers events, in order, through the real webhook handler. */
export async function deliver(env: Env, events: Record<string, unknown>[]) {
  for (const e of events) {
    const payload = JSON.stringify(e);
    await receiveStripeWebhook(env, payload, await signStripePayload(payload, LOCAL_WEBHOOK_SECRET));
  }
}

export function localCheckoutEvents(env: Env, input: { sessionId: string; userId: string; customerId: string; kind: "plan" | "pack"; itemId: string; plan?: Plan; now: number }) {
  const { now } = input;
  if (input.kind === "pack") {
    return [
      event("checkout.session.completed", {
        id: input.sessionId,
        object: "checkout.session",
        mode: "payment",
        payment_status: "paid",
        status: "complete",
        amount_total: packById(input.itemId)?.priceCents ?? 0,
        customer: input.customerId,
        payment_intent: rid("pi"),
        client_reference_id: input.userId,
        metadata: { userId: input.userId, packId: input.itemId },
      }, now),
    ];
  }
  const sub: LocalSub = { id: rid("sub"), customerId: input.customerId, userId: input.userId, planId: input.itemId, itemId: rid("si"), periodStart: now, periodEnd: addMonth(now), cancelAtPeriodEnd: false };
  return [
    event("checkout.session.completed", {
      id: input.sessionId,
      object: "checkout.session",
      mode: "subscription",
      payment_status: "paid",
      status: "complete",
      customer: input.customerId,
      subscription: sub.id,
      client_reference_id: input.userId,
      metadata: { userId: input.userId, planId: input.itemId },
    }, now),
    event("customer.subscription.created", subscriptionObject(env, sub), now),
    event("invoice.paid", invoiceObject(env, sub, "subscription_create", [{ planId: sub.planId, amount: input.plan?.priceCents ?? 0, start: sub.periodStart, end: sub.periodEnd, proration: false }]), now),
  ];
}

export function localUpgradeEvents(env: Env, s: LocalSub, from: Plan, to: Plan, now: number) {
  const moved = { ...s, planId: to.id };
  const charge = proratedChargeCents(from.priceCents, to.priceCents, now, s.periodStart, s.periodEnd);
  return [
    event("customer.subscription.updated", subscriptionObject(env, moved), now),
    event(
      "invoice.paid",
      invoiceObject(env, moved, "subscription_update", [
        { planId: from.id, amount: -proratedChargeCents(0, from.priceCents, now, s.periodStart, s.periodEnd), start: now, end: s.periodEnd, proration: true },
        { planId: to.id, amount: charge + proratedChargeCents(0, from.priceCents, now, s.periodStart, s.periodEnd), start: now, end: s.periodEnd, proration: true },
      ]),
      now,
    ),
  ];
}

export function localCancelEvents(env: Env, s: LocalSub, cancelAtPeriodEnd: boolean, now: number) {
  return [event("customer.subscription.updated", subscriptionObject(env, { ...s, cancelAtPeriodEnd }), now)];
}

/** The period ends: a cancelled subscription ends; otherwise it renews on the pending (downgraded) plan, if any. */
export function localRenewEvents(env: Env, s: LocalSub, pendingPlanId: string | null, plans: (id: string) => Plan | undefined, now: number) {
  if (s.cancelAtPeriodEnd || pendingPlanId === FREE_PLAN_ID) return [event("customer.subscription.deleted", subscriptionObject(env, s, "canceled"), now)];
  const planId = pendingPlanId ?? s.planId;
  const next = { ...s, planId, periodStart: s.periodEnd, periodEnd: addMonth(s.periodEnd) };
  return [
    event("customer.subscription.updated", subscriptionObject(env, next), now),
    event("invoice.paid", invoiceObject(env, next, "subscription_cycle", [{ planId, amount: plans(planId)?.priceCents ?? 0, start: next.periodStart, end: next.periodEnd, proration: false }]), now),
  ];
}

export type { LocalSub };
