import { env, exports } from "cloudflare:workers";
import { signStripePayload } from "../../worker/integrations/stripe/client";
import { expect } from "vitest";
import { ORIGIN, settleWallet, signup } from "./helpers";

let seq = 0;
export const uid = (prefix: string) => `${prefix}_t${Date.now().toString(36)}${++seq}`;
export const sec = (ms: number) => Math.floor(ms / 1000);

/** Talks to the Stripe wire fake's control routes. */
export async function fake<T = any>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(env.STRIPE_API_BASE + path, body === undefined ? {} : { method: "POST", body: JSON.stringify(body) });
  return res.json() as Promise<T>;
}
export type FakeRequest = { method: string; path: string; params: Record<string, string>; idempotencyKey: string | null };
export const fakeRequests = (match: (r: FakeRequest) => boolean) => fake<FakeRequest[]>("/__requests").then((all) => all.filter(match));

/** Delivers `event` to the webhook endpoint, signed like Stripe does (or deliberately wrong). */
export async function deliver(event: unknown, opts: { secret?: string; timestamp?: number; tamper?: boolean; signature?: string } = {}) {
  const payload = JSON.stringify(event);
  const signature = opts.signature ?? (await signStripePayload(payload, opts.secret ?? env.STRIPE_WEBHOOK_SECRET!, opts.timestamp));
  const body = opts.tamper ? payload.replace(/"minutes"|"amount":\s?\d+/, (m) => m.replace(/\d+/, "999999")) + " " : payload;
  const res = await exports.default.fetch(
    new Request(`${ORIGIN}/api/webhooks/stripe`, { method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": signature }, body }),
  );
  return { status: res.status, json: (await res.json()) as any };
}

export const stripeEvent = (type: string, object: Record<string, unknown>, created = sec(Date.now()), extra: Record<string, unknown> = {}) => ({
  id: uid("evt"),
  object: "event",
  api_version: "2026-10-28.endive",
  created,
  type,
  data: { object },
  ...extra,
});

export const subscriptionObject = (o: { id: string; customer: string; price: string; status?: string; start?: number; end?: number; cancelAtPeriodEnd?: boolean; itemId?: string }) => ({
  id: o.id,
  object: "subscription",
  customer: o.customer,
  status: o.status ?? "active",
  cancel_at_period_end: o.cancelAtPeriodEnd ?? false,
  schedule: null,
  metadata: {},
  items: { object: "list", data: [{ id: o.itemId ?? `si_${o.id}`, price: { id: o.price }, current_period_start: o.start ?? sec(Date.now()), current_period_end: o.end ?? sec(Date.now() + 30 * 86_400_000) }] },
});

export const invoiceObject = (o: { id?: string; customer: string; subscription: string; reason: string; lines: { price: string; amount: number; start: number; end: number; proration?: boolean }[] }) => ({
  id: o.id ?? uid("in"),
  object: "invoice",
  customer: o.customer,
  billing_reason: o.reason,
  status: "paid",
  parent: { type: "subscription_details", subscription_details: { subscription: o.subscription } },
  lines: {
    object: "list",
    data: o.lines.map((l) => ({
      amount: l.amount,
      period: { start: l.start, end: l.end },
      pricing: { price_details: { price: l.price } },
      parent: { type: "subscription_item_details", subscription_item_details: { proration: !!l.proration } },
    })),
  },
});

/**
 * A student with a Stripe customer who bought `packId` at Stripe Checkout (a signed webhook, as Stripe sends it),
 * with `taxCents` of it tax, once the wallet has it (and whatever `settle` waits for): its payment intent, and the id its charge will have.
 */
export async function packBuyer(packId = "pack-180", amount = 9_900, settle: (studentId: string) => Promise<void> = settleWallet, taxCents = 0) {
  const s = await signup("student");
  expect((await s.client.post("/api/billing/checkout", { packId })).status).toBe(200);
  const row = await env.DB.prepare("SELECT stripe_customer_id AS c FROM students WHERE user_id = ?").bind(s.user.id).first<{ c: string }>();
  const pi = uid("pi");
  const paid = await deliver(
    stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "payment", payment_status: "paid", customer: row!.c, payment_intent: pi, amount_total: amount, total_details: { amount_tax: taxCents }, metadata: { userId: s.user.id, packId } }),
  );
  expect(paid.json.result).toBe("processed");
  await settle(s.user.id);
  return { ...s, customerId: row!.c, pi, charge: uid("ch"), amount };
}
export type PackBuyer = Awaited<ReturnType<typeof packBuyer>>;

/** Stripe's `charge.refunded` for a pack buyer's payment, `amountRefunded` in all so far. */
export const chargeRefunded = (b: Pick<PackBuyer, "customerId" | "pi" | "charge" | "amount">, amountRefunded: number) =>
  stripeEvent("charge.refunded", { id: b.charge, object: "charge", amount: b.amount, amount_refunded: amountRefunded, payment_intent: b.pi, customer: b.customerId, invoice: null });

/** A dispute object (the data of `charge.dispute.*`) of a pack buyer's payment. */
export const disputeOf = (b: Pick<PackBuyer, "pi" | "charge" | "amount">, id: string, status: string) => ({
  id,
  object: "dispute",
  amount: b.amount,
  currency: "usd",
  charge: b.charge,
  payment_intent: b.pi,
  reason: "fraudulent",
  status,
});

/** A student with a Stripe customer (made by starting a checkout) and their customer id. */
export async function customer() {
  const s = await signup("student");
  const res = await s.client.post("/api/billing/checkout", { planId: "starter" });
  expect(res.status).toBe(200);
  const row = await env.DB.prepare("SELECT stripe_customer_id AS c FROM students WHERE user_id = ?").bind(s.user.id).first<{ c: string }>();
  return { ...s, customerId: row!.c };
}

/** A student subscribed to `planId` through signed webhooks, with the subscription also known to the fake. */
export async function subscribed(planId = "starter") {
  const s = await customer();
  const subId = uid("sub");
  const start = Date.now() - 10 * 86_400_000;
  const end = start + 30 * 86_400_000;
  const sub = subscriptionObject({ id: subId, customer: s.customerId, price: `price_${planId}`, start: sec(start), end: sec(end) });
  await fake("/__subscriptions", sub);
  await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "subscription", payment_status: "paid", customer: s.customerId, subscription: subId, metadata: { userId: s.user.id, planId } }));
  await deliver(stripeEvent("customer.subscription.created", sub));
  await deliver(stripeEvent("invoice.paid", invoiceObject({ customer: s.customerId, subscription: subId, reason: "subscription_create", lines: [{ price: `price_${planId}`, amount: 12000, start: sec(start), end: sec(end) }] })));
  return { ...s, subId, start, end, sub };
}

