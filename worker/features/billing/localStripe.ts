import { FREE_PLAN_ID, type Pack, type Plan, proratedChargeCents } from "../../../domain/billing";
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

/**
 * A stable id for what one purchase produces (its payment, invoice and events), derived from the purchase: if a
 * delivery fails half way, the retry sends the very same events and the same payment, which the webhook log and
 * the wallet recognise, so the student is charged and credited once.
 */
function sid(prefix: string, ...parts: (string | number)[]) {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const ch of parts.join("|")) {
    const c = ch.codePointAt(0)!;
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  return `${prefix}_local_${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}`;
}

type LocalSub = { id: string; customerId: string; userId: string; planId: string; itemId: string; periodStart: number; periodEnd: number; cancelAtPeriodEnd: boolean };

export function addMonth(ms: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + 1);
  return d.getTime();
}

/** A Stripe event; with `key` (the purchase it belongs to), its id is stable across retries. */
function event(type: string, object: Record<string, unknown>, now: number, key?: string) {
  return { id: key ? sid("evt", key, type) : rid("evt"), object: "event", api_version: "2026-10-28.endive", created: sec(now), livemode: false, type, data: { object } };
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

function invoiceObject(env: Env, s: LocalSub, key: string, reason: string, lines: { planId: string; amount: number; start: number; end: number; proration: boolean }[]) {
  const amount = lines.reduce((sum, l) => sum + l.amount, 0);
  return {
    id: sid("in", key),
    amount_paid: Math.max(0, amount),
    total_excluding_tax: amount,
    // What Stripe's invoice payments would say paid it (the books match the payment to its invoice by this).
    payments: { object: "list", data: [{ object: "invoice_payment", status: "paid", payment: { type: "payment_intent", payment_intent: sid("pi", key) } }] },
    object: "invoice",
    customer: s.customerId,
    billing_reason: reason,
    status: "paid",
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

export function localCheckoutEvents(env: Env, input: { sessionId: string; userId: string; customerId: string; kind: "plan" | "pack"; itemId: string; plan?: Plan; pack?: Pack; now: number }) {
  const { now } = input;
  if (input.kind === "pack") {
    return [
      event("checkout.session.completed", {
        id: input.sessionId,
        object: "checkout.session",
        mode: "payment",
        payment_status: "paid",
        status: "complete",
        customer: input.customerId,
        payment_intent: sid("pi", input.sessionId),
        amount_total: input.pack?.priceCents ?? null,
        client_reference_id: input.userId,
        metadata: { userId: input.userId, packId: input.itemId },
      }, now, input.sessionId),
    ];
  }
  const sub: LocalSub = { id: sid("sub", input.sessionId), customerId: input.customerId, userId: input.userId, planId: input.itemId, itemId: sid("si", input.sessionId), periodStart: now, periodEnd: addMonth(now), cancelAtPeriodEnd: false };
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
    }, now, input.sessionId),
    event("customer.subscription.created", subscriptionObject(env, sub), now, input.sessionId),
    event("invoice.paid", invoiceObject(env, sub, input.sessionId, "subscription_create", [{ planId: sub.planId, amount: input.plan?.priceCents ?? 0, start: sub.periodStart, end: sub.periodEnd, proration: false }]), now, input.sessionId),
  ];
}

export function localUpgradeEvents(env: Env, s: LocalSub, from: Plan, to: Plan, now: number) {
  const moved = { ...s, planId: to.id };
  const charge = proratedChargeCents(from.priceCents, to.priceCents, now, s.periodStart, s.periodEnd);
  const key = `${s.id}:${to.id}:${s.periodEnd}`;
  return [
    event("customer.subscription.updated", subscriptionObject(env, moved), now, key),
    event(
      "invoice.paid",
      invoiceObject(env, moved, key, "subscription_update", [
        { planId: from.id, amount: -proratedChargeCents(0, from.priceCents, now, s.periodStart, s.periodEnd), start: now, end: s.periodEnd, proration: true },
        { planId: to.id, amount: charge + proratedChargeCents(0, from.priceCents, now, s.periodStart, s.periodEnd), start: now, end: s.periodEnd, proration: true },
      ]),
      now,
      key,
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
    event("customer.subscription.updated", subscriptionObject(env, next), now, `${s.id}:${next.periodStart}`),
    event("invoice.paid", invoiceObject(env, next, `${s.id}:${next.periodStart}`, "subscription_cycle", [{ planId, amount: plans(planId)?.priceCents ?? 0, start: next.periodStart, end: next.periodEnd, proration: false }]), now, `${s.id}:${next.periodStart}`),
  ];
}

export type { LocalSub };
