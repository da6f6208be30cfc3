import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { adminClient, balance } from "./helpers";
import { customer, deliver, fake, invoiceObject, sec, stripeEvent, subscribed, uid } from "./stripeHelpers";

const DAY = 86_400_000;
const credits = async (client: Awaited<ReturnType<typeof customer>>["client"]) => (await client.get("/api/billing/credits")).json;

beforeEach(async () => {
  await fake("/__reset", {});
});

/** A pack bought at Stripe Checkout, as `checkout.session.completed` (or its async follow-up) carries it. */
const packSession = (s: Awaited<ReturnType<typeof customer>>, pi: string, payment_status = "paid", id = uid("cs")) => ({
  id,
  object: "checkout.session",
  mode: "payment",
  payment_status,
  customer: s.customerId,
  payment_intent: pi,
  amount_total: 9900,
  metadata: { userId: s.user.id, packId: "pack-180" },
});
const refundOf = (s: Awaited<ReturnType<typeof customer>>, p: { pi: string; charge: string; invoice?: string | null; amount?: number }, refunded: number) => ({
  id: p.charge,
  object: "charge",
  amount: p.amount ?? 9900,
  amount_refunded: refunded,
  payment_intent: p.pi,
  customer: s.customerId,
  invoice: p.invoice ?? null,
});
const disputeOf = (p: { id: string; pi: string; charge: string; amount: number }, status: string, reason = "fraudulent") => ({
  id: p.id,
  object: "dispute",
  amount: p.amount,
  currency: "usd",
  charge: p.charge,
  payment_intent: p.pi,
  reason,
  status,
});

describe("a refund or dispute that arrives before the purchase's grant", () => {
  it("a full refund delivered before the pack's checkout.session.completed still takes the credit back", async () => {
    const s = await customer();
    const pi = uid("pi");
    const charge = uid("ch");
    const t = sec(Date.now());
    expect((await deliver(stripeEvent("charge.refunded", refundOf(s, { pi, charge }, 9900), t + 60))).status).toBe(200);
    const paid = await deliver(stripeEvent("checkout.session.completed", packSession(s, pi), t));
    expect(paid.json.result).toBe("processed");
    expect(await balance(s.client)).toBe(0);
  });

  it("a refund of a plan month delivered before its invoice.paid still takes the month back", async () => {
    const s = await customer();
    const inv = invoiceObject({ customer: s.customerId, subscription: uid("sub"), reason: "subscription_create", lines: [{ price: "price_starter", amount: 12000, start: sec(Date.now()), end: sec(Date.now() + 30 * DAY) }] });
    const t = sec(Date.now());
    expect((await deliver(stripeEvent("charge.refunded", refundOf(s, { pi: uid("pi"), charge: uid("ch"), invoice: inv.id, amount: 12000 }, 12000), t + 60))).status).toBe(200);
    expect((await deliver(stripeEvent("invoice.paid", inv, t))).json.result).toBe("processed");
    expect(await balance(s.client)).toBe(0);
  });

  it("a partial refund delivered early takes back only its share, once however often it is delivered, and a later larger refund the difference", async () => {
    const s = await customer();
    const p = { pi: uid("pi"), charge: uid("ch") };
    const t = sec(Date.now());
    const early = stripeEvent("charge.refunded", refundOf(s, p, 3300), t + 60);
    await deliver(early);
    expect((await deliver(early)).json.result).toBe("duplicate");
    // Stripe's retry of the same refund under a new event id, still before the grant.
    await deliver(stripeEvent("charge.refunded", refundOf(s, p, 3300), t + 61));
    await deliver(stripeEvent("checkout.session.completed", packSession(s, p.pi), t));
    expect(await balance(s.client)).toBe(120);
    // The same refund again after the grant changes nothing; a second partial refund takes only what it adds.
    await deliver(stripeEvent("charge.refunded", refundOf(s, p, 3300), t + 62));
    expect(await balance(s.client)).toBe(120);
    await deliver(stripeEvent("charge.refunded", refundOf(s, p, 6600), t + 63));
    expect(await balance(s.client)).toBe(60);
  });

  it("a repeated checkout event after an early refund takes nothing more back", async () => {
    const s = await customer();
    const p = { pi: uid("pi"), charge: uid("ch") };
    const t = sec(Date.now());
    await deliver(stripeEvent("charge.refunded", refundOf(s, p, 3300), t + 60));
    const session = packSession(s, p.pi);
    await deliver(stripeEvent("checkout.session.completed", session, t));
    await deliver(stripeEvent("checkout.session.completed", session, t + 1));
    expect(await balance(s.client)).toBe(120);
  });

  it("a dispute opened and lost before the pack's checkout event arrives still takes the credit back", async () => {
    const s = await customer();
    const pi = uid("pi");
    const charge = uid("ch");
    const t = sec(Date.now());
    // A dispute names no customer: Stripe is asked who paid the charge.
    await fake("/__charges", { id: charge, customer: s.customerId, payment_intent: pi, amount: 9900 });
    const d = { id: uid("du"), pi, charge, amount: 9900 };
    expect((await deliver(stripeEvent("charge.dispute.created", disputeOf(d, "needs_response"), t + 60))).json.result).toBe("processed");
    await deliver(stripeEvent("charge.dispute.closed", disputeOf(d, "lost"), t + 120));
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi), t));
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 0 });
  });

  it("a partial dispute lost early takes its share once, however often each event is delivered", async () => {
    const s = await customer();
    const pi = uid("pi");
    const charge = uid("ch");
    const t = sec(Date.now());
    await fake("/__charges", { id: charge, customer: s.customerId, payment_intent: pi, amount: 9900 });
    const d = { id: uid("du"), pi, charge, amount: 3300 };
    for (const at of [t + 60, t + 61]) await deliver(stripeEvent("charge.dispute.created", disputeOf(d, "needs_response", "product_unacceptable"), at));
    for (const at of [t + 120, t + 121]) await deliver(stripeEvent("charge.dispute.closed", disputeOf(d, "lost", "product_unacceptable"), at));
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi), t));
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 120, frozenMinutes: 0 });
    await deliver(stripeEvent("charge.dispute.closed", disputeOf(d, "lost", "product_unacceptable"), t + 122));
    expect(await balance(s.client)).toBe(120);
  });

  it("a dispute opened before the grant holds the credit when it arrives, and releases it when won", async () => {
    const s = await customer();
    const pi = uid("pi");
    const charge = uid("ch");
    const t = sec(Date.now());
    await fake("/__charges", { id: charge, customer: s.customerId, payment_intent: pi, amount: 9900 });
    const d = { id: uid("du"), pi, charge, amount: 9900 };
    await deliver(stripeEvent("charge.dispute.created", disputeOf(d, "needs_response"), t + 60));
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi), t));
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 180 });
    // The admin console shows it against the purchase, with what the grant put on hold.
    const admin = await adminClient();
    const shown = (await admin.get("/api/admin/disputes")).json.disputes.find((x: { id: string }) => x.id === d.id);
    expect(shown).toMatchObject({ userId: s.user.id, purchaseRef: `pi:${pi}`, status: "needs_response", frozenMinutes: 180 });

    await deliver(stripeEvent("charge.dispute.closed", disputeOf(d, "won"), t + 120));
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 180, frozenMinutes: 0 });
  });

  it("tells the admin that a refund or dispute delivered early is held until the purchase's grant arrives", async () => {
    const s = await customer();
    const refunded = { pi: uid("pi"), charge: uid("ch") };
    const disputed = { id: uid("du"), pi: uid("pi"), charge: uid("ch"), amount: 9900 };
    await fake("/__charges", { id: disputed.charge, customer: s.customerId, payment_intent: disputed.pi, amount: 9900 });
    const t = sec(Date.now());
    const refund = stripeEvent("charge.refunded", refundOf(s, refunded, 3300), t + 60);
    const dispute = stripeEvent("charge.dispute.created", disputeOf(disputed, "needs_response"), t + 60);
    await deliver(refund);
    await deliver(dispute);
    const events: { id: string }[] = (await (await adminClient()).get("/api/admin/webhooks?provider=stripe")).json.events;
    const logged = (ev: { id: string }) => events.find((e) => e.id === `stripe:${ev.id}`);
    const refundPurchase = `pi:${refunded.pi} charge:${refunded.charge}`;
    const disputePurchase = `pi:${disputed.pi} charge:${disputed.charge}`;
    expect(logged(refund)).toMatchObject({ status: "processed", note: { code: "held_for_grant", purchase: refundPurchase }, detail: `held until the grant of ${refundPurchase} arrives` });
    expect(logged(dispute)).toMatchObject({
      status: "processed",
      note: { code: "dispute_held_for_grant", status: "needs_response", purchase: disputePurchase },
      detail: `dispute needs_response: held until the grant of ${disputePurchase} arrives`,
    });
  });

  it("a dispute won before the grant arrives leaves the credit whole", async () => {
    const s = await customer();
    const pi = uid("pi");
    const charge = uid("ch");
    const t = sec(Date.now());
    await fake("/__charges", { id: charge, customer: s.customerId, payment_intent: pi, amount: 9900 });
    const d = { id: uid("du"), pi, charge, amount: 9900 };
    await deliver(stripeEvent("charge.dispute.created", disputeOf(d, "needs_response"), t + 60));
    await deliver(stripeEvent("charge.dispute.closed", disputeOf(d, "won"), t + 120));
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi), t));
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 180, frozenMinutes: 0 });
  });
});

describe("a lost dispute of part of a payment", () => {
  it("takes back only that part", async () => {
    const s = await customer();
    const pi = uid("pi");
    const charge = uid("ch");
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi)));
    expect(await balance(s.client)).toBe(180);
    const d = { id: uid("du"), pi, charge, amount: 3300 };
    await deliver(stripeEvent("charge.dispute.created", disputeOf(d, "needs_response", "product_unacceptable")));
    await deliver(stripeEvent("charge.dispute.closed", disputeOf(d, "lost", "product_unacceptable"), sec(Date.now()) + 10));
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 120, frozenMinutes: 0 });
  });
});

describe("a pack paid with a delayed payment method", () => {
  it("is granted when Stripe says the payment succeeded (checkout.session.async_payment_succeeded), once", async () => {
    const s = await customer();
    const pi = uid("pi");
    const cs = uid("cs");
    const pending = await deliver(stripeEvent("checkout.session.completed", packSession(s, pi, "unpaid", cs)));
    expect(pending).toMatchObject({ status: 200, json: { result: "ignored" } });
    expect(await balance(s.client)).toBe(0);
    const succeeded = await deliver(stripeEvent("checkout.session.async_payment_succeeded", packSession(s, pi, "paid", cs)));
    expect(succeeded).toMatchObject({ status: 200, json: { result: "processed" } });
    expect(await balance(s.client)).toBe(180);
    // Stripe's retry under a new event id grants nothing more.
    await deliver(stripeEvent("checkout.session.async_payment_succeeded", packSession(s, pi, "paid", cs)));
    expect(await balance(s.client)).toBe(180);
  });

  it("records a failed delayed payment, granting nothing", async () => {
    const s = await customer();
    const pi = uid("pi");
    const cs = uid("cs");
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi, "unpaid", cs)));
    const failed = await deliver(stripeEvent("checkout.session.async_payment_failed", packSession(s, pi, "unpaid", cs)));
    // Processed: the student is told (below).
    expect(failed).toMatchObject({ status: 200, json: { result: "processed" } });
    expect(await balance(s.client)).toBe(0);
  });

  it("tells the student, in their language, that the pack's bank payment failed and no credit was added: once per checkout session", async () => {
    const s = await customer();
    await env.DB.prepare("UPDATE users SET locale = 'es-ES' WHERE id = ?").bind(s.user.id).run();
    const pi = uid("pi");
    const cs = uid("cs");
    await deliver(stripeEvent("checkout.session.completed", packSession(s, pi, "unpaid", cs)));
    const failed = stripeEvent("checkout.session.async_payment_failed", packSession(s, pi, "unpaid", cs));
    expect((await deliver(failed)).status).toBe(200);
    // Stripe's retry under a new event id, and an admin's replay of the stored event, tell nothing more.
    await deliver(stripeEvent("checkout.session.async_payment_failed", packSession(s, pi, "unpaid", cs)));
    expect((await (await adminClient()).post(`/api/admin/webhooks/stripe:${failed.id}/replay`)).status).toBe(200);

    const notices = await env.DB.prepare("SELECT title, body, link FROM notifications WHERE user_id = ? AND kind = 'pack_payment_failed'").bind(s.user.id).all();
    expect(notices.results).toEqual([{ title: "No se pudo cobrar tu paquete de horas", body: expect.stringContaining("no se ha añadido ningún crédito"), link: "/billing" }]);
    const mails = await env.DB.prepare("SELECT text FROM email_outbox WHERE user_id = ? AND subject = ?").bind(s.user.id, "No se pudo cobrar tu paquete de horas").all<{ text: string }>();
    expect(mails.results).toHaveLength(1);
    expect(mails.results[0]!.text).toContain("Facturación");
    expect(await balance(s.client)).toBe(0);
  });
});

describe("a renewal invoice that carries proration lines", () => {
  it("grants the new month as well as the proration", async () => {
    const s = await subscribed("starter");
    expect(await balance(s.client)).toBe(240);
    const mid = s.start + 20 * DAY;
    const res = await deliver(
      stripeEvent(
        "invoice.paid",
        invoiceObject({
          customer: s.customerId,
          subscription: s.subId,
          reason: "subscription_cycle",
          lines: [
            { price: "price_starter", amount: -4000, start: sec(mid), end: sec(s.end), proration: true },
            { price: "price_standard", amount: 7333, start: sec(mid), end: sec(s.end), proration: true },
            { price: "price_standard", amount: 22000, start: sec(s.end), end: sec(s.end + 30 * DAY) },
          ],
        }),
      ),
    );
    expect(res.json.result).toBe("processed");
    // 240 held, 80 for the last third of the month on standard instead of starter, 480 for the new standard month.
    expect(await balance(s.client)).toBe(240 + 80 + 480);
  });
});
