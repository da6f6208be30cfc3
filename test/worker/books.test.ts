import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { type AccountId, shownBalance } from "../../domain/books";
import { foldLedger } from "../../domain/credits";
import { postTransaction } from "../../platform/books/journal";
import { getDb } from "../../platform/db/client";
import { isUniqueViolation } from "../../platform/db/errors";
import { journalSources } from "../../platform/db/schema";
import { RECOGNITION_DELAY_MS, postPending } from "../../worker/features/finance/posting";
import { completePastSessions } from "../../worker/jobs/completeSessions";
import { expireCredits } from "../../worker/jobs/expireCredits";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import { type Client, adminClient, approvedTutor, balance, fund, settleWallet, signup, slotAhead, uniqueEmail, wasInRoom } from "./helpers";
import { chargeRefunded, deliver, disputeOf, fake, packBuyer as buyPack, sec, stripeEvent, uid } from "./stripeHelpers";

/** A student who bought a pack at Stripe Checkout, once wallet and books have it. */
const packBuyer = (packId?: string, amount?: number, taxCents?: number) => buyPack(packId, amount, (id) => settle(id), taxCents);

/**
 * The journal written from the wallet's ledger: every grant, spend, return, expiry and clawback of a student is a
 * balanced transaction, and the books agree with the wallet — unspent paid credit is exactly the value the
 * student's lots still hold.
 */
const DAY = 86_400_000;

/** An account's balance as read (positive when healthy), over the lines matching `where`. */
async function balanceOf(account: AccountId, where: { studentId?: string; ref?: string; reservationId?: string; bookingId?: string } = {}) {
  const conds = ["account = ?", ...Object.keys(where).map((k) => `${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} = ?`)];
  const row = await env.DB.prepare(`SELECT coalesce(sum(amount_cents), 0) AS s FROM journal_lines WHERE ${conds.join(" AND ")}`)
    .bind(account, ...Object.values(where))
    .first<{ s: number }>();
  return shownBalance(account, row!.s);
}

/** The paid value the student's lots still hold, as their wallet says (frozen and not-yet-expired lots included). */
async function unspentPaidCents(studentId: string) {
  await settleWallet(studentId);
  const { all } = foldLedger(await accountOf(env, studentId).ledger(), new Date());
  return all.reduce((s, l) => s + l.remainingCents, 0);
}

async function unbalanced() {
  return (await env.DB.prepare("SELECT tx_id FROM journal_lines GROUP BY tx_id HAVING sum(amount_cents) != 0").all()).results;
}

/** Settles the wallet and the books. */
async function settle(studentId: string, now = new Date()) {
  await settleWallet(studentId);
  await postPending(env, now);
}

const book = (client: Client, tutorId: string, start: string) => client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics" });

beforeEach(async () => {
  await fake("/__reset", {});
});

describe("the journal follows the wallet", () => {
  it("a pack: paid, credited, spent, given back on cancelling; unspent paid credit always equals the wallet's", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    const me = { studentId: buyer.user.id };
    expect(await balanceOf("payments_clearing", { ref: `pi:${buyer.pi}` })).toBe(0);
    expect(await balanceOf("deferred_revenue", me)).toBe(9_900);

    const booked = await book(buyer.client, tutor.user.id, slotAhead(72 * 60));
    expect(booked.status).toBe(201);
    await settle(buyer.user.id);
    const spent = 9_900 - (await unspentPaidCents(buyer.user.id));
    expect(spent).toBeGreaterThan(0);
    expect(await balanceOf("deferred_revenue", me)).toBe(9_900 - spent);
    expect(await balanceOf("booked_sessions", me)).toBe(spent);

    expect((await buyer.client.post(`/api/bookings/${booked.json.booking.id}/cancel`, {})).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    await settle(buyer.user.id);
    expect(await balanceOf("booked_sessions", me)).toBe(0);
    expect(await balanceOf("deferred_revenue", me)).toBe(await unspentPaidCents(buyer.user.id));
    expect(await unbalanced()).toEqual([]);
  });

  it("tax a payment included is owed apart: the credit is worth what was paid before tax", async () => {
    const buyer = await packBuyer("pack-180", 10_494, 594);
    expect(await balanceOf("stripe_cash", { ref: buyer.pi })).toBe(10_494);
    expect(await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` })).toBe(594);
    expect(await balanceOf("payments_clearing", { ref: `pi:${buyer.pi}` })).toBe(0);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(9_900);
  });

  it("a Stripe refund: the money out, the unspent credit taken back; refunds cost only what was already spent", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer();
    expect((await book(buyer.client, tutor.user.id, slotAhead(96 * 60))).status).toBe(201);
    await settle(buyer.user.id);
    const spent = 9_900 - (await unspentPaidCents(buyer.user.id));
    await deliver(chargeRefunded(buyer, 9_900));
    await settle(buyer.user.id);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(0);
    expect(await balanceOf("refunds", { studentId: buyer.user.id })).toBe(spent);
    expect(await balanceOf("stripe_cash", { ref: buyer.charge })).toBe(-9_900);
  });

  it("a lost dispute: the money held then gone, less the unspent credit taken back", async () => {
    const buyer = await packBuyer("pack-60", 3_500);
    const dp = uid("dp");
    const dispute = (status: string) => disputeOf(buyer, dp, status);
    await deliver(stripeEvent("charge.dispute.created", dispute("needs_response")));
    await settle(buyer.user.id);
    expect(await balanceOf("disputed_funds", { ref: dp })).toBe(3_500);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(3_500); // frozen, still owed
    await deliver(stripeEvent("charge.dispute.closed", dispute("lost"), Math.floor(Date.now() / 1000) + 5));
    await settle(buyer.user.id);
    expect(await balanceOf("disputed_funds", { ref: dp })).toBe(0);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(0);
    const losses = (await env.DB.prepare("SELECT coalesce(sum(amount_cents), 0) AS s FROM journal_lines WHERE account = 'dispute_losses' AND (ref = ? OR student_id = ?)").bind(dp, buyer.user.id).first<{ s: number }>())!.s;
    expect(losses).toBe(0); // nothing was spent: the credit taken back covers the whole lost amount
  });

  it("expired paid credit is breakage; promotional credit moves no money", async () => {
    const s = await signup("student");
    await fund(s.user.id, 60, { paidCents: 3_000, expiresAt: new Date(Date.now() + DAY).toISOString() });
    const admin = await adminClient();
    expect((await admin.post("/api/admin/credits", { userId: s.user.id, minutes: 30, reason: "welcome gift" })).status).toBe(201);
    await settle(s.user.id);
    expect(await balanceOf("deferred_revenue", { studentId: s.user.id })).toBe(3_000);
    await expireCredits(env, new Date(Date.now() + 2 * DAY));
    await settle(s.user.id);
    expect(await balanceOf("deferred_revenue", { studentId: s.user.id })).toBe(0);
    expect(await balanceOf("breakage", { studentId: s.user.id })).toBe(3_000);
  });

  it("a session taught: booked credit becomes the tutor's earning and the platform's commission", async () => {
    const tutor = await approvedTutor();
    expect((await tutor.client.put("/api/tutors/me/profile", { bio: "Test tutor", subjects: ["mathematics"], hourlyRateCents: 3_000, timezone: "UTC" })).status).toBe(200);
    const s = await signup("student");
    await fund(s.user.id, 600, { paidCents: 30_000 });
    const start = slotAhead(48 * 60);
    const booked = await book(s.client, tutor.user.id, start);
    expect(booked.status).toBe(201);
    await settle(s.user.id);
    const spent = await balanceOf("booked_sessions", { bookingId: booked.json.booking.id });
    // Taught: tutor and student were in the room for the hour (a session nobody attended earns nothing).
    await wasInRoom(booked.json.booking.id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + 3_600_000);
    await wasInRoom(booked.json.booking.id, s.user.id, "student", Date.parse(start), Date.parse(start) + 3_600_000);
    const after = Date.parse(start) + 2 * 3_600_000;
    expect((await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: booked.json.booking.id, actor: "system", now: after })).ok).toBe(true);
    await calendarOf(env, tutor.user.id).settle();
    // Recognised only once what attendance gives back has had time to reach the books.
    await settle(s.user.id);
    expect(await env.DB.prepare("SELECT id FROM journal_sources WHERE id = ?").bind(`session:${booked.json.booking.id}`).first()).toBeNull();
    await settle(s.user.id, new Date(Date.now() + RECOGNITION_DELAY_MS + 1_000));
    const earning = (await env.DB.prepare("SELECT amount_cents AS a FROM earnings WHERE booking_id = ?").bind(booked.json.booking.id).first<{ a: number }>())!.a;
    const session = { bookingId: booked.json.booking.id };
    expect(await balanceOf("booked_sessions", session)).toBe(0);
    expect(await balanceOf("tutor_payable", session)).toBe(earning);
    expect(await balanceOf("earned_revenue", session)).toBe(spent - earning);
    expect(earning).toBeLessThanOrEqual(Math.floor((spent * 80) / 100));
    expect(await balanceOf("earning_overrun", session)).toBe(0);
  });

  it("a session ended early pays the tutor no more than the credit the student keeps is worth, when promotional and paid credit paid for it", async () => {
    const tutor = await approvedTutor();
    expect((await tutor.client.put("/api/tutors/me/profile", { bio: "Test tutor", subjects: ["mathematics"], hourlyRateCents: 3_000, timezone: "UTC" })).status).toBe(200);
    const s = await signup("student");
    // 30 promotional minutes that expire first (spent first), then 30 paid minutes worth more than their nominal value.
    await accountOf(env, s.user.id).grant({ studentId: s.user.id, grantId: uid("gift"), kind: "adjust", minutes: 30, funding: "promo", paidCents: 0, purchaseRef: null, expiresAt: new Date(Date.now() + 20 * DAY).toISOString(), reason: "gift", now: Date.now() });
    await fund(s.user.id, 30, { paidCents: 1_750, expiresAt: new Date(Date.now() + 300 * DAY).toISOString() });
    const start = slotAhead(48 * 60);
    const booked = await book(s.client, tutor.user.id, start);
    expect(booked.status).toBe(201);
    // Fixed at booking: 80 % of 1,750 ¢ paid plus 80 % of 30 promotional minutes at 50 ¢.
    expect(booked.json.booking.tutorEarningCents).toBeUndefined();
    const id = booked.json.booking.id;
    expect((await calendarOf(env, tutor.user.id).getSession(id))!.booking.tutorEarningCents).toBe(1_400 + 1_200);

    // Half of it taught: the student gets 30 minutes back, from the slice taken last (the paid one), and keeps the promotional half.
    const at = Date.parse(start);
    await wasInRoom(id, tutor.user.id, "tutor", at, at + 30 * 60_000 + 20_000);
    await wasInRoom(id, s.user.id, "student", at, at + 30 * 60_000 + 20_000);
    expect((await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: id, actor: { id: tutor.user.id, role: "tutor" }, now: at + 30 * 60_000 + 20_000 })).ok).toBe(true);
    await calendarOf(env, tutor.user.id).settle();
    await settle(s.user.id, new Date(Date.now() + RECOGNITION_DELAY_MS + 60_000));
    const earning = (await env.DB.prepare("SELECT amount_cents AS a, outcome FROM earnings WHERE booking_id = ?").bind(id).first<{ a: number; outcome: string }>())!;
    expect(earning).toEqual({ a: 1_200, outcome: "ended_early" });
    expect((await calendarOf(env, tutor.user.id).getSession(id))!.booking.tutorEarningCents).toBe(1_200);
    expect(await balanceOf("tutor_payable", { bookingId: id })).toBe(1_200);
    expect(await balanceOf("promotional_cost", { bookingId: id })).toBe(1_200);
    expect(await balanceOf("earning_overrun", { bookingId: id })).toBe(0);
  });

  it("a session held for review is recognised once an admin decides: approved, the tutor is owed it; rejected, the revenue stays the platform's", async () => {
    // The tutor books themselves from a second account on the same mailbox: each session's earning is held.
    const mailbox = uniqueEmail("held.tutor").replace("@example.com", "@gmail.com");
    const tutor = await approvedTutor({ email: mailbox });
    const self = await signup("student", { email: `${mailbox.split("@")[0]!.replaceAll(".", "")}+me@gmail.com` });
    await fund(self.user.id, 600, { paidCents: 30_000 });
    const admin = await adminClient();
    const later = () => new Date(Date.now() + RECOGNITION_DELAY_MS + 1_000);
    const taught = async (hoursAhead: number) => {
      const start = slotAhead(hoursAhead * 60);
      const booked = await book(self.client, tutor.user.id, start);
      expect(booked.status).toBe(201);
      const id: string = booked.json.booking.id;
      await wasInRoom(id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + 3_600_000);
      await wasInRoom(id, self.user.id, "student", Date.parse(start), Date.parse(start) + 3_600_000);
      expect((await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: id, actor: "system", now: Date.parse(start) + 2 * 3_600_000 })).ok).toBe(true);
      await calendarOf(env, tutor.user.id).settle();
      return id;
    };
    const approved = await taught(48);
    const rejected = await taught(50);
    await settle(self.user.id, later());
    const spent = await balanceOf("booked_sessions", { bookingId: approved });
    expect(spent).toBeGreaterThan(0);
    for (const bookingId of [approved, rejected]) {
      // Held: not recognised, nobody owed anything yet.
      expect(await balanceOf("booked_sessions", { bookingId })).toBe(spent);
      expect(await balanceOf("tutor_payable", { bookingId })).toBe(0);
    }
    const held = (await admin.get("/api/admin/earnings/held")).json.earnings as { id: string; bookingId: string; amountCents: number }[];
    const decide = (bookingId: string, decision: "approve" | "reject") => admin.post(`/api/admin/earnings/${held.find((e) => e.bookingId === bookingId)!.id}/${decision}`);
    expect((await decide(approved, "approve")).status).toBe(200);
    expect((await decide(rejected, "reject")).status).toBe(200);
    await settle(self.user.id, later());
    const earning = held.find((e) => e.bookingId === approved)!.amountCents;
    expect(await balanceOf("booked_sessions", { bookingId: approved })).toBe(0);
    expect(await balanceOf("tutor_payable", { bookingId: approved })).toBe(earning);
    expect(await balanceOf("earned_revenue", { bookingId: approved })).toBe(spent - earning);
    expect(await balanceOf("booked_sessions", { bookingId: rejected })).toBe(0);
    expect(await balanceOf("tutor_payable", { bookingId: rejected })).toBe(0);
    expect(await balanceOf("earned_revenue", { bookingId: rejected })).toBe(spent);
    expect(await unbalanced()).toEqual([]);
    // Posted once: another drain changes nothing.
    const lines = async () => (await env.DB.prepare("SELECT count(*) AS n FROM journal_lines WHERE booking_id IN (?, ?)").bind(approved, rejected).first<{ n: number }>())!.n;
    const before = await lines();
    await settle(self.user.id, later());
    expect(await lines()).toBe(before);
  });

  it("posting again, or the backfill over all history, posts nothing twice", async () => {
    const buyer = await packBuyer();
    const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM journal_lines").first<{ n: number }>())!.n;
    const before = await count();
    await postPending(env);
    await postPending(env, new Date(), { backfill: true });
    expect(await count()).toBe(before);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(9_900);
  });
});

/**
 * Tax a payment included is owed to the authorities only while the payment stands: money given back (a refund) or
 * taken back (a lost dispute) gives back its share of the tax, so neither the tax owed nor the refunds and losses
 * keep a cent of it.
 */
describe("tax on a refunded or lost payment", () => {
  it("a full refund of an unspent pack that included tax leaves no tax owed and costs no refund", async () => {
    const buyer = await packBuyer("pack-180", 10_494, 594);
    expect(await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` })).toBe(594);
    expect((await deliver(chargeRefunded(buyer, 10_494))).status).toBe(200);
    await settle(buyer.user.id);
    expect(await balance(buyer.client)).toBe(0);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(0);
    expect(await balanceOf("stripe_cash", { ref: buyer.charge })).toBe(-10_494);
    expect({
      refunds: await balanceOf("refunds", { studentId: buyer.user.id }),
      taxOwed: await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` }),
    }).toEqual({ refunds: 0, taxOwed: 0 });
    expect(await unbalanced()).toEqual([]);
  });

  it("a lost dispute of an unspent pack that included tax leaves no tax owed and no loss beyond what was spent", async () => {
    const buyer = await packBuyer("pack-180", 10_494, 594);
    const dp = uid("dp");
    const dispute = (status: string) => ({ ...disputeOf(buyer, dp, status), amount: 10_494 });
    await deliver(stripeEvent("charge.dispute.created", dispute("needs_response")));
    await settle(buyer.user.id);
    expect(await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` })).toBe(594); // open: the money is held, the tax still owed
    await deliver(stripeEvent("charge.dispute.closed", dispute("lost"), sec(Date.now()) + 5));
    await settle(buyer.user.id);
    expect(await balance(buyer.client)).toBe(0);
    const losses = (await env.DB.prepare("SELECT coalesce(sum(amount_cents), 0) AS s FROM journal_lines WHERE account = 'dispute_losses' AND (ref = ? OR student_id = ?)").bind(dp, buyer.user.id).first<{ s: number }>())!.s;
    expect({ losses, taxOwed: await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` }) }).toEqual({ losses: 0, taxOwed: 0 });
    expect(await balanceOf("disputed_funds", { ref: dp })).toBe(0);
    expect(await unbalanced()).toEqual([]);
  });

  it("a won dispute of a pack that included tax leaves the tax owed", async () => {
    const buyer = await packBuyer("pack-180", 10_494, 594);
    const dp = uid("dp");
    const dispute = (status: string) => ({ ...disputeOf(buyer, dp, status), amount: 10_494 });
    await deliver(stripeEvent("charge.dispute.created", dispute("needs_response")));
    await deliver(stripeEvent("charge.dispute.closed", dispute("won"), sec(Date.now()) + 5));
    await settle(buyer.user.id);
    expect(await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` })).toBe(594);
    expect(await balanceOf("disputed_funds", { ref: dp })).toBe(0);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(9_900);
    expect(await unbalanced()).toEqual([]);
  });

  it("partial refunds give back their share of the tax, and together exactly all of it", async () => {
    const buyer = await packBuyer("pack-180", 10_494, 594);
    expect((await deliver(chargeRefunded(buyer, 3_000))).status).toBe(200);
    await settle(buyer.user.id);
    // 594 × 3,000 / 10,494 = 169.8: 170 of the tax given back with the first refund.
    expect(await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` })).toBe(424);
    expect((await deliver(chargeRefunded(buyer, 10_494))).status).toBe(200);
    await settle(buyer.user.id);
    expect(await balanceOf("stripe_cash", { ref: buyer.charge })).toBe(-10_494);
    expect({
      refunds: await balanceOf("refunds", { studentId: buyer.user.id }),
      taxOwed: await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` }),
      unspent: await balanceOf("deferred_revenue", { studentId: buyer.user.id }),
    }).toEqual({ refunds: 0, taxOwed: 0, unspent: 0 });
    expect(await unbalanced()).toEqual([]);
  });

  it("a partial refund, then a lost dispute of the rest, give back all the tax and no more", async () => {
    const buyer = await packBuyer("pack-180", 10_494, 594);
    expect((await deliver(chargeRefunded(buyer, 3_000))).status).toBe(200);
    await settle(buyer.user.id);
    const dp = uid("dp");
    const dispute = (status: string) => ({ ...disputeOf(buyer, dp, status), amount: 7_494 });
    await deliver(stripeEvent("charge.dispute.created", dispute("needs_response")));
    await deliver(stripeEvent("charge.dispute.closed", dispute("lost"), sec(Date.now()) + 5));
    await settle(buyer.user.id);
    const expense = (await env.DB.prepare("SELECT coalesce(sum(amount_cents), 0) AS s FROM journal_lines WHERE account IN ('refunds', 'dispute_losses') AND (ref IN (?, ?) OR student_id = ?)").bind(dp, buyer.charge, buyer.user.id).first<{ s: number }>())!.s;
    expect({ expense, taxOwed: await balanceOf("taxes_payable", { ref: `pi:${buyer.pi}` }), unspent: await balanceOf("deferred_revenue", { studentId: buyer.user.id }) }).toEqual({ expense: 0, taxOwed: 0, unspent: 0 });
    expect(await unbalanced()).toEqual([]);
  });
});

/**
 * A paid seat whose credit is neither taught nor given back — the student cancelled inside 24 h, or left a group that
 * late — is the platform's once its session is cancelled or over: revenue (a late-cancellation fee), not "booked".
 */
describe("a paid seat kept from a late cancellation", () => {
  const later = () => new Date(Date.now() + 7 * DAY);
  /** The passing of time: past sessions completed, calendars settled, the books posted (over all history, thrice). */
  async function timePasses(tutorId: string, studentIds: string[]) {
    await completePastSessions(env, later());
    await calendarOf(env, tutorId).settle();
    for (const id of studentIds) await settleWallet(id);
    for (let i = 0; i < 3; i++) await postPending(env, later(), { backfill: true });
  }
  const seatOf = (bookingId: string, studentId: string) => ({ bookingId, studentId });
  const openGroup = async (tutor: { client: Client }) => {
    const g = await tutor.client.post("/api/tutors/me/group-sessions", { start: slotAhead(180), durationMinutes: 60, subject: "mathematics", seats: 4 });
    expect(g.status).toBe(201);
    return { id: g.json.booking.id as string, start: g.json.booking.start as string };
  };
  const join = async (s: { client: Client }, tutorId: string, start: string) =>
    expect((await s.client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics", group: true })).status).toBe(201);

  it("its paid credit leaves 'Booked, not yet taught' as session revenue once the lesson is cancelled", async () => {
    const tutor = await approvedTutor();
    const buyer = await packBuyer("pack-180", 9_900);
    const booked = await book(buyer.client, tutor.user.id, slotAhead(180));
    expect(booked.status).toBe(201);
    const id = booked.json.booking.id as string;
    expect((await buyer.client.post(`/api/bookings/${id}/cancel`, { reason: "cannot make it" })).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    await settleWallet(buyer.user.id);
    expect(await balance(buyer.client)).toBe(120);
    await timePasses(tutor.user.id, [buyer.user.id]);
    expect(await balanceOf("booked_sessions", { bookingId: id })).toBe(0);
    expect(await balanceOf("earned_revenue", { bookingId: id })).toBe(3_300);
    expect(await balanceOf("refunds", { bookingId: id })).toBe(0);
    expect(await balanceOf("deferred_revenue", { studentId: buyer.user.id })).toBe(await unspentPaidCents(buyer.user.id));
    expect(await unbalanced()).toEqual([]);
    // Posted once: the next drains change nothing.
    const lines = async () => (await env.DB.prepare("SELECT count(*) AS n FROM journal_lines WHERE booking_id = ?").bind(id).first<{ n: number }>())!.n;
    const before = await lines();
    await postPending(env, later(), { backfill: true });
    expect(await lines()).toBe(before);
  });

  it("a group seat left inside 24 h, the group then cancelled by its tutor: the seat's paid credit is revenue, the others' is given back", async () => {
    const tutor = await approvedTutor();
    const [a, b] = [await packBuyer("pack-180", 9_900), await packBuyer("pack-180", 9_900)];
    const g = await openGroup(tutor);
    for (const s of [a, b]) await join(s, tutor.user.id, g.start);
    expect((await a.client.post(`/api/bookings/${g.id}/cancel`, {})).status).toBe(200);
    expect((await tutor.client.post(`/api/bookings/${g.id}/cancel`, { reason: "too few" })).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    // b declines the replacements their tutor's cancellation offered: refunded.
    const offers = (await b.client.get("/api/offers")).json.offers as { id: string; status: string }[];
    for (const o of offers.filter((x) => x.status === "open")) expect((await b.client.post(`/api/offers/${o.id}/decline`, {})).status).toBe(200);
    await timePasses(tutor.user.id, [a.user.id, b.user.id]);
    expect(await balanceOf("booked_sessions", seatOf(g.id, a.user.id))).toBe(0);
    expect(await balanceOf("earned_revenue", seatOf(g.id, a.user.id))).toBe(1_650);
    expect(await balanceOf("booked_sessions", seatOf(g.id, b.user.id))).toBe(0);
    expect(await balanceOf("earned_revenue", seatOf(g.id, b.user.id))).toBe(0);
    expect(await balanceOf("refunds", { bookingId: g.id })).toBe(0);
    expect(await unbalanced()).toEqual([]);
  });

  it("a group seat left inside 24 h, and nobody came to the group: the seat left is revenue, the seat kept is refunded", async () => {
    const tutor = await approvedTutor();
    const [a, b] = [await packBuyer("pack-180", 9_900), await packBuyer("pack-180", 9_900)];
    const g = await openGroup(tutor);
    for (const s of [a, b]) await join(s, tutor.user.id, g.start);
    expect((await a.client.post(`/api/bookings/${g.id}/cancel`, {})).status).toBe(200);
    await timePasses(tutor.user.id, [a.user.id, b.user.id]);
    expect((await env.DB.prepare("SELECT status, outcome FROM bookings WHERE id = ?").bind(g.id).first())).toEqual({ status: "completed", outcome: "not_attended" });
    expect(await balanceOf("booked_sessions", { bookingId: g.id })).toBe(0);
    expect(await balanceOf("earned_revenue", seatOf(g.id, a.user.id))).toBe(1_650);
    expect(await balanceOf("earned_revenue", seatOf(g.id, b.user.id))).toBe(0);
    expect(await balanceOf("refunds", { bookingId: g.id })).toBe(0);
    expect(await unbalanced()).toEqual([]);
  });

  it("a group seat left inside 24 h and taken again, the group then cancelled by its tutor: the seat left is revenue though the listing names only the new one", async () => {
    const tutor = await approvedTutor();
    const a = await packBuyer("pack-180", 9_900);
    const g = await openGroup(tutor);
    await join(a, tutor.user.id, g.start);
    await calendarOf(env, tutor.user.id).settle();
    await settle(a.user.id);
    expect((await a.client.post(`/api/bookings/${g.id}/cancel`, {})).status).toBe(200);
    await join(a, tutor.user.id, g.start);
    expect((await tutor.client.post(`/api/bookings/${g.id}/cancel`, { reason: "too few" })).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    const offers = (await a.client.get("/api/offers")).json.offers as { id: string; status: string }[];
    for (const o of offers.filter((x) => x.status === "open")) expect((await a.client.post(`/api/offers/${o.id}/decline`, {})).status).toBe(200);
    await timePasses(tutor.user.id, [a.user.id]);
    expect(await balanceOf("booked_sessions", { bookingId: g.id })).toBe(0);
    expect(await balanceOf("earned_revenue", { bookingId: g.id })).toBe(1_650);
    expect(await balanceOf("refunds", { bookingId: g.id })).toBe(0);
    expect(await balanceOf("deferred_revenue", { studentId: a.user.id })).toBe(await unspentPaidCents(a.user.id));
  });

  it("a lesson its tutor cancelled keeps its credit booked while the student may still take a replacement: never counted as revenue", async () => {
    const subject = `subject-${crypto.randomUUID().slice(0, 8)}`;
    const tutor = await approvedTutor({ subjects: [subject] });
    await approvedTutor({ subjects: [subject] }); // free at that time: the student is offered a replacement
    const buyer = await packBuyer("pack-180", 9_900);
    const booked = await buyer.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(180), durationMinutes: 60, subject });
    expect(booked.status).toBe(201);
    const id = booked.json.booking.id as string;
    expect((await tutor.client.post(`/api/bookings/${id}/cancel`, { reason: "ill" })).status).toBe(200);
    await calendarOf(env, tutor.user.id).settle();
    expect(((await buyer.client.get("/api/offers")).json.offers as { status: string }[]).map((o) => o.status)).toContain("open");
    await timePasses(tutor.user.id, [buyer.user.id]);
    // The offer still holds the credit (its cut-off is the student account's to enforce): still booked, not earned.
    expect(await balanceOf("booked_sessions", { bookingId: id })).toBe(3_300);
    expect(await balanceOf("earned_revenue", { bookingId: id })).toBe(0);
    const offers = (await buyer.client.get("/api/offers")).json.offers as { id: string; status: string }[];
    for (const o of offers.filter((x) => x.status === "open")) expect((await buyer.client.post(`/api/offers/${o.id}/decline`, {})).status).toBe(200);
    await timePasses(tutor.user.id, [buyer.user.id]);
    expect(await balanceOf("booked_sessions", { bookingId: id })).toBe(0);
    expect(await balanceOf("earned_revenue", { bookingId: id })).toBe(0);
    expect(await balanceOf("refunds", { bookingId: id })).toBe(0);
  });
});

describe("a repeated posting", () => {
  it("is refused by D1 and recognised whether drizzle wraps the error (a single insert) or not (a batch)", async () => {
    const db = getDb(env);
    const sourceId = `test:${uid("src")}`;
    expect(await postTransaction(db, sourceId, null)).toBe("nothing");
    expect(await postTransaction(db, sourceId, null)).toBe("duplicate");
    const again = { id: sourceId, kind: "none", lines: 0, postedAt: new Date().toISOString() } as const;
    const wrapped = await db.insert(journalSources).values(again).catch((e: unknown) => e);
    // drizzle's "Failed query: …" names neither the constraint nor the table's column: only its `cause` does.
    expect(String(wrapped)).not.toContain("UNIQUE constraint failed");
    expect(isUniqueViolation(wrapped, "journal_sources.id")).toBe(true);
    expect(isUniqueViolation(wrapped, "journal_sources")).toBe(true);
    const batched = await db.batch([db.insert(journalSources).values(again)]).catch((e: unknown) => e);
    expect(isUniqueViolation(batched, "journal_sources.id")).toBe(true);
    expect(isUniqueViolation(wrapped, "journal_lines")).toBe(false);
    expect(isUniqueViolation(wrapped, "journal_sources.kind")).toBe(false);
    expect(isUniqueViolation(new Error("D1_ERROR: no such table: journal_sources"), "journal_sources")).toBe(false);
  });
});
