import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { Client, adminClient, balance, signup } from "./helpers";
import { customer, deliver, fake, fakeRequests, invoiceObject, sec, stripeEvent, subscribed, subscriptionObject, uid } from "./stripeHelpers";

const DAY = 86_400_000;

beforeEach(async () => {
  await fake("/__reset", {});
});

describe("GET /api/plans", () => {
  it("lists the free tier, the monthly bundles and the packs", async () => {
    const { client } = await signup("student");
    const res = await client.get("/api/plans");
    expect(res.json.plans.map((p: { id: string; monthlyMinutes: number }) => [p.id, p.monthlyMinutes])).toEqual([
      ["free", 0],
      ["starter", 240],
      ["standard", 480],
      ["intensive", 960],
    ]);
    expect(res.json.plans[1]).toMatchObject({ priceCents: 12000, currency: "usd" });
    expect(res.json.packs.map((p: { id: string }) => p.id)).toEqual(["pack-60", "pack-180"]);
  });
});

describe("POST /api/billing/checkout", () => {
  it("creates the customer once and a subscription-mode Checkout Session, every call with an idempotency key", async () => {
    const s = await signup("student");
    const plan = await s.client.post("/api/billing/checkout", { planId: "standard" });
    expect(plan.status).toBe(200);
    expect(plan.json.url).toMatch(/^https:\/\/checkout\.stripe\.test\/c\/pay\/cs_fake_/);
    const pack = await s.client.post("/api/billing/checkout", { packId: "pack-60" });
    expect(pack.status).toBe(200);

    const customers = await fakeRequests((r) => r.path === "/v1/customers");
    expect(customers).toHaveLength(1);
    expect(customers[0]!.params).toMatchObject({ email: s.user.email, "metadata[userId]": s.user.id });
    const sessions = await fakeRequests((r) => r.path === "/v1/checkout/sessions");
    expect(sessions.map((r) => [r.params.mode, r.params["line_items[0][price]"]])).toEqual([
      ["subscription", "price_standard"],
      ["payment", "price_pack60"],
    ]);
    expect(sessions[0]!.params).toMatchObject({ "metadata[planId]": "standard", "subscription_data[metadata][userId]": s.user.id, client_reference_id: s.user.id });
    const all = await fakeRequests(() => true);
    expect(all.every((r) => r.method === "GET" || r.idempotencyKey)).toBe(true);
  });

  it("refuses unknown items (404), tutors (403) and a second plan (409 already_subscribed)", async () => {
    const s = await subscribed();
    expect((await s.client.post("/api/billing/checkout", { planId: "platinum" })).status).toBe(404);
    expect((await s.client.post("/api/billing/checkout", { planId: "standard" })).json.error.code).toBe("already_subscribed");
    expect((await s.client.post("/api/billing/checkout", { planId: "starter", packId: "pack-60" })).status).toBe(400);
    const tutor = await signup("tutor");
    expect((await tutor.client.post("/api/billing/checkout", { planId: "starter" })).status).toBe(403);
  });
});

describe("POST /api/webhooks/stripe", () => {
  it("grants the month's minutes on invoice.paid, expiring 60 days after the grant", async () => {
    const s = await subscribed("starter");
    const credits = await s.client.get("/api/billing/credits");
    expect(credits.json.balanceMinutes).toBe(240);
    const expires = Date.parse(credits.json.grants[0].expiresAt);
    expect(Math.abs(expires - (Date.now() + 60 * DAY))).toBeLessThan(60_000);
    const sub = await s.client.get("/api/billing/subscription");
    expect(sub.json.subscription).toMatchObject({ planId: "starter", status: "active" });
  });

  it("applies a duplicated or replayed event once", async () => {
    const s = await subscribed("starter");
    const paid = stripeEvent("invoice.paid", invoiceObject({ customer: s.customerId, subscription: s.subId, reason: "subscription_cycle", lines: [{ price: "price_starter", amount: 12000, start: sec(s.end), end: sec(s.end + 30 * DAY) }] }));
    const results = await Promise.all([deliver(paid), deliver(paid), deliver(paid)]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(results.map((r) => r.json.result).sort()).toEqual(["duplicate", "duplicate", "processed"]);
    expect(await balance(s.client)).toBe(480);
    // The same invoice under a new event id (Stripe re-sends) still grants once.
    await deliver({ ...paid, id: uid("evt") });
    expect(await balance(s.client)).toBe(480);
  });

  it.each([
    ["a wrong secret", { secret: "whsec_wrong" }],
    ["a stale timestamp (older than 300 s)", { timestamp: sec(Date.now()) - 301 }],
    ["a body changed after signing", { tamper: true }],
    ["no v1 signature", { signature: "t=123" }],
  ])("refuses %s with 400 invalid_signature and changes nothing", async (_, opts) => {
    const s = await customer();
    const ev = stripeEvent("invoice.paid", invoiceObject({ customer: s.customerId, subscription: uid("sub"), reason: "subscription_create", lines: [{ price: "price_intensive", amount: 40000, start: sec(Date.now()), end: sec(Date.now() + 30 * DAY) }] }));
    const res = await deliver(ev, opts);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_signature");
    expect(await balance(s.client)).toBe(0);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM webhook_events WHERE id = ?").bind(`stripe:${ev.id}`).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });

  it("grants even when invoice.paid arrives before checkout.session.completed", async () => {
    const s = await customer();
    const subId = uid("sub");
    await deliver(stripeEvent("invoice.paid", invoiceObject({ customer: s.customerId, subscription: subId, reason: "subscription_create", lines: [{ price: "price_standard", amount: 22000, start: sec(Date.now()), end: sec(Date.now() + 30 * DAY) }] })));
    expect(await balance(s.client)).toBe(480);
    await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "subscription", payment_status: "paid", customer: s.customerId, subscription: subId, metadata: { userId: s.user.id, planId: "standard" } }));
    expect(await balance(s.client)).toBe(480);
  });

  it("never moves a subscription backwards when events arrive out of order", async () => {
    const s = await subscribed("starter");
    const t = sec(Date.now());
    const newer = stripeEvent("customer.subscription.updated", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_standard" }), t + 10);
    const older = stripeEvent("customer.subscription.updated", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_intensive", status: "past_due" }), t + 5);
    await deliver(newer);
    await deliver(older);
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toMatchObject({ planId: "standard", status: "active" });
    const deleted = stripeEvent("customer.subscription.deleted", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_standard", status: "canceled" }), t + 20);
    await deliver(deleted);
    await deliver(stripeEvent("customer.subscription.updated", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_standard" }), t + 15));
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toBeNull();
    const row = await env.DB.prepare("SELECT status, plan_id FROM subscriptions WHERE id = ?").bind(s.subId).first();
    expect(row).toEqual({ status: "canceled", plan_id: "free" });
  });

  it("marks a subscription past due when its invoice fails (basil-shaped invoice)", async () => {
    const s = await subscribed("starter");
    const fixture = (await import("../fixtures/stripe/invoice.payment_failed.basil.event-data-only.json")).default as { object: Record<string, any> };
    const inv = structuredClone(fixture.object);
    inv.customer = s.customerId;
    inv.parent.subscription_details.subscription = s.subId;
    const res = await deliver(stripeEvent("invoice.payment_failed", inv, sec(Date.now()) + 30));
    expect(res.json.result).toBe("processed");
    expect((await s.client.get("/api/billing/subscription")).json.subscription.status).toBe("past_due");
  });

  it("tells a Spanish-speaking student that their payment failed in Spanish (inbox and email)", async () => {
    const s = await subscribed("starter");
    await env.DB.prepare("UPDATE users SET locale = 'es-ES' WHERE id = ?").bind(s.user.id).run();
    const fixture = (await import("../fixtures/stripe/invoice.payment_failed.basil.event-data-only.json")).default as { object: Record<string, any> };
    const inv = structuredClone(fixture.object);
    inv.id = uid("in");
    inv.customer = s.customerId;
    inv.parent.subscription_details.subscription = s.subId;
    expect((await deliver(stripeEvent("invoice.payment_failed", inv, sec(Date.now()) + 30))).json.result).toBe("processed");
    const notice = await env.DB.prepare("SELECT title, body FROM notifications WHERE user_id = ? AND kind = 'payment_failed'").bind(s.user.id).first<{ title: string; body: string }>();
    expect(notice).toEqual({ title: "Tu pago no se ha completado", body: expect.stringContaining("Actualiza tu método de pago") });
    const mail = await env.DB.prepare("SELECT subject FROM email_outbox WHERE user_id = ? AND subject = ?").bind(s.user.id, "Tu pago no se ha completado").first();
    expect(mail).not.toBeNull();
  });

  it("reads 2020-08-27 shaped subscriptions (period on the subscription)", async () => {
    const s = await subscribed("starter");
    const fixture = (await import("../fixtures/stripe/customer.subscription.updated.json")).default as Record<string, any>;
    const ev = structuredClone(fixture);
    ev.id = uid("evt");
    ev.created = sec(Date.now()) + 60;
    ev.data.object.id = s.subId;
    ev.data.object.customer = s.customerId;
    ev.data.object.items.data[0].price.id = "price_intensive";
    const res = await deliver(ev);
    expect(res.json.result).toBe("processed");
    const row = await env.DB.prepare("SELECT plan_id, current_period_end FROM subscriptions WHERE id = ?").bind(s.subId).first<{ plan_id: string; current_period_end: string }>();
    expect(row!.plan_id).toBe("intensive");
    expect(row!.current_period_end).toBe(new Date(fixture.data.object.current_period_end * 1000).toISOString());
  });

  it.each(["checkout.session.completed", "invoice.paid", "charge.refunded", "customer.subscription.deleted", "invoice.payment_failed"])(
    "acknowledges the unrelated fixture %s with 200 and records it",
    async (name) => {
      const fixture = (await import(`../fixtures/stripe/${name}.json`)).default as Record<string, unknown>;
      const ev = { ...structuredClone(fixture), id: uid("evt") };
      const res = await deliver(ev);
      expect(res.status).toBe(200);
      const row = await env.DB.prepare("SELECT status FROM webhook_events WHERE id = ?").bind(`stripe:${ev.id}`).first<{ status: string }>();
      expect(row!.status).toBe("ignored");
    },
  );

  it("acknowledges event types it does not handle", async () => {
    const res = await deliver(stripeEvent("payment_method.attached", { id: "pm_1", object: "payment_method" }));
    expect(res).toMatchObject({ status: 200, json: { result: "ignored" } });
  });

  it("claws back the unspent part of a refunded pack, once", async () => {
    const s = await customer();
    const pi = uid("pi");
    await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "payment", payment_status: "paid", customer: s.customerId, payment_intent: pi, metadata: { userId: s.user.id, packId: "pack-180" } }));
    expect(await balance(s.client)).toBe(180);
    const refund = (amount_refunded: number) => stripeEvent("charge.refunded", { id: "ch_refund_1", object: "charge", amount: 9900, amount_refunded, payment_intent: pi, customer: s.customerId, invoice: null });
    await deliver(refund(3300)); // a third refunded
    expect(await balance(s.client)).toBe(120);
    await deliver(refund(3300)); // the same refund again (new event id)
    expect(await balance(s.client)).toBe(120);
    await deliver(refund(9900)); // then the rest
    expect(await balance(s.client)).toBe(0);
  });
});

/**
 * Every event that changes state is applied by event time (Stripe's `created`), not by arrival: each pair is
 * delivered newest first, then the older one, and the newer state must stand.
 */
describe("out-of-order Stripe events", () => {
  const subState = async (subId: string) => env.DB.prepare("SELECT status, plan_id FROM subscriptions WHERE id = ?").bind(subId).first<{ status: string; plan_id: string }>();
  const failedInvoice = (s: { customerId: string; subId: string }) => invoiceObject({ customer: s.customerId, subscription: s.subId, reason: "subscription_cycle", lines: [] });
  const notices = async (userId: string) =>
    (await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE user_id = ? AND kind = 'payment_failed'").bind(userId).first<{ n: number }>())!.n;

  it("an older invoice.payment_failed after a newer subscription update leaves the plan active and says nothing", async () => {
    const s = await subscribed("starter");
    const t = sec(Date.now()) + 100;
    await deliver(stripeEvent("customer.subscription.updated", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_starter" }), t + 10));
    const late = await deliver(stripeEvent("invoice.payment_failed", failedInvoice(s), t));
    expect(late.json.result).toBe("ignored");
    expect(await subState(s.subId)).toEqual({ status: "active", plan_id: "starter" });
    expect(await notices(s.user.id)).toBe(0);
  });

  it("an older invoice.payment_failed after the newer invoice.paid that settled it leaves the plan active", async () => {
    const s = await subscribed("starter");
    const t = sec(Date.now()) + 200;
    await deliver(stripeEvent("invoice.payment_failed", failedInvoice(s), t));
    expect((await subState(s.subId))!.status).toBe("past_due");
    const paid = invoiceObject({ customer: s.customerId, subscription: s.subId, reason: "subscription_cycle", lines: [{ price: "price_starter", amount: 12000, start: sec(s.end), end: sec(s.end + 30 * DAY) }] });
    await deliver(stripeEvent("invoice.paid", paid, t + 20));
    expect((await subState(s.subId))!.status).toBe("active");
    await deliver(stripeEvent("invoice.payment_failed", failedInvoice(s), t + 10));
    expect((await subState(s.subId))!.status).toBe("active");
  });

  it("a newer invoice.payment_failed after an older subscription update marks the plan past due (and tells the student once)", async () => {
    const s = await subscribed("starter");
    const t = sec(Date.now()) + 300;
    const failed = stripeEvent("invoice.payment_failed", failedInvoice(s), t + 10);
    await deliver(failed);
    await deliver(stripeEvent("customer.subscription.updated", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_starter" }), t));
    expect(await subState(s.subId)).toEqual({ status: "past_due", plan_id: "starter" });
    expect(await notices(s.user.id)).toBe(1);
  });

  it("a failure the student could not be told of yet is told on Stripe's redelivery, not recorded as done", async () => {
    const s = await subscribed("starter");
    const failed = stripeEvent("invoice.payment_failed", failedInvoice(s), sec(Date.now()) + 500);
    // The inbox cannot be written for a moment (a passing D1 failure): the event must not be recorded as handled.
    await env.DB.exec("ALTER TABLE notifications RENAME TO notifications_away");
    try {
      expect((await deliver(failed)).status).toBeGreaterThanOrEqual(500);
    } finally {
      await env.DB.exec("ALTER TABLE notifications_away RENAME TO notifications");
    }
    // Stripe delivers it again: now the student is told, once, and the plan is past due.
    expect((await deliver(failed)).json.result).toBe("processed");
    expect(await notices(s.user.id)).toBe(1);
    expect((await subState(s.subId))!.status).toBe("past_due");
  });

  it("an older subscription update still moves the plan and period when only the status is newer", async () => {
    const s = await subscribed("starter");
    const t = sec(Date.now()) + 400;
    await deliver(stripeEvent("invoice.payment_failed", failedInvoice(s), t + 10));
    const renewed = subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_standard", start: sec(s.end), end: sec(s.end + 30 * DAY) });
    await deliver(stripeEvent("customer.subscription.updated", renewed, t));
    const row = await env.DB.prepare("SELECT status, plan_id, current_period_end FROM subscriptions WHERE id = ?").bind(s.subId).first();
    expect(row).toEqual({ status: "past_due", plan_id: "standard", current_period_end: new Date(sec(s.end + 30 * DAY) * 1000).toISOString() });
  });

  it("an older checkout.session.completed after a newer cancellation does not revive the plan", async () => {
    const s = await customer();
    const subId = uid("sub");
    const t = sec(Date.now()) + 500;
    await deliver(stripeEvent("customer.subscription.deleted", subscriptionObject({ id: subId, customer: s.customerId, price: "price_starter", status: "canceled" }), t + 10));
    await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "subscription", payment_status: "paid", customer: s.customerId, subscription: subId, metadata: { userId: s.user.id, planId: "starter" } }, t));
    expect(await subState(subId)).toEqual({ status: "canceled", plan_id: "free" });
  });

  it("an older charge.refunded (a smaller refunded total) after a newer one takes nothing more back", async () => {
    const s = await customer();
    const pi = uid("pi");
    await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "payment", payment_status: "paid", customer: s.customerId, payment_intent: pi, metadata: { userId: s.user.id, packId: "pack-180" } }));
    const t = sec(Date.now()) + 600;
    const refund = (amount_refunded: number, at: number) => stripeEvent("charge.refunded", { id: uid("ch"), object: "charge", amount: 9900, amount_refunded, payment_intent: pi, customer: s.customerId }, at);
    const chargeId = uid("ch");
    const newer = refund(6600, t + 10);
    const older = refund(3300, t);
    newer.data.object.id = chargeId;
    older.data.object.id = chargeId;
    await deliver(newer);
    expect(await balance(s.client)).toBe(60);
    await deliver(older);
    expect(await balance(s.client)).toBe(60);
  });

  it("an older account.updated after a newer one does not switch payouts back off", async () => {
    const tutor = await signup("tutor");
    const accountId = uid("acct");
    await env.DB.prepare("INSERT INTO payout_accounts (tutor_id, stripe_account_id, updated_at) VALUES (?, ?, ?)").bind(tutor.user.id, accountId, new Date().toISOString()).run();
    const t = sec(Date.now()) + 700;
    const state = (on: boolean, at: number) =>
      stripeEvent("account.updated", { id: accountId, object: "account", details_submitted: on, charges_enabled: on, payouts_enabled: on }, at, { account: accountId });
    await deliver(state(true, t + 10), { secret: env.STRIPE_CONNECT_WEBHOOK_SECRET });
    await deliver(state(false, t), { secret: env.STRIPE_CONNECT_WEBHOOK_SECRET });
    const row = await env.DB.prepare("SELECT payouts_enabled FROM payout_accounts WHERE tutor_id = ?").bind(tutor.user.id).first();
    expect(row).toEqual({ payouts_enabled: 1 });
  });
});

describe("changing plans", () => {
  it("upgrades at once with proration, and grants the extra minutes pro rata when the proration invoice is paid", async () => {
    const s = await subscribed("starter");
    await fake("/__preview-amount", { amount: 6667 });
    const preview = await s.client.get("/api/billing/change-plan/preview?planId=standard");
    expect(preview.json.preview).toMatchObject({ direction: "upgrade", amountDueCents: 6667 });
    expect(preview.json.preview.extraMinutes).toBe(160); // (480 − 240) × 20 of 30 days left

    const res = await s.client.post("/api/billing/change-plan", { planId: "standard" });
    expect(res.status).toBe(200);
    expect(res.json.subscription).toMatchObject({ planId: "standard" });
    const [update] = await fakeRequests((r) => r.method === "POST" && r.path === `/v1/subscriptions/${s.subId}`);
    expect(update!.params).toMatchObject({ "items[0][price]": "price_standard", proration_behavior: "always_invoice" });
    expect(update!.idempotencyKey).toMatch(/^change:/);

    // Stripe then sends the proration invoice.
    const now = Date.now();
    await deliver(
      stripeEvent(
        "invoice.paid",
        invoiceObject({
          customer: s.customerId,
          subscription: s.subId,
          reason: "subscription_update",
          lines: [
            { price: "price_starter", amount: -8000, start: sec(now), end: sec(s.end), proration: true },
            { price: "price_standard", amount: 14667, start: sec(now), end: sec(s.end), proration: true },
          ],
        }),
      ),
    );
    expect(await balance(s.client)).toBe(240 + 160);
  });

  it("downgrades at the period end through a subscription schedule", async () => {
    const s = await subscribed("standard");
    const res = await s.client.post("/api/billing/change-plan", { planId: "starter" });
    expect(res.status).toBe(200);
    expect(res.json.subscription).toMatchObject({ planId: "standard", pendingPlanId: "starter" });
    const schedules = await fakeRequests((r) => r.path.startsWith("/v1/subscription_schedules"));
    expect(schedules[0]!.params).toMatchObject({ from_subscription: s.subId });
    expect(schedules[1]!.params).toMatchObject({ "phases[0][items][0][price]": "price_standard", "phases[1][items][0][price]": "price_starter", end_behavior: "release" });
    expect(schedules.every((r) => r.idempotencyKey)).toBe(true);
    // When the period ends Stripe switches the price: the pending change is done.
    await deliver(stripeEvent("customer.subscription.updated", subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_starter", start: sec(s.end), end: sec(s.end + 30 * DAY) }), sec(Date.now()) + 100));
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toMatchObject({ planId: "starter", pendingPlanId: null });
  });

  it("cancels at the period end", async () => {
    const s = await subscribed("starter");
    const res = await s.client.post("/api/billing/cancel");
    expect(res.json.subscription).toMatchObject({ planId: "starter", pendingPlanId: "free", cancelAtPeriodEnd: true });
    const [update] = await fakeRequests((r) => r.path === `/v1/subscriptions/${s.subId}`);
    expect(update!.params.cancel_at_period_end).toBe("true");
  });

  it("cancelling after a downgrade releases or edits the schedule instead of setting cancel_at_period_end on it", async () => {
    const s = await subscribed("standard");
    expect((await s.client.post("/api/billing/change-plan", { planId: "starter" })).status).toBe(200);
    expect((await s.client.post("/api/billing/cancel")).status).toBe(200);
    const reqs = await fakeRequests((r) => r.method === "POST" && (r.path.startsWith("/v1/subscription_schedules") || r.path === `/v1/subscriptions/${s.subId}`));
    const cancel = reqs.findIndex((r) => r.path === `/v1/subscriptions/${s.subId}` && r.params.cancel_at_period_end === "true");
    const released = reqs.findIndex((r) => r.path.endsWith("/release"));
    const scheduleCancels = reqs.some((r) => r.path.startsWith("/v1/subscription_schedules/") && r.params.end_behavior === "cancel");
    expect(scheduleCancels || (released >= 0 && released < cancel)).toBe(true);
  });

  it("a student who cancels after a downgrade sees the plan end at the period end, and Stripe ends it there", async () => {
    const s = await subscribed("standard");
    expect((await s.client.post("/api/billing/change-plan", { planId: "starter" })).status).toBe(200);
    const res = await s.client.post("/api/billing/cancel");
    expect(res.status).toBe(200);
    const periodEnd = new Date(sec(s.end) * 1000).toISOString();
    const ending = { planId: "standard", pendingPlanId: "free", cancelAtPeriodEnd: true, currentPeriodEnd: periodEnd };
    expect(res.json.subscription).toMatchObject(ending);
    // Stripe's side: no schedule manages the subscription any more (it would switch to Starter), and it ends at the period end.
    const atStripe = await fake(`/v1/subscriptions/${s.subId}`);
    expect(atStripe).toMatchObject({ schedule: null, cancel_at_period_end: true });
    // Stripe then tells us so; the student's billing page still says the plan ends at the period end.
    await deliver(stripeEvent("customer.subscription.updated", atStripe, sec(Date.now()) + 100));
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toMatchObject(ending);
  });

  it("upgrading after a scheduled downgrade releases the schedule before changing the subscription", async () => {
    const s = await subscribed("standard");
    expect((await s.client.post("/api/billing/change-plan", { planId: "starter" })).status).toBe(200);
    const res = await s.client.post("/api/billing/change-plan", { planId: "intensive" });
    expect(res.status).toBe(200);
    expect(res.json.subscription).toMatchObject({ planId: "intensive", pendingPlanId: null, cancelAtPeriodEnd: false });
    const reqs = await fakeRequests((r) => r.method === "POST" && (r.path.endsWith("/release") || r.path === `/v1/subscriptions/${s.subId}`));
    expect(reqs.map((r) => (r.path.endsWith("/release") ? "release" : r.params["items[0][price]"]))).toEqual(["release", "price_intensive"]);
    expect(await fake(`/v1/subscriptions/${s.subId}`)).toMatchObject({ schedule: null, cancel_at_period_end: false });
  });

  it("keeping the plan after cancelling a downgraded one makes it renew again, unscheduled", async () => {
    const s = await subscribed("standard");
    expect((await s.client.post("/api/billing/change-plan", { planId: "starter" })).status).toBe(200);
    expect((await s.client.post("/api/billing/cancel")).status).toBe(200);
    const res = await s.client.post("/api/billing/change-plan", { planId: "standard" });
    expect(res.status).toBe(200);
    expect(res.json.subscription).toMatchObject({ planId: "standard", pendingPlanId: null, cancelAtPeriodEnd: false });
    expect(await fake(`/v1/subscriptions/${s.subId}`)).toMatchObject({ schedule: null, cancel_at_period_end: false });
  });

  it("downgrading after cancelling keeps the plan going at the lower price instead of ending it", async () => {
    const s = await subscribed("standard");
    expect((await s.client.post("/api/billing/cancel")).status).toBe(200);
    const res = await s.client.post("/api/billing/change-plan", { planId: "starter" });
    expect(res.status).toBe(200);
    expect(res.json.subscription).toMatchObject({ planId: "standard", pendingPlanId: "starter", cancelAtPeriodEnd: false });
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toMatchObject({ pendingPlanId: "starter", cancelAtPeriodEnd: false });
    const atStripe = await fake(`/v1/subscriptions/${s.subId}`);
    expect(atStripe.cancel_at_period_end).toBe(false);
    expect(atStripe.schedule).toMatch(/^sub_sched_/);
  });

  it("a student who changes their mind twice in one period gets what they chose last, at Stripe too", async () => {
    const s = await subscribed("standard");
    const post = async (path: string, body?: { planId: string }) => expect((await s.client.post(path, body)).status).toBe(200);
    await post("/api/billing/change-plan", { planId: "starter" });
    await post("/api/billing/cancel");
    await post("/api/billing/change-plan", { planId: "starter" }); // downgrade again instead of ending
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toMatchObject({ pendingPlanId: "starter", cancelAtPeriodEnd: false });
    const scheduled = await fake(`/v1/subscriptions/${s.subId}`);
    expect(scheduled).toMatchObject({ cancel_at_period_end: false, schedule: expect.stringMatching(/^sub_sched_/) });
    expect(await fake(`/v1/subscription_schedules/${scheduled.schedule}`)).toMatchObject({ status: "active" });

    await post("/api/billing/change-plan", { planId: "standard" }); // keep Standard after all
    await post("/api/billing/cancel");
    expect((await s.client.get("/api/billing/subscription")).json.subscription).toMatchObject({ pendingPlanId: "free", cancelAtPeriodEnd: true });
    expect(await fake(`/v1/subscriptions/${s.subId}`)).toMatchObject({ cancel_at_period_end: true, schedule: null });
  });

  it("answers 409 same_plan and 409 no_subscription", async () => {
    const s = await subscribed("starter");
    expect((await s.client.post("/api/billing/change-plan", { planId: "starter" })).json.error.code).toBe("same_plan");
    const other = await signup("student");
    expect((await other.client.post("/api/billing/change-plan", { planId: "standard" })).json.error.code).toBe("no_subscription");
  });

  it("gives a Customer Portal link", async () => {
    const s = await subscribed();
    const res = await s.client.post("/api/billing/portal");
    expect(res.json.url).toMatch(/^https:\/\/billing\.stripe\.test\//);
  });
});

describe("one plan per student", () => {
  /** The student's Stripe customer, as D1 knows it. */
  const customerIdOf = async (userId: string) => (await env.DB.prepare("SELECT stripe_customer_id AS c FROM students WHERE user_id = ?").bind(userId).first<{ c: string }>())!.c;

  it("a plan checkout opened in a second tab expires the first tab's, at Stripe, so only one can be paid", async () => {
    const s = await signup("student");
    const first = await s.client.post("/api/billing/checkout", { planId: "starter" }, { "Idempotency-Key": "tab-1" });
    const second = await s.client.post("/api/billing/checkout", { planId: "standard" }, { "Idempotency-Key": "tab-2" });
    expect([first.status, second.status]).toEqual([200, 200]);
    const [firstId, secondId] = [first.json.url, second.json.url].map((u: string) => u.split("/").pop());
    const expired = await fakeRequests((r) => r.method === "POST" && /^\/v1\/checkout\/sessions\/[^/]+\/expire$/.test(r.path));
    expect(expired.map((r) => r.path.split("/")[4])).toEqual([firstId]);
    expect(secondId).not.toBe(firstId);
    // A pack checkout is no plan: it leaves the plan checkout open.
    expect((await s.client.post("/api/billing/checkout", { packId: "pack-60" }, { "Idempotency-Key": "tab-3" })).status).toBe(200);
    expect(await fakeRequests((r) => r.path.endsWith("/expire"))).toHaveLength(1);
  });

  it("a second plan checkout while the first is paid but not yet confirmed is refused (409), and expired", async () => {
    const s = await signup("student");
    const first = await s.client.post("/api/billing/checkout", { planId: "starter" }, { "Idempotency-Key": "tab-1" });
    await fake(`/__checkout_sessions/${first.json.url.split("/").pop()}/complete`, {});
    const second = await s.client.post("/api/billing/checkout", { planId: "starter" }, { "Idempotency-Key": "tab-2" });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe("already_subscribed");
    // The paid one completes with its webhook; the new one can no longer be paid.
    const rows = await env.DB.prepare("SELECT status FROM checkout_sessions WHERE user_id = ? ORDER BY created_at, id").bind(s.user.id).all<{ status: string }>();
    expect(rows.results.map((r) => r.status)).toEqual(["open", "expired"]);
  });

  it("a student who still pays two plans (checkouts racing) and cancels in the app is billed for neither again", async () => {
    const s = await signup("student");
    expect((await s.client.post("/api/billing/checkout", { planId: "starter" })).status).toBe(200);
    const customerId = await customerIdOf(s.user.id);
    const start = Date.now() - DAY;
    const end = start + 30 * DAY;
    const subs = [uid("sub"), uid("sub")];
    for (const [i, subId] of subs.entries()) {
      const sub = subscriptionObject({ id: subId, customer: customerId, price: "price_starter", start: sec(start), end: sec(end) });
      await fake("/__subscriptions", sub);
      await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "subscription", payment_status: "paid", customer: customerId, subscription: subId, metadata: { userId: s.user.id, planId: "starter" } }, sec(Date.now()) + i));
      await deliver(stripeEvent("customer.subscription.created", sub, sec(Date.now()) + i));
      await deliver(stripeEvent("invoice.paid", invoiceObject({ customer: customerId, subscription: subId, reason: "subscription_create", lines: [{ price: "price_starter", amount: 12000, start: sec(start), end: sec(end) }] })));
    }
    expect(await balance(s.client)).toBe(480); // paid twice, credited twice: nothing paid is lost

    expect((await s.client.post("/api/billing/cancel", {})).status).toBe(200);
    const ending = await fakeRequests((r) => r.method === "POST" && r.path.startsWith("/v1/subscriptions/") && r.params.cancel_at_period_end === "true");
    expect(ending.map((r) => r.path.split("/").pop()).sort()).toEqual([...subs].sort());
    const rows = await env.DB.prepare("SELECT id, cancel_at_period_end AS c FROM subscriptions WHERE user_id = ? ORDER BY id").bind(s.user.id).all<{ id: string; c: number }>();
    expect(rows.results.map((r) => r.c)).toEqual([1, 1]);
  });
});

describe("a suspended student's plan", () => {
  it("suspending a subscribed student pauses their billing at Stripe (they cannot sign in to cancel), and the email says so", async () => {
    const s = await subscribed("starter");
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${s.user.id}/suspend`, { reason: "abuse" })).status).toBe(200);
    expect((await new Client().post("/api/auth/login", { email: s.user.email, password: "correct horse battery" })).status).not.toBe(200);
    const paused = await fakeRequests((r) => r.method === "POST" && r.path === `/v1/subscriptions/${s.subId}` && r.params["pause_collection[behavior]"] === "void");
    expect(paused).toHaveLength(1);
    expect(paused[0]!.params["pause_collection[resumes_at]"]).toBeUndefined(); // until an admin restores the account
    const row = await env.DB.prepare("SELECT billing_held_at AS held FROM subscriptions WHERE id = ?").bind(s.subId).first<{ held: string | null }>();
    expect(row?.held).toBeTruthy();
    const mail = await env.DB.prepare("SELECT text FROM email_outbox WHERE user_id = ? AND subject LIKE '%suspended%'").bind(s.user.id).first<{ text: string }>();
    expect(mail?.text).toContain("billing is paused");

    // A renewal Stripe charged all the same (paid before the pause took): the paid month is credited, and the pause asked again.
    const renewal = await deliver(
      stripeEvent("invoice.paid", invoiceObject({ customer: s.customerId, subscription: s.subId, reason: "subscription_cycle", lines: [{ price: "price_starter", amount: 12000, start: sec(s.end), end: sec(s.end + 30 * DAY) }] })),
    );
    expect(renewal.json.result).toBe("processed");
    expect(await fakeRequests((r) => r.path === `/v1/subscriptions/${s.subId}` && r.params["pause_collection[behavior]"] === "void")).toHaveLength(2);
  });

  it("restoring the student resumes their billing; a suspension whose Stripe call fails still suspends, and records the pause to retry", async () => {
    const s = await subscribed("starter");
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${s.user.id}/suspend`, { reason: "abuse" })).status).toBe(200);
    expect((await admin.post(`/api/admin/users/${s.user.id}/restore`, {})).status).toBe(200);
    const resumed = await fakeRequests((r) => r.method === "POST" && r.path === `/v1/subscriptions/${s.subId}` && r.params.pause_collection === "");
    expect(resumed).toHaveLength(1);
    const row = await env.DB.prepare("SELECT billing_held_at AS held FROM subscriptions WHERE id = ?").bind(s.subId).first<{ held: string | null }>();
    expect(row?.held).toBeNull();

    // Stripe does not know this subscription (its call fails): the account is suspended all the same, the pause recorded.
    const t = await subscribed("starter");
    await env.DB.prepare("UPDATE subscriptions SET id = ? WHERE id = ?").bind(`${t.subId}_gone`, t.subId).run();
    const res = await admin.post(`/api/admin/users/${t.user.id}/suspend`, { reason: "abuse" });
    expect(res.status).toBe(200);
    expect((await env.DB.prepare("SELECT status FROM users WHERE id = ?").bind(t.user.id).first<{ status: string }>())?.status).toBe("suspended");
    const held = await env.DB.prepare("SELECT billing_held_at AS held FROM subscriptions WHERE id = ?").bind(`${t.subId}_gone`).first<{ held: string | null }>();
    expect(held?.held).toBeTruthy();
  });
});
