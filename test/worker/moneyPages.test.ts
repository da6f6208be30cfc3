import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { app } from "../../worker/index";
import { Client, ORIGIN, adminClient, approvedTutor, balance, drained, fund, fundedStudent, settleWallet, signup, slotAhead } from "./helpers";
import { chargeRefunded, deliver, fake, packBuyer } from "./stripeHelpers";

const book = (client: Client, tutorId: string, start: string, subject = "mathematics") => client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject });
/** The Worker as `npm run dev` runs it: no Stripe key, so the local payment mode is on. */
const localEnv = { ...env, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_CONNECT_WEBHOOK_SECRET: undefined, ENVIRONMENT: "test" } as Env;
const localClient = () => new Client(ORIGIN, (req) => app.fetch(req, localEnv, createExecutionContext()) as Promise<Response>);
const history = async (client: Client, query = "") => (await client.get(`/api/billing/credits/history${query}`)).json;

beforeEach(async () => {
  await fake("/__reset", {});
});

describe("GET /api/billing/credits/history", () => {
  it("lists every grant, spend and refund newest first, each spend with its session, from the wallet even before D1 has it", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(300);
    const booked = await book(student.client, tutor.user.id, slotAhead(72 * 60));
    expect(booked.status).toBe(201);
    const id = booked.json.booking.id;
    expect((await student.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    // Whatever the D1 projection holds (here: nothing), the page is the wallet's.
    await settleWallet(student.user.id);
    await env.DB.prepare("DELETE FROM credit_ledger WHERE user_id = ?").bind(student.user.id).run();

    const tutorName = await env.DB.prepare("SELECT name FROM users WHERE id = ?").bind(tutor.user.id).first<string>("name");
    const page = await history(student.client);
    expect(page.entries.map((e: { kind: string; minutes: number }) => [e.kind, e.minutes])).toEqual([
      ["refund", 60],
      ["debit", -60],
      ["grant", 300],
    ]);
    expect(page.entries[1].session).toMatchObject({ id, tutorName, start: booked.json.booking.start });
    expect(page.entries[0].session).toMatchObject({ id, tutorName });
    expect(page.entries[2]).toMatchObject({ session: null, funding: "paid" });
    expect(Date.parse(page.entries[2].expiresAt)).toBeGreaterThan(Date.now());
    expect(page.next).toBeNull();
  });

  it("pages by cursor without gaps or repeats, and records lapsed credit as expired first", async () => {
    const student = await fundedStudent(0);
    await fund(student.user.id, 30, { expiresAt: new Date(Date.now() + 1500).toISOString() });
    for (const m of [40, 50, 60]) await fund(student.user.id, m);
    await new Promise((r) => setTimeout(r, 1600));
    const seen: { kind: string; minutes: number }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { entries: { kind: string; minutes: number }[]; next: string | null } = await history(student.client, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.map((e) => [e.kind, e.minutes])).toEqual([
      ["expire", -30],
      ["grant", 60],
      ["grant", 50],
      ["grant", 40],
      ["grant", 30],
    ]);
    expect(pages).toBe(3);
  });

  it("shows a student only their own history, and refuses a cursor it did not give", async () => {
    const a = await fundedStudent(120);
    const b = await fundedStudent(45);
    expect((await history(b.client)).entries.map((e: { minutes: number }) => e.minutes)).toEqual([45]);
    expect((await a.client.get("/api/billing/credits/history?cursor=abc")).status).toBe(400);
    expect((await a.client.get("/api/billing/credits/history?limit=1000")).status).toBe(400);
  });
});

/** A student who booked 60 minutes three hours ahead and cancelled too late for the policy's refund. */
async function lateCancelledSeat(student: { client: Client }, tutorId: string) {
  const booked = await book(student.client, tutorId, slotAhead(3 * 60));
  expect(booked.status, booked.text).toBe(201);
  const id: string = booked.json.booking.id;
  expect((await student.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
  return id;
}

const refundSeat = (admin: Client, bookingId: string, studentId: string, reason = "tutor did not show up") =>
  admin.post(`/api/admin/bookings/${bookingId}/refund`, { studentId, reason });

describe("POST /api/admin/bookings/:id/refund says what really happened", () => {
  it("refunds once; a second refund of the same seat is refused as already refunded and gives nothing", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(300);
    const id = await lateCancelledSeat(student, tutor.user.id);
    expect(await balance(student.client)).toBe(240);
    const admin = await adminClient();
    const first = await refundSeat(admin, id, student.user.id);
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ refunded: true, refund: { outcome: "refunded", minutes: 60, takenBackMinutes: 0, onHoldMinutes: 0 } });
    const second = await refundSeat(admin, id, student.user.id, "asked twice");
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: { code: "already_refunded" }, refunded: false, refund: { outcome: "already_refunded", minutes: 60 } });
    expect(await balance(student.client)).toBe(300);
  });

  it("refuses to refund a seat whose credit moved to a replacement tutor, and names that session", async () => {
    const subject = `subject-${crypto.randomUUID().slice(0, 8)}`;
    const tutor = await approvedTutor({ subjects: [subject] });
    const replacement = await approvedTutor({ subjects: [subject] });
    const student = await fundedStudent(300);
    const booked = await book(student.client, tutor.user.id, slotAhead(72 * 60), subject);
    expect(booked.status).toBe(201);
    expect((await tutor.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, { reason: "ill" })).status).toBe(200);
    // The offer opens after the cancellation's answer (the calendar's outbox looks the tutors up).
    await drained(tutor.user.id);
    const offer = (await student.client.get("/api/offers")).json.offers[0];
    expect(offer.status).toBe("open");
    const moved = await student.client.post(`/api/offers/${offer.id}/accept`, { tutorId: replacement.user.id });
    expect(moved.status).toBe(200);
    await replacement.client.get("/api/bookings");
    const res = await refundSeat(await adminClient(), booked.json.booking.id, student.user.id);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({
      error: { code: "moved_to_replacement" },
      refunded: false,
      refund: { outcome: "moved", minutes: 60, replacement: { sessionId: moved.json.booking.id } },
    });
    expect(await balance(student.client)).toBe(240);
  });

  it("says so when the credit it gave back was taken again at once because Stripe refunded the purchase", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    const id = await lateCancelledSeat(buyer, tutor.user.id);
    // The whole pack is refunded through Stripe: its 120 unspent minutes go now, what returns later goes too.
    expect((await deliver(chargeRefunded(buyer, 9_900))).json.result).toBe("processed");
    expect(await balance(buyer.client)).toBe(0);
    const res = await refundSeat(await adminClient(), id, buyer.user.id);
    expect(res.status).toBe(200);
    expect(res.json.refund).toEqual({ outcome: "refunded", minutes: 60, takenBackMinutes: 60, onHoldMinutes: 0 });
    expect(await balance(buyer.client)).toBe(0);
    await settleWallet(buyer.user.id);
  });
});

describe("GET /api/billing/receipts", () => {
  it("in Stripe mode lists the student's own invoices and pack payments with Stripe's hosted pages, newest first", async () => {
    const buyer = await packBuyer();
    const other = await packBuyer("pack-60", 3_500);
    const created = Math.floor(Date.now() / 1000);
    await fake("/__invoices", {
      id: "in_receipt_1", object: "invoice", customer: buyer.customerId, number: "TUT-0001", status: "paid", created: created - 86_400, currency: "usd",
      total: 13_200, total_excluding_tax: 12_000, amount_paid: 13_200, billing_reason: "subscription_create", hosted_invoice_url: "https://invoice.stripe.com/i/acct_1/test_in1",
      lines: { object: "list", data: [{ amount: 12_000, period: { start: created - 86_400, end: created + 29 * 86_400 }, pricing: { price_details: { price: "price_starter" } } }] },
    });
    await fake("/__invoices", { id: "in_someone_else", object: "invoice", customer: other.customerId, status: "paid", created, currency: "usd", total: 100, lines: { object: "list", data: [] } });
    await fake("/__payment_intents", {
      id: buyer.pi, object: "payment_intent", customer: buyer.customerId, status: "succeeded", created, currency: "usd", amount: 9_900, amount_received: 9_900,
      metadata: { userId: buyer.user.id, packId: "pack-180" }, latest_charge: { id: buyer.charge, object: "charge", receipt_url: "https://pay.stripe.com/receipts/payment/test_rc1" },
    });
    const res = await buyer.client.get("/api/billing/receipts");
    expect(res.status).toBe(200);
    expect(res.json.mode).toBe("stripe");
    expect(res.json.receipts).toEqual([
      expect.objectContaining({ id: buyer.pi, source: "payment", item: { kind: "pack", id: "pack-180", name: "3 extra hours" }, amountCents: 9_900, taxCents: 0, url: "https://pay.stripe.com/receipts/payment/test_rc1" }),
      expect.objectContaining({ id: "in_receipt_1", source: "invoice", number: "TUT-0001", item: { kind: "plan", id: "starter", name: "Starter · 4 hours a month" }, amountCents: 13_200, taxCents: 1_200, url: "https://invoice.stripe.com/i/acct_1/test_in1" }),
    ]);
    // Stripe was asked for this customer's documents only.
    expect((await other.client.get("/api/billing/receipts")).json.receipts.map((r: { id: string }) => r.id)).toEqual(["in_someone_else"]);
    // In Stripe mode Stripe's pages are the receipts: there is no local one to open.
    expect((await buyer.client.get(`/api/billing/receipts/${buyer.pi}`)).status).toBe(404);
  });

  it("in local payment mode lists each purchase with its own receipt page, which only its buyer can open", async () => {
    const { client } = await signup("student", {}, localClient());
    const checkout = await client.post("/api/billing/checkout", { packId: "pack-60" });
    await client.post(`/api/billing/local/checkout/${checkout.json.url.split("/").pop()}/complete`);
    const list = await client.get("/api/billing/receipts");
    expect(list.json.mode).toBe("local");
    expect(list.json.receipts).toEqual([
      expect.objectContaining({ source: "local", item: { kind: "pack", id: "pack-60", name: "1 extra hour" }, minutes: 60, amountCents: 3_500, taxCents: 0, currency: "usd", status: "paid" }),
    ]);
    const receipt = list.json.receipts[0];
    expect(receipt.url).toBe(`/billing/receipts/${receipt.id}`);
    expect(Date.parse(receipt.at)).toBeGreaterThan(Date.now() - 60_000);
    const one = await client.get(`/api/billing/receipts/${receipt.id}`);
    expect(one.json.receipt).toEqual(receipt);
    const stranger = await signup("student", {}, localClient());
    expect((await stranger.client.get(`/api/billing/receipts/${receipt.id}`)).status).toBe(404);
    expect((await stranger.client.get("/api/billing/receipts")).json.receipts).toEqual([]);
  });
});
