import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type AccountId, shownBalance } from "../../domain/books";
import { freeTrialGrantId, freeTrialMonth } from "../../domain/credits";
import { RECOGNITION_DELAY_MS, postPending } from "../../worker/features/finance/posting";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, balance, fund, settleWallet, signup, slotAhead, wasInRoom } from "./helpers";
import { deliver, fake, sec, stripeEvent, subscriptionObject, uid } from "./stripeHelpers";

const HOUR = 3_600_000;

/** A free account (no plan) with a confirmed address. */
const freeStudent = () => signup("student");

const bookTrial = (client: Client, tutorId: string, start: string, key?: string) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 30, subject: "mathematics", trial: true }, key ? { "Idempotency-Key": key } : {});

const credits = async (client: Client) => (await client.get("/api/billing/credits")).json as { balanceMinutes: number; promoMinutes: number; freeTrial: { month: string; available: boolean } };

/** An account's balance as read, over the journal lines matching `where` (as in books.test.ts). */
async function journal(account: AccountId, where: { studentId?: string; bookingId?: string }) {
  const conds = ["account = ?", ...Object.keys(where).map((k) => `${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ?`)];
  const row = await env.DB.prepare(`SELECT coalesce(sum(amount_cents), 0) AS s FROM journal_lines WHERE ${conds.join(" AND ")}`)
    .bind(account, ...Object.values(where))
    .first<{ s: number }>();
  return shownBalance(account, row!.s);
}

beforeEach(async () => {
  await fake("/__reset", {});
});

describe("the free plan: one free trial lesson a month", () => {
  it("a free account books a trial with no credit: a promotional grant made for it and spent at once, the tutor paid their trial earning, the books post it as promotional cost", async () => {
    // $45/h: the trial costs 23 credit-minutes; promotional credit earns at the nominal 50 ¢ a minute, less 20 %.
    const tutor = await approvedTutor({ hourlyRateCents: 4500, offersTrials: true });
    const s = await freeStudent();
    expect((await credits(s.client)).freeTrial).toEqual({ month: freeTrialMonth(Date.now()), available: true });
    const start = slotAhead(48 * 60);
    const booked = await bookTrial(s.client, tutor.user.id, start);
    expect(booked.status).toBe(201);
    expect(booked.json.booking).toMatchObject({ trial: true, freeTrial: true, creditsMinutes: 23 });
    expect(await balance(s.client)).toBe(0);
    expect((await credits(s.client)).freeTrial.available).toBe(false);

    // The wallet: a promotional lot of exactly the price, keyed by the month, and the booking's debit from it.
    const ledger = await accountOf(env, s.user.id).ledger();
    const grant = ledger.find((e) => e.kind === "grant")!;
    expect(grant).toMatchObject({ ref: freeTrialGrantId(freeTrialMonth(Date.now())), minutes: 23, paidCents: 0, funding: "promo", purchaseRef: null });
    expect(ledger.filter((e) => e.kind === "debit")).toEqual([expect.objectContaining({ lotId: grant.id, minutes: 23, paidCents: 0, ref: booked.json.booking.id })]);
    const seat = (await calendarOf(env, tutor.user.id).getSession(booked.json.booking.id))!.booking;
    expect(seat.tutorEarningCents).toBe(920);

    // Taught and recognised: the tutor is owed 920 ¢, all of it the platform's promotional cost; nothing is revenue.
    await wasInRoom(booked.json.booking.id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + 30 * 60_000);
    await wasInRoom(booked.json.booking.id, s.user.id, "student", Date.parse(start), Date.parse(start) + 30 * 60_000);
    expect((await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: booked.json.booking.id, actor: "system", now: Date.parse(start) + HOUR })).ok).toBe(true);
    await calendarOf(env, tutor.user.id).settle();
    await settleWallet(s.user.id);
    await postPending(env, new Date(Date.now() + RECOGNITION_DELAY_MS + 1_000));
    const session = { bookingId: booked.json.booking.id };
    expect(await journal("tutor_payable", session)).toBe(920);
    expect(await journal("promotional_cost", session)).toBe(920);
    expect(await journal("earned_revenue", session)).toBe(0);
    expect(await journal("deferred_revenue", { studentId: s.user.id })).toBe(0);
    expect((await env.DB.prepare("SELECT tx_id FROM journal_lines GROUP BY tx_id HAVING sum(amount_cents) != 0").all()).results).toEqual([]);
  });

  it("is once a calendar month: the next trial that month (another tutor) is paid like any lesson — refused without credit, from paid credit with it", async () => {
    const [first, second, third] = await Promise.all([1, 2, 3].map(() => approvedTutor({ offersTrials: true })));
    const s = await freeStudent();
    expect((await bookTrial(s.client, first!.user.id, slotAhead(48 * 60))).status).toBe(201);
    const broke = await bookTrial(s.client, second!.user.id, slotAhead(72 * 60));
    expect(broke.status).toBe(402);
    await fund(s.user.id, 60);
    expect((await bookTrial(s.client, third!.user.id, slotAhead(96 * 60))).status).toBe(201);
    expect(await balance(s.client)).toBe(60 - 15);
    expect((await accountOf(env, s.user.id).ledger()).filter((e) => e.kind === "grant" && e.funding === "promo")).toHaveLength(1);
  });

  it("a subscriber pays their trial from their credit: the free trial is the free plan's", async () => {
    const tutor = await approvedTutor({ offersTrials: true });
    const s = await freeStudent();
    await fund(s.user.id, 240);
    // Subscribed through signed webhooks: the wallet is told the plan once D1 has it.
    const res = await s.client.post("/api/billing/checkout", { planId: "starter" });
    expect(res.status).toBe(200);
    const customerId = (await env.DB.prepare("SELECT stripe_customer_id AS c FROM students WHERE user_id = ?").bind(s.user.id).first<{ c: string }>())!.c;
    const subId = uid("sub");
    await deliver(stripeEvent("checkout.session.completed", { id: uid("cs"), object: "checkout.session", mode: "subscription", payment_status: "paid", customer: customerId, subscription: subId, metadata: { userId: s.user.id, planId: "starter" } }));
    expect((await credits(s.client)).freeTrial.available).toBe(false);
    const paidTrial = await bookTrial(s.client, tutor.user.id, slotAhead(48 * 60));
    expect(paidTrial.status).toBe(201);
    expect(paidTrial.json.booking).toMatchObject({ trial: true, creditsMinutes: 15 });
    expect(paidTrial.json.booking.freeTrial).toBeUndefined();
    expect(await balance(s.client)).toBe(240 - 15);
    expect((await accountOf(env, s.user.id).ledger()).some((e) => e.funding === "promo")).toBe(false);

    // Back on Free when the plan ends: this month's free trial is there again.
    await deliver(stripeEvent("customer.subscription.deleted", subscriptionObject({ id: subId, customer: customerId, price: "price_starter", status: "canceled" }), sec(Date.now()) + 10));
    expect((await credits(s.client)).freeTrial.available).toBe(true);
  });

  it("cancelled in time, comes back as the month's trial, not as credit: booked free again, listed as free", async () => {
    const [first, second] = await Promise.all([1, 2].map(() => approvedTutor({ hourlyRateCents: 4500, offersTrials: true })));
    const s = await freeStudent();
    const booked = await bookTrial(s.client, first!.user.id, slotAhead(48 * 60));
    expect(booked.status).toBe(201);
    await expect.poll(async () => (await s.client.get("/api/bookings")).json.bookings[0], { timeout: 1000, interval: 20 }).toMatchObject({ id: booked.json.booking.id, trial: true, freeTrial: true });
    expect((await s.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, {})).status).toBe(200);

    // Its emails say what it cost (nothing) and what came back (the trial, not credit).
    const mailed = async () =>
      (await env.DB.prepare("SELECT text FROM email_outbox WHERE to_email = ? ORDER BY created_at, rowid").bind(s.user.email).all<{ text: string }>()).results.map((r) => r.text).join("\n");
    await expect.poll(mailed, { timeout: 2000, interval: 20 }).toContain("Your free trial is back: you can book a trial lesson again this month.");
    expect(await mailed()).toContain("It is your free trial lesson of the month: nothing was taken from your balance.");
    expect(await mailed()).not.toMatch(/It cost|is back in your balance/);
    // Nothing to spend on another lesson: the 23 minutes that came back lapsed at once. The trial is there again.
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 0, promoMinutes: 0, freeTrial: { available: true } });
    const again = await bookTrial(s.client, second!.user.id, slotAhead(72 * 60));
    expect(again.status).toBe(201);
    expect(again.json.booking).toMatchObject({ trial: true, freeTrial: true, creditsMinutes: 23 });
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 0, freeTrial: { available: false } });
    const month = freeTrialMonth(Date.now());
    const grants = (await accountOf(env, s.user.id).ledger()).filter((e) => e.kind === "grant").map((e) => e.ref);
    expect(grants.sort()).toEqual([freeTrialGrantId(month), `${freeTrialGrantId(month)}#2`]);

    // A third trial that month (a third tutor) is paid like any lesson: refused without credit.
    const third = await approvedTutor({ offersTrials: true });
    expect((await bookTrial(s.client, third.user.id, slotAhead(96 * 60))).status).toBe(402);
    // The ledger's D1 projection matches the wallet: 0 minutes left to spend.
    await settleWallet(s.user.id);
    const row = await env.DB.prepare("SELECT coalesce(sum(CASE WHEN kind IN ('grant','refund') OR (kind = 'adjust' AND minutes > 0) THEN minutes WHEN kind IN ('debit','expire','clawback') THEN -minutes ELSE 0 END), 0) AS n FROM credit_ledger WHERE user_id = ?").bind(s.user.id).first<{ n: number }>();
    expect(row!.n).toBe(0);
  });

  it("stays within the promotional cap: a student already holding the most promotional credit pays the trial", async () => {
    const tutor = await approvedTutor({ offersTrials: true });
    const s = await freeStudent();
    await accountOf(env, s.user.id).grant({ studentId: s.user.id, grantId: uid("gift"), kind: "adjust", minutes: 120, funding: "promo", paidCents: 0, purchaseRef: null, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: "gift", now: Date.now() });
    expect((await bookTrial(s.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(201);
    // Paid from the gift; no free-trial grant beyond the cap.
    expect(await balance(s.client)).toBe(120 - 15);
    expect((await accountOf(env, s.user.id).ledger()).filter((e) => e.kind === "grant")).toEqual([]);
  });

  it("lets exactly one of concurrent free trials (with different tutors) through", async () => {
    const tutors = await Promise.all([1, 2, 3, 4].map(() => approvedTutor({ offersTrials: true })));
    const s = await freeStudent();
    const starts = tutors.map((_, k) => slotAhead((48 + 24 * k) * 60));
    const answers = await Promise.all(tutors.map((t, k) => bookTrial(s.client, t.user.id, starts[k]!, `free-trial-${k}`)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    expect(answers.filter((r) => r.status === 402)).toHaveLength(3);
    expect((await accountOf(env, s.user.id).ledger()).filter((e) => e.kind === "grant")).toHaveLength(1);
    // A retry of the one that won is answered with it, and grants nothing more.
    const won = answers.findIndex((r) => r.status === 201);
    const again = await bookTrial(s.client, tutors[won]!.user.id, starts[won]!, `free-trial-${won}`);
    expect(again.status).toBe(201);
    expect(again.json.booking.id).toBe(answers[won]!.json.booking.id);
    expect((await accountOf(env, s.user.id).ledger()).filter((e) => e.kind === "grant")).toHaveLength(1);
  });
});
