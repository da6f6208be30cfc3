import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { postPending } from "../../worker/features/finance/posting";
import { runPayouts } from "../../worker/features/payouts/service";
import { app } from "../../worker/index";
import { Client, ORIGIN, adminClient, signup } from "./helpers";
import { deliver, fake, sec, stripeEvent, uid } from "./stripeHelpers";

/**
 * The books from the outside: Stripe events and payouts become journal transactions (once each), the finance
 * report totals them per account, checks that every transaction balances, and reconciles the journal's cash
 * with Stripe's balance transactions (read through the SDK from the wire fake), naming every mismatch.
 */
const DAY = 86_400_000;
let admin: Client;
beforeAll(async () => {
  admin = await adminClient();
});

const period = () => `from=${new Date(Date.now() - DAY).toISOString()}&to=${new Date(Date.now() + 60_000).toISOString()}`;
const report = async (client = admin) => {
  const res = await client.get(`/api/admin/finance?${period()}`);
  expect(res.status).toBe(200);
  return res.json;
};
type Mismatch = { code: string; stripe: { id: string; source: string }[]; journal: string[] };
/** The mismatches that mention any of `ids` (other tests in this file leave their own). */
const about = (json: { reconciliation: { mismatches: Mismatch[] } }, ...ids: string[]) =>
  json.reconciliation.mismatches.filter((m) => ids.some((id) => m.stripe.some((s) => s.source === id || s.id === id) || m.journal.includes(id)));
const lines = (txId: string) => env.DB.prepare("SELECT account, amount_cents AS cents, ref FROM journal_lines WHERE tx_id = ? ORDER BY line").bind(txId).all().then((r) => r.results);

/** A Stripe charge as it appears in our balance (what Stripe itself would list). */
const seedCharge = (o: { charge: string; pi: string; amount: number; fee?: number; created?: number }) =>
  fake("/__balance_transactions", { type: "charge", amount: o.amount, fee: o.fee ?? 0, created: o.created, source: { id: o.charge, object: "charge", payment_intent: o.pi, amount: o.amount } });

async function packBought(amount = 3500) {
  const s = await signup("student");
  const pi = uid("pi");
  const event = stripeEvent("checkout.session.completed", {
    id: uid("cs"),
    object: "checkout.session",
    mode: "payment",
    payment_status: "paid",
    amount_total: amount,
    customer: null,
    payment_intent: pi,
    metadata: { userId: s.user.id, packId: "pack-60" },
  });
  expect((await deliver(event)).status).toBe(200);
  return { ...s, pi, eventId: event.id };
}

describe("posting Stripe's money to the journal", () => {
  it("a pack payment is cash in, owed as credit, posted once however often the drain runs", async () => {
    const { pi, eventId, user } = await packBought(3500);
    await postPending(env);
    await postPending(env);
    expect(await lines(`stripe:${eventId}`)).toEqual([
      { account: "stripe_cash", cents: 3500, ref: pi },
      { account: "payments_clearing", cents: -3500, ref: `pi:${pi}` },
    ]);
    const student = await env.DB.prepare("SELECT DISTINCT student_id AS s FROM journal_lines WHERE tx_id = ?").bind(`stripe:${eventId}`).first();
    expect(student).toEqual({ s: user.id });
  });

  it("a pack paid by bank debit is cash in when Stripe says the payment succeeded, not when the unpaid checkout completed", async () => {
    const s = await signup("student");
    const pi = uid("pi");
    const session = (payment_status: string) => ({ id: uid("cs"), object: "checkout.session", mode: "payment", payment_status, amount_total: 3500, customer: null, payment_intent: pi, metadata: { userId: s.user.id, packId: "pack-60" } });
    const completed = stripeEvent("checkout.session.completed", session("unpaid"));
    const succeeded = stripeEvent("checkout.session.async_payment_succeeded", session("paid"));
    for (const e of [completed, succeeded]) expect((await deliver(e)).status).toBe(200);
    await postPending(env);
    expect(await lines(`stripe:${completed.id}`)).toEqual([]);
    expect(await lines(`stripe:${succeeded.id}`)).toEqual([
      { account: "stripe_cash", cents: 3500, ref: pi },
      { account: "payments_clearing", cents: -3500, ref: `pi:${pi}` },
    ]);
  });

  it("a refund posts what Stripe's running total adds, so repeats and late, smaller totals post nothing", async () => {
    const charge = uid("ch");
    const refund = (amount_refunded: number, created: number) => stripeEvent("charge.refunded", { id: charge, object: "charge", amount: 9900, amount_refunded, payment_intent: uid("pi"), customer: null }, created);
    const t = sec(Date.now());
    const first = refund(3300, t);
    const second = refund(9900, t + 5);
    const late = refund(6600, t + 2);
    for (const e of [first, second, late]) await deliver(e);
    await postPending(env);
    const cash = await env.DB.prepare("SELECT tx_id, amount_cents AS cents FROM journal_lines WHERE account = 'stripe_cash' AND ref = ? ORDER BY at").bind(charge).all();
    expect(cash.results).toEqual([
      { tx_id: `stripe:${first.id}`, cents: -3300 },
      { tx_id: `stripe:${second.id}`, cents: -6600 },
    ]);
  });

  it("a dispute holds the money, and a won dispute returns it, each once", async () => {
    const dp = uid("dp");
    const dispute = (type: string, status: string) => stripeEvent(type, { id: dp, object: "dispute", amount: 12000, status, charge: uid("ch"), payment_intent: null });
    for (const e of [dispute("charge.dispute.created", "needs_response"), dispute("charge.dispute.created", "needs_response"), dispute("charge.dispute.closed", "won")]) await deliver(e);
    await postPending(env);
    const rows = await env.DB.prepare("SELECT kind, account, amount_cents AS cents FROM journal_lines WHERE ref = ? ORDER BY rowid").bind(dp).all();
    expect(rows.results).toEqual([
      { kind: "dispute_opened", account: "disputed_funds", cents: 12000 },
      { kind: "dispute_opened", account: "stripe_cash", cents: -12000 },
      { kind: "dispute_won", account: "stripe_cash", cents: 12000 },
      { kind: "dispute_won", account: "disputed_funds", cents: -12000 },
    ]);
  });

  it("an invoice paid under the 2025+ API is matched to its payment intent through Stripe's invoice payments", async () => {
    const invoice = uid("in");
    const pi = uid("pi");
    await fake("/__invoice_payments", { invoice, payment_intent: pi, amount: 12000 });
    const event = stripeEvent("invoice.paid", { id: invoice, object: "invoice", customer: null, amount_paid: 12000, parent: null, lines: { data: [] } });
    await deliver(event);
    await postPending(env);
    expect(await lines(`stripe:${event.id}`)).toEqual([
      { account: "stripe_cash", cents: 12000, ref: pi },
      { account: "payments_clearing", cents: -12000, ref: `invoice:${invoice}` },
    ]);
  });
});

describe("GET /api/admin/finance", () => {
  it("totals the period per account and checks that every transaction balances", async () => {
    await packBought(9900);
    const json = await report();
    const cash = json.accounts.find((a: { account: string }) => a.account === "stripe_cash");
    expect(cash).toMatchObject({ name: "Cash at Stripe", kind: "asset" });
    expect(cash.changeCents).toBeGreaterThanOrEqual(9900);
    expect(json.check.balanced).toBe(true);
    expect(json.check.debitCents).toBe(json.check.creditCents);
    expect(json.check.transactions).toBeGreaterThan(0);
    expect(json.accounts.map((a: { account: string }) => a.account)).toContain("promotional_cost");
  });

  it("matches the journal's cash with Stripe's balance transactions: a payment Stripe lists is no mismatch", async () => {
    const bought = await packBought(3500);
    const charge = uid("ch");
    await seedCharge({ charge, pi: bought.pi, amount: 3500, fee: 132 });
    const json = await report();
    expect(json.reconciliation).toMatchObject({ source: "stripe", status: "checked" });
    expect(about(json, charge, `stripe:${bought.eventId}`)).toEqual([]);
    expect(json.reconciliation.feesCents).toBeGreaterThanOrEqual(132);
  });

  it("names the Stripe object the journal lacks, the journal transaction Stripe lacks, and amounts that differ", async () => {
    const stray = uid("ch");
    await seedCharge({ charge: stray, pi: uid("pi"), amount: 2200 });
    const unpaid = await packBought(3500);
    const charge = uid("ch");
    const pi = uid("pi");
    await fake("/__balance_transactions", { type: "refund", amount: -500, source: { id: uid("re"), object: "refund", charge, payment_intent: pi } });
    const refund = stripeEvent("charge.refunded", { id: charge, object: "charge", amount: 3000, amount_refunded: 1000, payment_intent: pi, customer: null });
    await deliver(refund);

    const json = await report();
    expect(about(json, stray)).toEqual([expect.objectContaining({ code: "missing_in_journal", journal: [], stripe: [expect.objectContaining({ source: stray })] })]);
    expect(about(json, `stripe:${unpaid.eventId}`)).toEqual([expect.objectContaining({ code: "missing_at_stripe", stripe: [], journal: [`stripe:${unpaid.eventId}`] })]);
    expect(about(json, `stripe:${refund.id}`)).toEqual([
      expect.objectContaining({ code: "amount_differs", journal: [`stripe:${refund.id}`], stripeCents: -500, journalCents: -1000 }),
    ]);
  });

  it("posts each paid payout as a transfer out that matches Stripe's transfer", async () => {
    const tutor = await signup("tutor");
    const account = uid("acct");
    await env.DB.batch([
      env.DB.prepare("INSERT INTO payout_accounts (tutor_id, stripe_account_id, payouts_enabled, updated_at) VALUES (?, ?, 1, ?)").bind(tutor.user.id, account, new Date().toISOString()),
      env.DB.prepare("INSERT INTO earnings (id, tutor_id, booking_id, amount_cents, minutes, students, kind, session_end_at, created_at) VALUES (?, ?, ?, 4800, 60, 1, 'one_on_one', ?, ?)").bind(
        crypto.randomUUID(),
        tutor.user.id,
        uid("booking"),
        new Date().toISOString(),
        new Date().toISOString(),
      ),
    ]);
    await runPayouts(env);
    const payout = await env.DB.prepare("SELECT id, transfer_id FROM payouts WHERE tutor_id = ?").bind(tutor.user.id).first<{ id: string; transfer_id: string }>();
    const json = await report();
    expect(await lines(`payout:${payout!.id}`)).toEqual([
      { account: "tutor_payable", cents: 4800, ref: payout!.transfer_id },
      { account: "stripe_cash", cents: -4800, ref: payout!.transfer_id },
    ]);
    expect(about(json, payout!.transfer_id, `payout:${payout!.id}`)).toEqual([]);
  });

  it.each([
    ["from after to", `from=${new Date(Date.now()).toISOString()}&to=${new Date(Date.now() - DAY).toISOString()}`],
    ["more than 366 days", `from=2025-01-01T00:00:00Z&to=2026-06-01T00:00:00Z`],
    ["not an instant", "from=yesterday&to=today"],
    ["missing", ""],
  ])("refuses a period %s (400)", async (_, query) => {
    const res = await admin.get(`/api/admin/finance?${query}`);
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("invalid_request");
  });

  it("is for admins only", async () => {
    const { client } = await signup("student");
    expect((await client.get(`/api/admin/finance?${period()}`)).status).toBe(403);
    expect((await new Client().get(`/api/admin/finance?${period()}`)).status).toBe(401);
  });
});

describe("reconciliation in local payment mode", () => {
  const localEnv = { ...env, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_CONNECT_WEBHOOK_SECRET: undefined, ENVIRONMENT: "test" } as Env;
  const local = () => new Client(ORIGIN, (req) => app.fetch(req, localEnv, createExecutionContext()) as Promise<Response>);

  it("checks the journal against the local mode's own records: a local pack purchase matches", async () => {
    const { client } = await signup("student", {}, local());
    const { json } = await client.post("/api/billing/checkout", { packId: "pack-180" });
    const id = json.url.split("/").pop();
    expect((await client.post(`/api/billing/local/checkout/${id}/complete`)).status).toBe(200);
    const adminLocal = local();
    adminLocal.cookie = admin.cookie;
    const res = await report(adminLocal);
    expect(res.reconciliation).toMatchObject({ source: "local", status: "checked" });
    const event = await env.DB.prepare("SELECT id FROM webhook_events WHERE payload LIKE ? AND type = 'checkout.session.completed'").bind(`%${id}%`).first<{ id: string }>();
    expect(await lines(event!.id)).toEqual([
      { account: "stripe_cash", cents: 9900, ref: expect.stringMatching(/^pi_local_/) },
      { account: "payments_clearing", cents: -9900, ref: expect.stringMatching(/^pi:pi_local_/) },
    ]);
    expect(about(res, event!.id)).toEqual([]);
  });
});
