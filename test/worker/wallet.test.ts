import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { postPending } from "../../worker/features/finance/posting";
import { importWallets } from "../../worker/jobs/importWallets";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import type { StudentAccount } from "../../durable-objects/StudentAccount";
import { migrateStudentStorage } from "../../durable-objects/student/storage";
import { type Client, adminClient, approvedTutor, balance, drained, fund, fundedStudent, settleWallet, signup, slotAhead, wasInRoom } from "./helpers";
import { chargeRefunded as refunded, deliver, disputeOf as dispute, fake, invoiceObject, packBuyer, sec, stripeEvent, uid } from "./stripeHelpers";

const DAY = 86_400_000;
const book = (client: Client, tutorId: string, start: string, subject = "mathematics") => client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject });
const credits = async (client: Client) => (await client.get("/api/billing/credits")).json;

beforeEach(async () => {
  await fake("/__reset", {});
});

describe("refunds return credit to the lots it came from", () => {
  it("a cancelled booking's credit goes back to its pack, so a later Stripe refund of the pack takes all of it back", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    const booked = await book(buyer.client, tutor.user.id, slotAhead(48 * 60));
    expect(booked.status).toBe(201);
    expect((await buyer.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, {})).status).toBe(200);
    // One lot: the pack, whole again, with its expiry and purchase (not a new lot Stripe cannot reach).
    const after = await credits(buyer.client);
    expect(after.grants).toMatchObject([{ funding: "paid", minutes: 180, remainingMinutes: 180 }]);
    expect(Date.parse(after.grants[0].expiresAt)).toBeGreaterThan(Date.now() + 360 * DAY);

    expect((await deliver(refunded(buyer, 9_900))).json.result).toBe("processed");
    expect(await balance(buyer.client)).toBe(0);
  });

  it("a refund of the pack takes back what was unspent, then what comes back from a replacement booking cancelled later", async () => {
    const subject = `subject-${crypto.randomUUID().slice(0, 8)}`;
    const tutor = await approvedTutor({ subjects: [subject] });
    const replacement = await approvedTutor({ subjects: [subject] });
    const buyer = await packBuyer();
    const start = slotAhead(72 * 60);
    const booked = await book(buyer.client, tutor.user.id, start, subject);
    await tutor.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, { reason: "ill" });
    await drained(tutor.user.id); // the offer opens after the cancellation's answer
    const offer = (await buyer.client.get("/api/offers")).json.offers[0];
    const moved = await buyer.client.post(`/api/offers/${offer.id}/accept`, { tutorId: replacement.user.id });
    expect(moved.status).toBe(200);
    expect(await balance(buyer.client)).toBe(120);

    // The whole payment is refunded: the 120 unspent minutes go now; the 60 on the replacement booking are spent.
    await deliver(refunded(buyer, 9_900));
    expect(await balance(buyer.client)).toBe(0);
    // The replacement is cancelled in time: its credit returns to the pack's lot, and the refund takes it too.
    expect((await buyer.client.post(`/api/bookings/${moved.json.booking.id}/cancel`, {})).status).toBe(200);
    expect(await balance(buyer.client)).toBe(0);
    const ledger = await accountOf(env, buyer.user.id).ledger();
    expect(ledger.filter((e) => e.kind === "clawback").reduce((s, e) => [s[0]! + e.minutes, s[1]! + e.paidCents], [0, 0])).toEqual([180, 9_900]);
  });

  it("a partial refund takes back its share, and a second delivery or a smaller late report changes nothing", async () => {
    const buyer = await packBuyer();
    await deliver(refunded(buyer, 3_300));
    expect(await balance(buyer.client)).toBe(120);
    await deliver(refunded(buyer, 3_300));
    await deliver(refunded(buyer, 1_000));
    expect(await balance(buyer.client)).toBe(120);
  });
});

describe("the wallet's projection to D1", () => {
  it("arrives in the wallet's order even when steps fail, so the books never return a spend they have not booked", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    const wallet = accountOf(env, buyer.user.id);
    // Every outbox step fails once, before or after its D1 write by turns. Two bookings cancelled in the other order
    // put a spend and its return on each side of that alternation.
    await wallet.setFaults({ outbox: "every-step" });
    const a = await book(buyer.client, tutor.user.id, slotAhead(48 * 60));
    const b = await book(buyer.client, tutor.user.id, slotAhead(52 * 60));
    expect([a.status, b.status]).toEqual([201, 201]);
    for (const id of [b.json.booking.id, a.json.booking.id]) expect((await buyer.client.post(`/api/bookings/${id}/cancel`, {})).status).toBe(200);
    for (let round = 0; round < 12 && (await wallet.flush()).pending; round++) await new Promise((r) => setTimeout(r, 1_100));

    const projected = (await env.DB.prepare("SELECT seq FROM credit_ledger WHERE user_id = ? ORDER BY rowid").bind(buyer.user.id).all<{ seq: number }>()).results.map((r) => r.seq);
    expect(projected).toEqual([...projected].sort((x, y) => x - y));
    await postPending(env, new Date(Date.now() + 60_000));
    const sums = await env.DB.prepare("SELECT account, sum(amount_cents) AS s FROM journal_lines WHERE student_id = ? AND account IN ('booked_sessions', 'refunds') GROUP BY account")
      .bind(buyer.user.id)
      .all<{ account: string; s: number }>();
    // Both cancellations were in time: nothing stays booked and nothing counts as a refund of revenue.
    expect(sums.results.filter((r) => r.s !== 0)).toEqual([]);
  });
});

describe("a Stripe event and its wallet effect never diverge", () => {
  it("a clawback whose wallet fails once is retried by Stripe's redelivery and applied once", async () => {
    const buyer = await packBuyer();
    const event = refunded(buyer, 9_900);
    await accountOf(env, buyer.user.id).setFaults({ next: { op: "refundPurchase", when: "before" } });
    expect((await deliver(event)).status).toBe(500);
    // Recorded as failed, not processed: Stripe will send it again.
    expect(await env.DB.prepare("SELECT status FROM webhook_events WHERE id = ?").bind(`stripe:${event.id}`).first("status")).toBe("failed");
    expect(await balance(buyer.client)).toBe(180);
    expect((await deliver(event)).json.result).toBe("processed");
    expect(await balance(buyer.client)).toBe(0);
  });

  it("a clawback applied just before a failure is not applied twice by the redelivery", async () => {
    const buyer = await packBuyer();
    const event = refunded(buyer, 3_300);
    await accountOf(env, buyer.user.id).setFaults({ next: { op: "refundPurchase", when: "after" } });
    expect((await deliver(event)).status).toBe(500);
    expect(await balance(buyer.client)).toBe(120);
    expect((await deliver(event)).json.result).toBe("processed");
    expect((await deliver(event)).json.result).toBe("duplicate");
    expect(await balance(buyer.client)).toBe(120);
  });

  it("a plan month's grant survives a failure on either side of the wallet, once", async () => {
    const s = await signup("student");
    await s.client.post("/api/billing/checkout", { planId: "starter" });
    const customer = (await env.DB.prepare("SELECT stripe_customer_id AS c FROM students WHERE user_id = ?").bind(s.user.id).first<{ c: string }>())!.c;
    const paid = stripeEvent(
      "invoice.paid",
      invoiceObject({ customer, subscription: uid("sub"), reason: "subscription_create", lines: [{ price: "price_starter", amount: 12_000, start: sec(Date.now()), end: sec(Date.now() + 30 * DAY) }] }),
    );
    const account = accountOf(env, s.user.id);
    await account.setFaults({ next: { op: "grant", when: "before" } });
    expect((await deliver(paid)).status).toBe(500);
    expect(await balance(s.client)).toBe(0);
    await account.setFaults({ next: { op: "grant", when: "after" } });
    expect((await deliver(paid)).status).toBe(500);
    expect(await balance(s.client)).toBe(240);
    expect((await deliver(paid)).json.result).toBe("processed");
    expect(await balance(s.client)).toBe(240);
    const lots = (await credits(s.client)).grants;
    expect(lots).toMatchObject([{ funding: "paid", minutes: 240 }]);
    await settleWallet(s.user.id);
    const row = await env.DB.prepare("SELECT paid_cents, purchase_ref, funding FROM credit_ledger WHERE user_id = ? AND kind = 'grant'").bind(s.user.id).first();
    expect(row).toEqual({ paid_cents: 12_000, purchase_ref: `invoice:${paid.data.object.id}`, funding: "paid" });
  });
});

describe("disputes", () => {
  it("freezes the purchase's credit while open and releases it when won", async () => {
    const buyer = await packBuyer();
    const id = uid("dp");
    expect((await deliver(stripeEvent("charge.dispute.created", dispute(buyer, id, "needs_response")))).json.result).toBe("processed");
    const frozen = await credits(buyer.client);
    expect([frozen.balanceMinutes, frozen.frozenMinutes]).toEqual([0, 180]);
    expect(frozen.grants).toMatchObject([{ minutes: 180, frozen: true }]);
    // Not spendable while open.
    const tutor = await approvedTutor();
    expect((await book(buyer.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(402);

    await deliver(stripeEvent("charge.dispute.closed", dispute(buyer, id, "won"), sec(Date.now()) + 10));
    expect(await balance(buyer.client)).toBe(180);
    expect((await book(buyer.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(201);
  });

  it("takes back all of it when lost, a lesson it paid for cancelled first, and shows it in the admin console", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    const booked = await book(buyer.client, tutor.user.id, slotAhead(48 * 60));
    expect(booked.status).toBe(201);
    const id = uid("dp");
    await deliver(stripeEvent("charge.dispute.created", dispute(buyer, id, "needs_response")));
    // The lesson still to come is cancelled: its credit is back in the pack's lot, on hold with the rest.
    expect((await buyer.client.get(`/api/bookings/${booked.json.booking.id}`)).json.booking.status).toBe("cancelled");
    expect((await credits(buyer.client)).frozenMinutes).toBe(180);
    // A late "updated" (older than the close) must not reopen anything.
    const closedAt = sec(Date.now()) + 20;
    await deliver(stripeEvent("charge.dispute.closed", dispute(buyer, id, "lost"), closedAt));
    await deliver(stripeEvent("charge.dispute.updated", dispute(buyer, id, "under_review"), closedAt - 5));
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 0 });

    const admin = await adminClient();
    const list = (await admin.get("/api/admin/disputes")).json.disputes.filter((d: { id: string }) => d.id === id);
    expect(list).toMatchObject([{ userId: buyer.user.id, status: "lost", amountCents: 9_900, frozenMinutes: 180, clawedBackMinutes: 180, purchaseRef: `pi:${buyer.pi}` }]);
    expect(list[0].closedAt).toBeTruthy();
    expect((await admin.get("/api/admin/disputes?status=open")).json.disputes.some((d: { id: string }) => d.id === id)).toBe(false);
  });

  it("leaves a lesson already taught, and a lost dispute takes its credit when an admin refunds it later, as the admin console counts", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    const taught = await book(buyer.client, tutor.user.id, slotAhead(48 * 60));
    expect(taught.status).toBe(201);
    const start = Date.parse(taught.json.booking.start);
    await wasInRoom(taught.json.booking.id, tutor.user.id, "tutor", start, start + 3_600_000);
    await wasInRoom(taught.json.booking.id, buyer.user.id, "student", start, start + 3_600_000);
    expect((await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: taught.json.booking.id, actor: "system", now: start + 2 * 3_600_000 })).ok).toBe(true);
    await calendarOf(env, tutor.user.id).settle();
    const id = uid("dp");
    await deliver(stripeEvent("charge.dispute.created", dispute(buyer, id, "needs_response")));
    // Taught: it stays so, and only the unspent part is on hold.
    expect((await buyer.client.get(`/api/bookings/${taught.json.booking.id}`)).json.booking.status).toBe("completed");
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 120 });

    await deliver(stripeEvent("charge.dispute.closed", dispute(buyer, id, "lost"), sec(Date.now()) + 10));
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 0 });
    // An admin refunds the taught seat after the dispute was lost: its credit is taken back as it returns.
    const admin = await adminClient();
    const refund = await admin.post(`/api/admin/bookings/${taught.json.booking.id}/refund`, { studentId: buyer.user.id, reason: "goodwill" });
    expect(refund.json.refund).toMatchObject({ outcome: "refunded", minutes: 60, takenBackMinutes: 60 });
    expect(await balance(buyer.client)).toBe(0);
    await settleWallet(buyer.user.id);

    const shown = (await admin.get("/api/admin/disputes")).json.disputes.find((d: { id: string }) => d.id === id);
    // 120 unspent minutes were frozen when it opened; all 180 were taken back in the end.
    expect(shown).toMatchObject({ status: "lost", frozenMinutes: 120, clawedBackMinutes: 180 });
  });

  it("gives credit whose expiry passed while it was on hold the same 14 days a refund gets, once the dispute is won", async () => {
    const s = await signup("student");
    const t0 = Date.now();
    await fund(s.user.id, 120, { purchaseRef: "invoice:in_held", expiresAt: new Date(t0 + 2 * DAY).toISOString() });
    const account = accountOf(env, s.user.id);
    const ref = `dispute:${uid("dp")}`;
    expect((await account.openDispute({ studentId: s.user.id, ref, purchaseRefs: ["invoice:in_held"], now: t0 })).ok).toBe(true);
    // The bank decides a month later, long after the month's credit would have expired.
    const decided = t0 + 30 * DAY;
    await account.closeDispute({ studentId: s.user.id, ref, outcome: "won", now: decided });
    const view = await account.credits({ studentId: s.user.id, now: decided });
    expect(view.balanceMinutes).toBe(120);
    expect(Date.parse(view.lots[0]!.expiresAt)).toBe(decided + 14 * DAY);
    expect((await account.credits({ studentId: s.user.id, now: decided + 15 * DAY })).balanceMinutes).toBe(0);
  });

  it("finds a plan month's invoice from the disputed payment (basil invoices name their payments only at Stripe)", async () => {
    const s = await signup("student");
    await s.client.post("/api/billing/checkout", { planId: "starter" });
    const customer = (await env.DB.prepare("SELECT stripe_customer_id AS c FROM students WHERE user_id = ?").bind(s.user.id).first<{ c: string }>())!.c;
    const invoice = invoiceObject({ customer, subscription: uid("sub"), reason: "subscription_create", lines: [{ price: "price_starter", amount: 12_000, start: sec(Date.now()), end: sec(Date.now() + 30 * DAY) }] });
    await deliver(stripeEvent("invoice.paid", invoice));
    await settleWallet(s.user.id);
    const pi = uid("pi");
    await fake("/__invoice_payments", { payment_intent: pi, invoice: invoice.id });
    const res = await deliver(stripeEvent("charge.dispute.created", dispute({ pi, charge: uid("ch"), amount: 12_000 }, uid("dp"), "needs_response")));
    expect(res.json.result).toBe("processed");
    expect(await credits(s.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 240 });
  });

  it("reaches the wallet when the purchase is not in D1 yet (its projection still queued): the payer is asked of Stripe", async () => {
    const buyer = await packBuyer();
    // The wallet holds the pack; D1 does not know it yet (say its outbox is still retrying).
    await env.DB.prepare("DELETE FROM credit_ledger WHERE user_id = ?").bind(buyer.user.id).run();
    await fake("/__charges", { id: buyer.charge, customer: buyer.customerId, payment_intent: buyer.pi });
    const res = await deliver(stripeEvent("charge.dispute.created", dispute(buyer, uid("dp"), "needs_response")));
    expect(res.json.result).toBe("processed");
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 180 });
  });

  it("ignores disputes of payments that bought no credit", async () => {
    const res = await deliver(stripeEvent("charge.dispute.created", dispute({ pi: uid("pi"), charge: uid("ch"), amount: 500 }, uid("dp"), "needs_response")));
    expect(res.json.result).toBe("ignored");
  });
});

describe("a dispute of credit booked on lessons still to come", () => {
  /** A pack of 180 credit-minutes for $99, all of it booked on three 1 h lessons 72–80 h ahead (balance 0). */
  async function bookedAhead() {
    const tutor = await approvedTutor(); // $30/h: one credit-minute a minute
    const buyer = await packBuyer("pack-180", 9_900);
    const starts = [slotAhead(72 * 60), slotAhead(76 * 60), slotAhead(80 * 60)];
    const ids: string[] = [];
    for (const start of starts) {
      const res = await book(buyer.client, tutor.user.id, start);
      expect(res.status).toBe(201);
      ids.push(res.json.booking.id);
    }
    expect(await balance(buyer.client)).toBe(0);
    return { tutor, buyer, starts, ids };
  }
  const statusesOf = (client: Client, ids: string[]) => Promise.all(ids.map(async (id) => (await client.get(`/api/bookings/${id}`)).json.booking.status));

  it("a lost dispute of a pack whose credit is booked on lessons still to come does not leave those lessons paid for", async () => {
    const { tutor, buyer, starts, ids } = await bookedAhead();
    const dp = uid("dp");
    await deliver(stripeEvent("charge.dispute.created", dispute(buyer, dp, "needs_response")));
    await deliver(stripeEvent("charge.dispute.closed", dispute(buyer, dp, "lost"), sec(Date.now()) + 5));
    await calendarOf(env, tutor.user.id).settle();
    await settleWallet(buyer.user.id);

    const statuses = await statusesOf(buyer.client, ids);
    const row = await env.DB.prepare("SELECT frozen_minutes AS f, clawed_back_minutes AS c FROM credit_disputes WHERE id = ?").bind(dp).first<{ f: number; c: number }>();

    // Even were the first lesson held, the system's completion finds nothing to complete, and nothing is earned.
    const start = Date.parse(starts[0]!);
    await wasInRoom(ids[0]!, tutor.user.id, "tutor", start, start + 3_600_000);
    await wasInRoom(ids[0]!, buyer.user.id, "student", start, start + 3_600_000);
    const completed = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: ids[0]!, actor: "system", now: start + 2 * 3_600_000 });
    await calendarOf(env, tutor.user.id).settle();
    const earning = await env.DB.prepare("SELECT amount_cents AS a FROM earnings WHERE booking_id = ?").bind(ids[0]!).first<{ a: number }>();
    await postPending(env);

    expect({ statuses, frozen: row?.f, takenBack: row?.c, completed: completed.ok, earned: earning?.a ?? 0 }).toEqual({
      statuses: ["cancelled", "cancelled", "cancelled"],
      frozen: 180,
      takenBack: 180,
      completed: false,
      earned: 0,
    });
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 0 });
    // Cancelled by Tutorly, saying why, in the student's and the tutor's words alike; no penalty for the tutor.
    const detail = (await buyer.client.get(`/api/bookings/${ids[0]}`)).json;
    expect(detail.cancellation).toMatchObject({ byRole: "system", cause: "payment_disputed", reason: null });
    const strikes = await env.DB.prepare("SELECT count(*) AS n FROM reliability_events WHERE tutor_id = ? AND kind <> 'completed'").bind(tutor.user.id).first<{ n: number }>();
    expect(strikes?.n).toBe(0);
  });

  it("a won dispute gives the cancelled lessons' credit back to book again", async () => {
    const { tutor, buyer, ids } = await bookedAhead();
    const dp = uid("dp");
    await deliver(stripeEvent("charge.dispute.created", dispute(buyer, dp, "needs_response")));
    expect(await statusesOf(buyer.client, ids)).toEqual(["cancelled", "cancelled", "cancelled"]);
    // On hold while the dispute is open: not spendable.
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 180 });
    expect((await book(buyer.client, tutor.user.id, slotAhead(90 * 60))).status).toBe(402);
    // Both are told by Tutorly why; the student that the credit is on hold, not back in their balance.
    await calendarOf(env, tutor.user.id).settle();
    const told = async (userId: string) => (await env.DB.prepare("SELECT body FROM notifications WHERE user_id = ? AND kind = 'cancelled'").bind(userId).all<{ body: string }>()).results.map((r) => r.body);
    const [toStudent, toTutor] = [await told(buyer.user.id), await told(tutor.user.id)];
    expect([toStudent.length, toTutor.length]).toEqual([3, 3]);
    for (const body of [...toStudent, ...toTutor]) expect(body).toContain("disputed with the bank");
    for (const body of toStudent) expect(body).not.toContain("back in your balance");

    await deliver(stripeEvent("charge.dispute.closed", dispute(buyer, dp, "won"), sec(Date.now()) + 5));
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 180, frozenMinutes: 0 });
    expect((await book(buyer.client, tutor.user.id, slotAhead(90 * 60))).status).toBe(201);
  });

  it("a replayed dispute.created changes nothing more", async () => {
    const { tutor, buyer, ids } = await bookedAhead();
    const dp = uid("dp");
    const created = dispute(buyer, dp, "needs_response");
    expect((await deliver(stripeEvent("charge.dispute.created", created))).json.result).toBe("processed");
    await calendarOf(env, tutor.user.id).settle();
    await settleWallet(buyer.user.id);
    const ledger = (await accountOf(env, buyer.user.id).ledger()).length;
    const notices = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE user_id IN (?, ?)").bind(buyer.user.id, tutor.user.id).first<{ n: number }>();

    // Stripe sends it again under a new event id; and an admin replays the stored one.
    const again = await deliver(stripeEvent("charge.dispute.created", created));
    expect([again.status, again.json.result]).toEqual([200, "processed"]);
    const admin = await adminClient();
    const stored = await env.DB.prepare("SELECT id FROM webhook_events WHERE type = 'charge.dispute.created' AND payload LIKE ?").bind(`%${dp}%`).first<{ id: string }>();
    expect((await admin.post(`/api/admin/webhooks/${encodeURIComponent(stored!.id)}/replay`, {})).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    await settleWallet(buyer.user.id);

    expect(await statusesOf(buyer.client, ids)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect((await accountOf(env, buyer.user.id).ledger()).length).toBe(ledger);
    expect(await credits(buyer.client)).toMatchObject({ balanceMinutes: 0, frozenMinutes: 180 });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE user_id IN (?, ?)").bind(buyer.user.id, tutor.user.id).first<{ n: number }>())?.n).toBe(notices?.n);
  });
});

describe("the wallet migration (D1 ledgers written the old way)", () => {
  /** A ledger as the Worker wrote it before: refunds as lots of their own, no values, a clawback as an adjust. */
  async function oldLedger(userId: string) {
    const now = Date.now();
    const at = (ms: number) => new Date(ms).toISOString();
    const rows: [string, string, number, string | null, string | null, string | null, string | null, string | null, number][] = [
      // id, kind, minutes, lot, expires, reservation, source, reason, created
      ["g", "grant", 240, null, at(now + 30 * DAY), null, `invoice:in_old_${userId}`, "Starter · 4 hours a month (subscription_create)", now - 20 * DAY],
      ["d1", "debit", 60, "g", null, "res-a", null, null, now - 19 * DAY],
      ["r1", "refund", 60, "g", at(now + 30 * DAY), "res-a", null, "cancelled by student", now - 18 * DAY],
      ["d2", "debit", 30, "r1", null, "res-b", null, null, now - 17 * DAY],
      ["gift", "adjust", 60, null, at(now + 50 * DAY), null, null, "goodwill", now - 16 * DAY],
      ["take", "adjust", -10, "gift", null, null, null, "oops", now - 15 * DAY],
      ["old", "grant", 100, null, at(now - DAY), null, `invoice:in_older_${userId}`, "Starter (subscription_cycle)", now - 60 * DAY],
      ["d3", "debit", 40, "old", null, "res-c", null, null, now - 50 * DAY],
      ["pack", "grant", 60, null, at(now + 300 * DAY), null, `pi:pi_old_${userId}`, "pack pack-60", now - 10 * DAY],
      ["claw", "adjust", -20, "pack", null, `charge:ch_old_${userId}#20`, null, "payment refunded", now - 9 * DAY],
    ];
    await env.DB.batch(
      rows.map(([id, kind, minutes, lot, expires, reservation, source, reason, created]) =>
        env.DB.prepare("INSERT INTO credit_ledger (id, user_id, kind, minutes, lot_id, expires_at, reservation_id, source_ref, reason, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").bind(
          `${id}-${userId}`,
          userId,
          kind,
          minutes,
          lot && `${lot}-${userId}`,
          expires,
          reservation && (reservation.startsWith("charge:") ? reservation : `${reservation}-${userId}`),
          source,
          reason,
          at(created),
        ),
      ),
    );
  }

  it("moves each student's ledger into their wallet with the same balance and lots, once, however often it runs", async () => {
    const a = await signup("student");
    const b = await signup("student");
    await oldLedger(a.user.id);
    await oldLedger(b.user.id);

    const first = await importWallets(env, new Date());
    expect(first.students).toBeGreaterThanOrEqual(2);
    expect(first.remaining).toBe(false);
    // The old rules said: 180 + 30 left of the plan month (its refund lot folds back into it), 50 of the gift,
    // 40 of the pack; the older month lapsed with 60 unspent.
    for (const s of [a, b]) {
      const view = await credits(s.client);
      expect(view.balanceMinutes).toBe(300);
      expect(view.grants.map((g: { id: string; funding: string; remainingMinutes: number }) => [g.id.split("-")[0], g.funding, g.remainingMinutes])).toEqual([
        ["g", "paid", 210],
        ["gift", "promo", 50],
        ["pack", "paid", 40],
      ]);
    }
    const ledger = await accountOf(env, a.user.id).ledger();
    // Values from the catalog: the month cost $120, the pack $35 (20 of its 60 minutes were taken back).
    expect(ledger.find((e) => e.id === `g-${a.user.id}`)).toMatchObject({ paidCents: 12_000, purchaseRef: `invoice:in_old_${a.user.id}` });
    expect(ledger.find((e) => e.id === `claw-${a.user.id}`)).toMatchObject({ kind: "clawback", minutes: 20, paidCents: 1_166, ref: `charge:ch_old_${a.user.id}` });
    expect(ledger.find((e) => e.id === `old-${a.user.id}:import-expire`)).toMatchObject({ kind: "expire", minutes: 60 });

    // The D1 rows are repaired in place (the refund now names the original lot) and stamped as the wallet's.
    const rows = await env.DB.prepare("SELECT id, kind, lot_id, seq FROM credit_ledger WHERE user_id = ? ORDER BY seq").bind(a.user.id).all<{ id: string; kind: string; lot_id: string | null; seq: number | null }>();
    expect(rows.results.every((r) => r.seq !== null)).toBe(true);
    expect(rows.results.find((r) => r.id === `d2-${a.user.id}`)!.lot_id).toBe(`g-${a.user.id}`);
    expect(rows.results).toHaveLength(ledger.length);

    // Running again changes nothing: no student is left, the wallets keep their ledgers.
    const again = await importWallets(env, new Date());
    expect(again).toMatchObject({ remaining: false, unresolved: 0 });
    expect(await accountOf(env, a.user.id).ledger()).toEqual(ledger);
    expect(await accountOf(env, a.user.id).importLegacyLedger({ studentId: a.user.id, now: Date.now() })).toEqual({ imported: false });
  });

  it("imports on a wallet's first use even before the walk reaches it", async () => {
    const s = await signup("student");
    await oldLedger(s.user.id);
    expect(await balance(s.client)).toBe(300);
    await settleWallet(s.user.id);
    const left = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND seq IS NULL").bind(s.user.id).first("n");
    expect(left).toBe(0);
  });

  it("gives a wallet that lost its storage its own projection back, entry for entry", async () => {
    const s = await signup("student");
    await fund(s.user.id, 120);
    const account = accountOf(env, s.user.id);
    const reservationId = uid("r");
    await account.reserve({ studentId: s.user.id, reservationId, sessionId: uid("s"), tutorId: "t", start: Date.now() + DAY, end: Date.now() + DAY + 3_600_000, cost: 60, now: Date.now() });
    await account.release({ studentId: s.user.id, reservationId, refund: true, refundMinutes: 30, reason: "ended early", now: Date.now() });
    await settleWallet(s.user.id);
    const before = await account.ledger();
    await runInDurableObject(account, async (_, state) => {
      await state.storage.deleteAll();
    });
    await expect(runInDurableObject(account, (_, state) => state.abort("storage lost"))).rejects.toThrow();
    const restored = accountOf(env, s.user.id);
    expect(await balance(s.client)).toBe(90);
    expect((await restored.ledger()).map((e) => ({ ...e }))).toEqual(before.map((e) => ({ ...e })));
  });

  it("walks on past a student whose import keeps failing, so calling the route until nothing remains ends", async () => {
    const stuck = await signup("student");
    // A row naming a lot that does not exist: this ledger cannot be translated until someone repairs it.
    await env.DB.prepare("INSERT INTO credit_ledger (id, user_id, kind, minutes, lot_id, reservation_id, created_at) VALUES (?, ?, 'debit', 30, 'nowhere', 'res-x', ?)")
      .bind(`bad-${stuck.user.id}`, stuck.user.id, new Date().toISOString())
      .run();
    const fine = await signup("student");
    await oldLedger(fine.user.id);

    const admin = await adminClient();
    let unresolved = 0;
    let after: string | null = "";
    for (let call = 0; after !== null; call++) {
      expect(call, "the walk never ends").toBeLessThan(20);
      const res = await admin.post(`/api/admin/wallets/import${after ? `?after=${encodeURIComponent(after)}` : ""}`);
      expect(res.status).toBe(200);
      unresolved += res.json.unresolved;
      after = res.json.remaining ? res.json.next : null;
    }
    expect(unresolved).toBeGreaterThanOrEqual(1);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND seq IS NULL").bind(fine.user.id).first("n")).toBe(0);
    expect(await balance(fine.client)).toBe(300);
    // The stuck student's row is left for a person, untouched.
    expect(await env.DB.prepare("SELECT seq FROM credit_ledger WHERE id = ?").bind(`bad-${stuck.user.id}`).first("seq")).toBeNull();
  });

  it("is an admin route, one page a call", async () => {
    const admin = await adminClient();
    const res = await admin.post("/api/admin/wallets/import");
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ remaining: false });
    const s = await signup("student");
    expect((await s.client.post("/api/admin/wallets/import")).status).toBe(403);
  });
});

describe("releasing a reservation", () => {
  it("refunds part of it (a session that ended early) once, however often the calendar repeats it", async () => {
    const s = await signup("student");
    await fund(s.user.id, 60);
    const account = accountOf(env, s.user.id);
    const args = { studentId: s.user.id, reservationId: uid("r"), sessionId: uid("s"), tutorId: "t", start: Date.now() + DAY, end: Date.now() + DAY + 3_600_000, now: Date.now() };
    expect((await account.reserve({ ...args, cost: 60 })).ok).toBe(true);
    const release = { studentId: s.user.id, reservationId: args.reservationId, refund: true, refundMinutes: 45, reason: "ended early", now: Date.now() };
    const [first, again] = [await account.release(release), await account.release(release)];
    expect(first.refunded).toEqual([{ lotId: expect.any(String), minutes: 45, paidCents: 2_250, funding: "paid" }]);
    expect(again.refunded).toEqual([]);
    expect(await balance(s.client)).toBe(45);
  });
});

describe("a reservation id", () => {
  it("answers its first allocation only for the same seat: another session or tutor under that id is refused, nothing spent", async () => {
    const s = await signup("student");
    await fund(s.user.id, 120);
    const account = accountOf(env, s.user.id);
    const args = { studentId: s.user.id, reservationId: uid("r"), sessionId: uid("s"), tutorId: "t", start: Date.now() + DAY, end: Date.now() + DAY + 3_600_000, cost: 60, now: Date.now() };
    expect((await account.reserve(args)).ok).toBe(true);
    // The calendar repeating its own call gets the first answer again.
    expect(await account.reserve(args)).toMatchObject({ ok: true, allocation: [{ minutes: 60 }] });
    const later = { start: args.start + 2 * DAY, end: args.end + 2 * DAY };
    expect(await account.reserve({ ...args, ...later, sessionId: uid("s") })).toEqual({ ok: false, code: "reservation_closed" });
    expect(await account.reserve({ ...args, ...later, tutorId: "another-tutor" })).toEqual({ ok: false, code: "reservation_closed" });
    expect(await balance(s.client)).toBe(60);
  });
});

describe("a booking request's Idempotency-Key", () => {
  it("is refused for another request, nothing spent, and is forgotten after the week keys are kept", async () => {
    const s = await signup("student");
    await fund(s.user.id, 240);
    const account = accountOf(env, s.user.id);
    const now = Date.now();
    const seat = (tutorId: string, hash: string, at: number) => ({
      studentId: s.user.id,
      reservationId: uid("r"),
      sessionId: uid("s"),
      tutorId,
      start: now + 30 * DAY + at,
      end: now + 30 * DAY + at + 3_600_000,
      cost: 60,
      request: { key: "the-key", hash },
      now,
    });
    expect((await account.reserve(seat("t1", "hash-1", 0))).ok).toBe(true);
    expect(await account.reserve(seat("t2", "hash-2", DAY))).toEqual({ ok: false, code: "idempotency_key_reused" });
    expect(await account.claim({ studentId: s.user.id, claims: [{ reservationId: uid("w"), sessionId: uid("s"), tutorId: "t2", start: now + 40 * DAY, end: now + 40 * DAY + 3_600_000 }], request: { key: "the-key", hash: "hash-3" }, now })).toEqual({ busy: [], reused: true });
    expect(await balance(s.client)).toBe(180);
    // Eight days on, the key is new again (as the Worker's own keys are).
    expect((await account.reserve({ ...seat("t2", "hash-2", 2 * DAY), now: now + 8 * DAY })).ok).toBe(true);
    expect(await balance(s.client)).toBe(120);
  });
});

describe("admin adjustments", () => {
  it("take credit once per Idempotency-Key, even when the retries arrive together", async () => {
    const s = await fundedStudent(300);
    const admin = await adminClient();
    const key = { "Idempotency-Key": uid("take") };
    const body = { userId: s.user.id, minutes: -100, reason: "charged twice by mistake" };
    const answers = await Promise.all([admin.post("/api/admin/credits", body, key), admin.post("/api/admin/credits", body, key), admin.post("/api/admin/credits", body, key)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(await balance(s.client)).toBe(200);
    const takes = (await accountOf(env, s.user.id).ledger()).filter((e) => e.kind === "adjust" && e.minutes < 0);
    expect(takes.reduce((sum, e) => sum - e.minutes, 0)).toBe(100);
  });
});

describe("promotional credit", () => {
  it("is spent like any credit, and a spend answers it as promotional, worth no paid value", async () => {
    const s = await signup("student");
    const admin = await adminClient();
    await admin.post("/api/admin/credits", { userId: s.user.id, minutes: 30, reason: "welcome", expiresInDays: 5 });
    await fund(s.user.id, 60);
    const spent = await accountOf(env, s.user.id).reserve({ studentId: s.user.id, reservationId: uid("r"), sessionId: uid("s"), tutorId: "t", start: Date.now() + DAY, end: Date.now() + DAY + 3_600_000, cost: 60, now: Date.now() });
    expect(spent).toEqual({
      ok: true,
      allocation: [
        { lotId: expect.any(String), minutes: 30, paidCents: 0, funding: "promo" },
        { lotId: expect.any(String), minutes: 30, paidCents: 1_500, funding: "paid" },
      ],
      tabs: false,
    });
  });
});

describe("the wallet's reservations table, made before weekly claims", () => {
  it("is rebuilt once to allow claims, every reservation kept", async () => {
    const account = accountOf(env, `legacy-claims-${crypto.randomUUID()}`);
    const rows = await runInDurableObject(account, (_, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE reservations");
      sql.exec(
        "CREATE TABLE reservations (reservation_id TEXT PRIMARY KEY, session_id TEXT NOT NULL, tutor_id TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('active', 'released')), cost INTEGER NOT NULL DEFAULT 0)",
      );
      sql.exec("INSERT INTO reservations VALUES ('r1', 's1', 't1', 1000, 2000, 'active', 60)");
      sql.exec("DELETE FROM _schema");
      migrateStudentStorage(sql);
      sql.exec("INSERT INTO reservations (reservation_id, session_id, tutor_id, start_ms, end_ms, status) VALUES ('r2', 's2', 't1', 3000, 4000, 'claimed')");
      return sql.exec("SELECT reservation_id, status, cost FROM reservations ORDER BY reservation_id").toArray();
    });
    expect(rows).toEqual([
      { reservation_id: "r1", status: "active", cost: 60 },
      { reservation_id: "r2", status: "claimed", cost: 0 },
    ]);
  });
});

describe("the wallet's alarm", () => {
  const alarmOf = (studentId: string) => runInDurableObject(accountOf(env, studentId), (_: StudentAccount, state) => state.storage.getAlarm());
  /** The alarm once the booking's ledger entry has had its chance to reach D1 (polled: it drains after the answer). */
  async function alarmAfterDrain(studentId: string, want: "none" | "set") {
    let alarm: number | null = null;
    for (let i = 0; i < 50; i++) {
      alarm = await alarmOf(studentId);
      if ((alarm === null) === (want === "none")) return alarm;
      await new Promise((r) => setTimeout(r, 20));
    }
    return alarm;
  }

  it("does not wake a student's object again once a spend has reached D1 (the safety net goes when the drain succeeds)", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(120);
    expect((await book(s.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(201);
    expect(await alarmAfterDrain(s.user.id, "none")).toBeNull();
  });

  it("keeps the alarm while a ledger entry still waits to reach D1", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(120);
    await accountOf(env, s.user.id).setFaults({ outbox: "every-step" });
    expect((await book(s.client, tutor.user.id, slotAhead(48 * 60))).status).toBe(201);
    await new Promise((r) => setTimeout(r, 200));
    expect(await alarmOf(s.user.id)).not.toBeNull();
    await accountOf(env, s.user.id).setFaults({ outbox: "off" });
    await settleWallet(s.user.id);
  });
});
