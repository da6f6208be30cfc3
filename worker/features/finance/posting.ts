import { and, asc, eq, gt, inArray, isNotNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import {
  type LedgerFacts,
  type ReservationState,
  type TaxBack,
  type Transaction,
  ledgerTransaction,
  disputeClosed,
  disputeOpened,
  paymentReceived,
  payoutPaid,
  refundPaid,
  seatForfeited,
  sessionRecognized,
  taxGivenBack,
} from "../../../domain/books";
import { CREDIT_MINUTE_CENTS } from "../../../domain/credits/pricing";
import { commissionPercent } from "../../../platform/commission";
import { bookedCents, isPosted, cursorOf, disputePosted, moveCursor, noteError, postTransaction, refundedCents, releaseLease, takeLease } from "../../../platform/books/journal";
import { type Db, getDb } from "../../../platform/db/client";
import { bookingParticipants, bookings, creditLedger, earnings, journalLines, journalSources, payouts, webhookEvents } from "../../../platform/db/schema";
import { log } from "../../../platform/log";
import { stripeFor } from "../../integrations/stripe/client";
import { StripeEventSchema } from "../../integrations/stripe/shapes";
import { studentByCustomer } from "../billing/repo";
import { type CashFact, cashFacts, invoicePurchaseRef, packPurchaseRef } from "./stripeCash";

/**
 * The books drain: turns what happened — Stripe events (money in and out of our balance), completed sessions
 * (earnings), seats kept from late cancellations and paid payouts — into journal transactions, each posted once (the journal's key is the source
 * event) in the same D1 batch as the source's cursor. One drain runs at a time (a lease in D1), so postings that
 * read earlier ones (a refund's running total, what is still booked for a session) see them all.
 *
 * It runs on the 5-minute Cron Trigger and before the finance report is read; posting is idempotent, so running
 * it again, or over all history (the backfill), changes nothing twice.
 */
export type PostingResult = { ran: boolean; posted: number; sources: Record<string, { read: number; posted: number; error?: string }> };

const LEASE_MS = 60_000;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

type Source<T> = {
  name: string;
  /** Up to `limit` items after `after` (a rowid), each with its position and the id its posting is known by. */
  read(db: Db, after: number, limit: number): Promise<{ position: number; sourceId: string; item: T }[]>;
  /** The transaction (null: it moves no money); "later" leaves the item unhandled for the backfill to post. */
  toTransaction(db: Db, item: T, sourceId: string): Promise<Transaction | null | "later">;
};

async function drain<T>(db: Db, source: Source<T>, limit: number, now: Date) {
  const out = { read: 0, posted: 0, error: undefined as string | undefined };
  for (const { position, sourceId, item } of await source.read(db, await cursorOf(db, source.name), limit)) {
    let tx: Transaction | null | "later";
    try {
      tx = await source.toTransaction(db, item, sourceId);
    } catch (e) {
      // Stop at this item: what follows may depend on it. It is retried on the next run, and the finance page shows the error.
      out.error = String(e);
      log.error("books: cannot post", { source: source.name, position, error: out.error });
      await noteError(db, source.name, `at ${position}: ${out.error}`, now);
      break;
    }
    out.read++;
    if (tx === "later") await db.batch([moveCursor(db, source.name, position, now)]);
    else if ((await postTransaction(db, sourceId, tx, [moveCursor(db, source.name, position, now)], now)) === "posted") out.posted++;
  }
  return out;
}

// ───────────────────────── Stripe events: money in and out of our balance ─────────────────────────

function stripeEvents(env: Env): Source<{ id: string; payload: string }> {
  return {
    name: "stripe_events",
    read: async (db, after, limit) =>
      (
        await db
          .select({ rid: sql<number>`${webhookEvents}.rowid`, id: webhookEvents.id, payload: webhookEvents.payload })
          .from(webhookEvents)
          .where(and(eq(webhookEvents.provider, "stripe"), gt(sql`${webhookEvents}.rowid`, after)))
          .orderBy(asc(sql`${webhookEvents}.rowid`))
          .limit(limit)
          .all()
      ).map((r) => ({ position: r.rid, sourceId: r.id, item: r })),
    async toTransaction(db, row, id) {
      const event = StripeEventSchema.parse(JSON.parse(row.payload));
      const [fact, ...more] = cashFacts(event);
      if (more.length) throw new Error(`${id} has more than one cash fact`);
      return fact ? cashTransaction(env, db, { id, at: iso(event.created) }, fact) : null;
    },
  };
}

async function cashTransaction(env: Env, db: Db, head: { id: string; at: string }, fact: CashFact): Promise<Transaction | null> {
  switch (fact.kind) {
    case "payment": {
      const studentId = fact.userId ?? (await studentByCustomer(db, fact.customer)) ?? null;
      const cashRef = fact.cashRef ?? (fact.invoiceId ? await paymentOfInvoice(env, fact.invoiceId) : null) ?? fact.purchaseRef;
      return paymentReceived({ ...head, amountCents: fact.amountCents, taxCents: fact.taxCents, cashRef, purchaseRef: fact.purchaseRef, studentId });
    }
    case "refund": {
      // Stripe reports the charge's refunded total: post only what this event adds (an older, smaller total adds nothing).
      const amountCents = fact.refundedTotalCents - (await refundedCents(db, fact.chargeRef));
      if (amountCents <= 0) return null;
      const tax = await taxBack(db, { chargeRef: fact.chargeRef, paymentIntent: fact.paymentIntent, invoice: fact.invoice }, amountCents);
      return refundPaid({ ...head, amountCents, chargeRef: fact.chargeRef, studentId: (await studentByCustomer(db, fact.customer)) ?? null, tax });
    }
    case "dispute_opened":
      if (await disputePosted(db, fact.disputeRef, ["dispute_opened"])) return null;
      return disputeOpened({ ...head, amountCents: fact.amountCents, disputeRef: fact.disputeRef, studentId: null });
    case "dispute_won":
      if (await disputePosted(db, fact.disputeRef, ["dispute_won", "dispute_lost"])) return null;
      return disputeClosed({ ...head, amountCents: fact.amountCents, disputeRef: fact.disputeRef, won: true, studentId: null });
    case "dispute_lost": {
      if (await disputePosted(db, fact.disputeRef, ["dispute_won", "dispute_lost"])) return null;
      const tax = await taxBack(db, { chargeRef: fact.chargeRef, paymentIntent: fact.paymentIntent, invoice: null }, fact.amountCents);
      return disputeClosed({ ...head, amountCents: fact.amountCents, disputeRef: fact.disputeRef, won: false, studentId: null, tax });
    }
  }
}

/**
 * The share of a payment's tax that `amountCents` more taken back of it (a refund, a lost dispute) gives back, with
 * the purchase the tax was owed for; null when the payment had no tax, or the journal does not have it. The payment
 * is the one posted under the charge's payment intent or charge (its cash line) or its purchase (its tax line). The
 * share is cumulative: of all the money taken back of the payment — the charge's refunds so far, the disputes lost on
 * it (those that gave back tax), this one — less the tax given back before, so partial refunds give back exactly the
 * tax, never more. A refund posted before its payment (none in Stripe's order) gives back none: it stays a refund.
 */
async function taxBack(db: Db, charge: { chargeRef: string | null; paymentIntent: string | null; invoice: string | null }, amountCents: number): Promise<TaxBack | null> {
  const names = [charge.paymentIntent, charge.chargeRef, charge.paymentIntent && packPurchaseRef(charge.paymentIntent), charge.invoice && invoicePurchaseRef(charge.invoice)].filter((x): x is string => !!x);
  if (!names.length) return null;
  const payment = await db
    .select({ txId: journalLines.txId })
    .from(journalLines)
    .where(and(eq(journalLines.kind, "payment"), inArray(journalLines.ref, names)))
    .orderBy(asc(journalLines.at))
    .limit(1)
    .get();
  if (!payment) return null;
  const lines = await db.select({ account: journalLines.account, amountCents: journalLines.amountCents, ref: journalLines.ref }).from(journalLines).where(eq(journalLines.txId, payment.txId)).all();
  const taxLine = lines.find((l) => l.account === "taxes_payable" && l.amountCents < 0 && !!l.ref);
  if (!taxLine?.ref) return null;
  const purchaseRef = taxLine.ref;
  const paidCents = lines.reduce((s, l) => s + (l.account === "stripe_cash" ? l.amountCents : 0), 0);
  const given = await db
    .select({ sum: sql<number>`coalesce(sum(${journalLines.amountCents}), 0)` })
    .from(journalLines)
    .where(and(eq(journalLines.account, "taxes_payable"), eq(journalLines.ref, purchaseRef), inArray(journalLines.kind, ["refund", "dispute_lost"])))
    .get();
  const takenBefore = (charge.chargeRef ? await refundedCents(db, charge.chargeRef) : 0) + (await disputesLostOn(db, purchaseRef));
  const cents = taxGivenBack({ taxCents: -taxLine.amountCents, paidCents, takenBackCents: takenBefore + amountCents, reversedCents: given?.sum ?? 0 });
  return cents > 0 ? { cents, purchaseRef } : null;
}

/** Money lost in disputes of a purchase whose tax they gave back (their held funds, as positive cents). */
async function disputesLostOn(db: Db, purchaseRef: string): Promise<number> {
  const taxed = db
    .select({ txId: journalLines.txId })
    .from(journalLines)
    .where(and(eq(journalLines.account, "taxes_payable"), eq(journalLines.kind, "dispute_lost"), eq(journalLines.ref, purchaseRef)));
  const row = await db
    .select({ sum: sql<number>`coalesce(sum(${journalLines.amountCents}), 0)` })
    .from(journalLines)
    .where(and(eq(journalLines.account, "disputed_funds"), eq(journalLines.kind, "dispute_lost"), inArray(journalLines.txId, taxed)))
    .get();
  return -(row?.sum ?? 0) || 0;
}

/**
 * Since Stripe's 2025 API an invoice no longer names its payment in events; ask Stripe which payment intent paid
 * it, so the journal's cash line meets Stripe's charge in the reconciliation. Local mode names it in the event.
 */
async function paymentOfInvoice(env: Env, invoiceId: string): Promise<string | null> {
  const stripe = stripeFor(env);
  if (!stripe || !invoiceId.startsWith("in_")) return null;
  const { data } = await stripe.invoicePayments.list({ invoice: invoiceId, limit: 10 });
  const paid = data.find((p) => p.status === "paid") ?? data[0];
  const payment = paid?.payment;
  const ref = payment?.payment_intent ?? payment?.charge ?? null;
  return typeof ref === "string" ? ref : (ref?.id ?? null);
}

// ───────────────────────── the wallet's ledger: grants, spends, returns, expiries, clawbacks ─────────────────────────

const lot = alias(creditLedger, "lot");
const ledgerColumns = {
  rid: sql<number>`${creditLedger}.rowid`,
  entry: creditLedger,
  lotFunding: lot.funding,
  lotPurchaseRef: lot.purchaseRef,
};
type LedgerRow = { rid: number; entry: typeof creditLedger.$inferSelect; lotFunding: "paid" | "promo" | null; lotPurchaseRef: string | null };

/** A projected entry as the books read it: with its lot's funding and purchase when it takes from or returns to one. */
function factsOf(r: LedgerRow): LedgerFacts {
  const e = r.entry;
  const ownLot = e.kind === "grant" || (e.kind === "adjust" && e.minutes > 0);
  const funding = ownLot ? e.funding : r.lotFunding;
  if (!funding) throw new Error(`ledger entry ${e.id}: the lot ${e.lotId} it names is not in the projection yet`);
  return {
    id: e.id,
    studentId: e.userId,
    kind: e.kind,
    minutes: e.minutes,
    paidCents: e.paidCents,
    funding,
    purchaseRef: ownLot ? e.purchaseRef : r.lotPurchaseRef,
    reservationId: e.reservationId,
    at: e.createdAt,
  };
}

async function reservationState(db: Db, reservationId: string | null): Promise<ReservationState> {
  if (!reservationId) return { bookingId: null, bookedCents: 0, recognized: false };
  const seat = await db.select({ bookingId: bookingParticipants.bookingId }).from(bookingParticipants).where(eq(bookingParticipants.reservationId, reservationId)).get();
  const bookingId = seat?.bookingId ?? null;
  return {
    bookingId,
    bookedCents: (await bookedCents(db, [reservationId])).get(reservationId) ?? 0,
    // Its session was recognised, or the seat kept as revenue (a late cancellation): a spend reaching the books now is earned.
    recognized: (bookingId ? await isPosted(db, `session:${bookingId}`) : false) || (await isPosted(db, `forfeit:${reservationId}`)),
  };
}

async function ledgerTransactionOf(db: Db, r: LedgerRow): Promise<Transaction | null | "later"> {
  // Rows written before the wallet moved into the student's object wait for its import (it repairs them in place).
  if (r.entry.seq === null) return "later";
  const facts = factsOf(r);
  return ledgerTransaction(facts, facts.kind === "debit" || facts.kind === "refund" ? await reservationState(db, facts.reservationId) : { bookingId: null, bookedCents: 0, recognized: false });
}

/** New ledger rows, in the order they were projected. */
const ledgerEntries: Source<LedgerRow> = {
  name: "ledger",
  read: async (db, after, limit) =>
    (
      await db
        .select(ledgerColumns)
        .from(creditLedger)
        .leftJoin(lot, eq(lot.id, creditLedger.lotId))
        .where(gt(sql`${creditLedger}.rowid`, after))
        .orderBy(asc(sql`${creditLedger}.rowid`))
        .limit(limit)
        .all()
    ).map((r) => ({ position: r.rid, sourceId: `ledger:${r.entry.id}`, item: r })),
  toTransaction: (db, r) => ledgerTransactionOf(db, r),
};

/**
 * The backfill: every projected ledger row the books have not handled, whatever its place — rows that existed
 * before the journal, and old rows the wallet import repaired in place after the cursor passed them.
 */
const ledgerBackfill: Source<LedgerRow> = {
  name: "ledger_backfill",
  read: async (db, _after, limit) =>
    (
      await db
        .select(ledgerColumns)
        .from(creditLedger)
        .leftJoin(lot, eq(lot.id, creditLedger.lotId))
        .where(and(isNotNull(creditLedger.seq), sql`NOT EXISTS (SELECT 1 FROM ${journalSources} WHERE ${journalSources.id} = 'ledger:' || ${creditLedger.id})`))
        .orderBy(asc(creditLedger.userId), asc(creditLedger.seq))
        .limit(limit)
        .all()
    ).map((r) => ({ position: 0, sourceId: `ledger:${r.entry.id}`, item: r })),
  toTransaction: (db, r) => ledgerTransactionOf(db, r),
};

/** Promotional minutes spent on these reservations (debits less refunds, from promotional lots). */
async function promoMinutesSpent(db: Db, reservationIds: string[]): Promise<number> {
  if (!reservationIds.length) return 0;
  const row = await db
    .select({ minutes: sql<number>`coalesce(sum(CASE ${creditLedger.kind} WHEN 'debit' THEN ${creditLedger.minutes} ELSE -${creditLedger.minutes} END), 0)` })
    .from(creditLedger)
    .innerJoin(lot, eq(lot.id, creditLedger.lotId))
    .where(and(inArray(creditLedger.reservationId, reservationIds), inArray(creditLedger.kind, ["debit", "refund"]), eq(lot.funding, "promo")))
    .get();
  return row?.minutes ?? 0;
}

// ───────────────────────── sessions taught: revenue recognised ─────────────────────────

/**
 * A completed session is recognised this long after its earning was written: the credits its attendance gives back
 * reach the wallet's projection first (in moments, through the outboxes), so they return to unspent credit rather
 * than counting as a refund of revenue. One that comes later still balances, as a refund.
 */
export const RECOGNITION_DELAY_MS = 5 * 60_000;

function sessionsTaught(env: Env, now: Date): Source<typeof earnings.$inferSelect> {
  return {
    name: "earnings",
    async read(db, after, limit) {
      const rows = await db
        .select({ rid: sql<number>`${earnings}.rowid`, row: earnings })
        .from(earnings)
        .where(gt(sql`${earnings}.rowid`, after))
        .orderBy(asc(sql`${earnings}.rowid`))
        .limit(limit)
        .all();
      // In the order written, up to the first one not due yet: the cursor must not pass it.
      const dueBefore = new Date(now.getTime() - RECOGNITION_DELAY_MS).toISOString();
      const notDue = rows.findIndex((r) => r.row.createdAt > dueBefore);
      return (notDue < 0 ? rows : rows.slice(0, notDue)).map((r) => ({ position: r.rid, sourceId: `session:${r.row.bookingId}`, item: r.row }));
    },
    // A held earning waits for the admin's decision (the cursor passes it; `sessionsReviewed` posts it then).
    toTransaction: (db, e, id) => (e.status === "held" ? Promise.resolve("later") : recognition(env, db, e, id)),
  };
}

/** Earnings an admin decided on (approved or rejected) that the books have not recognised yet. */
function sessionsReviewed(env: Env, now: Date): Source<typeof earnings.$inferSelect> {
  return {
    name: "earnings_reviewed",
    read: async (db, _after, limit) =>
      (
        await db
          .select()
          .from(earnings)
          .where(
            and(
              isNotNull(earnings.reviewedAt),
              inArray(earnings.status, ["accrued", "rejected"]),
              lte(earnings.createdAt, new Date(now.getTime() - RECOGNITION_DELAY_MS).toISOString()),
              sql`NOT EXISTS (SELECT 1 FROM ${journalSources} WHERE ${journalSources.id} = 'session:' || ${earnings.bookingId})`,
            ),
          )
          .orderBy(asc(earnings.reviewedAt))
          .limit(limit)
          .all()
      ).map((item) => ({ position: 0, sourceId: `session:${item.bookingId}`, item })),
    toTransaction: (db, e, id) => recognition(env, db, e, id),
  };
}

/**
 * A taught session's revenue recognised: what its seats spent leaves "booked", the tutor is owed their earning and
 * the platform keeps the rest. A rejected earning (the tutor booked themselves) owes the tutor nothing: the credits
 * stay spent and the revenue is the platform's. An approved one is recognised when it was approved.
 */
async function recognition(env: Env, db: Db, e: typeof earnings.$inferSelect, id: string): Promise<Transaction | null> {
  const seats = await db
    .select({ reservationId: bookingParticipants.reservationId, studentId: bookingParticipants.studentId })
    .from(bookingParticipants)
    .where(eq(bookingParticipants.bookingId, e.bookingId))
    .all();
  const booked = await bookedCents(db, seats.map((s) => s.reservationId));
  return sessionRecognized({
    id,
    at: e.reviewedAt ?? e.createdAt,
    bookingId: e.bookingId,
    tutorId: e.tutorId,
    booked: seats.map((s) => ({ reservationId: s.reservationId, studentId: s.studentId, cents: booked.get(s.reservationId) ?? 0 })),
    promoMinutes: await promoMinutesSpent(db, seats.map((s) => s.reservationId)),
    creditMinuteCents: CREDIT_MINUTE_CENTS,
    earningCents: e.status === "rejected" ? 0 : e.amountCents,
    commissionPercent: commissionPercent(env),
  });
}

// ───────────────────────── seats kept: late cancellations, sessions that earned nothing ─────────────────────────

/** Normal runs look at sessions that started this recently or are still to come; the backfill at all of them. */
export const FORFEIT_LOOKBACK_MS = 30 * 86_400_000;

const ForfeitSchema = z.object({
  reservation_id: z.string(),
  booking_id: z.string(),
  student_id: z.string().nullable(),
  tutor_id: z.string(),
  /** When the seat was gone for good: its session's cancellation, or its end. */
  at: z.string(),
  /** The seat as the projection lists it; null for one only the journal still names (a group seat left, then taken again). */
  seat: z.enum(["confirmed", "cancelled"]).nullable(),
  booked: z.number().int(),
});
type Forfeit = z.infer<typeof ForfeitSchema>;

/**
 * Paid seats whose credit is still "booked" though it will be neither taught nor given back, once their session is
 * cancelled or over (and settled, its refunds given time to reach the books, like recognition):
 *  - a seat cancelled without a refund (the student cancelled, or left the group, inside 24 h). A refunded one is
 *    never taken: its credit comes back, at once or when the replacement offer a tutor's cancellation made ends. A
 *    seat projected before refunds were kept (null) is taken only once its session's time is over;
 *  - a seat of a completed session that earned its tutor nothing and will not (no earning row, none to write), unless
 *    attendance gives all of it back (nobody came, or the tutor's no-show);
 *  - a seat the projection no longer lists (its student left and took a seat again): only the journal names it.
 * A session with an earning is the recognition's (it takes every seat listed); one held for review waits for it.
 */
function seatsKept(now: Date, backfill: boolean): Source<Forfeit> {
  const settledBefore = new Date(now.getTime() - RECOGNITION_DELAY_MS).toISOString();
  const since = backfill ? "" : new Date(now.getTime() - FORFEIT_LOOKBACK_MS).toISOString();
  return {
    name: "forfeits",
    async read(db, _after, limit) {
      const rows = await db.all(sql`
        WITH over AS (
          SELECT b.id, b.tutor_id, b.status, b.outcome, b.tutor_earning_cents, b.end_at,
            CASE b.status WHEN 'cancelled' THEN coalesce(b.cancelled_at, b.updated_at) ELSE b.end_at END AS at,
            EXISTS (SELECT 1 FROM ${earnings} e WHERE e.booking_id = b.id) AS earned,
            EXISTS (SELECT 1 FROM ${journalSources} j WHERE j.id = 'session:' || b.id) AS recognised
          FROM ${bookings} b
          WHERE (b.status = 'cancelled' OR (b.status = 'completed' AND b.outcome IS NOT NULL))
            AND b.start_at >= ${since} AND b.updated_at <= ${settledBefore}
        ),
        seats AS (
          SELECT o.id AS booking_id, o.tutor_id, o.at, bp.reservation_id, bp.student_id, bp.status AS seat
          FROM over o JOIN ${bookingParticipants} bp ON bp.booking_id = o.id
          WHERE NOT o.earned AND (
            (bp.status = 'cancelled' AND (bp.refunded = 0 OR (bp.refunded IS NULL AND o.end_at <= ${settledBefore})))
            OR (bp.status = 'confirmed' AND o.status = 'completed' AND o.tutor_earning_cents <= 0 AND o.outcome NOT IN ('not_attended', 'tutor_no_show'))
          )
          UNION ALL
          SELECT DISTINCT o.id, o.tutor_id, o.at, jl.reservation_id, jl.student_id, NULL
          FROM over o JOIN ${journalLines} jl ON jl.booking_id = o.id AND jl.account = 'booked_sessions'
          WHERE jl.reservation_id IS NOT NULL AND (NOT o.earned OR o.recognised) AND o.end_at <= ${settledBefore}
            AND NOT EXISTS (SELECT 1 FROM ${bookingParticipants} bp WHERE bp.booking_id = o.id AND bp.reservation_id = jl.reservation_id)
        )
        SELECT * FROM (
          SELECT s.*, (SELECT -coalesce(sum(j.amount_cents), 0) FROM ${journalLines} j WHERE j.account = 'booked_sessions' AND j.reservation_id = s.reservation_id) AS booked
          FROM seats s
        ) WHERE booked > 0 AND NOT EXISTS (SELECT 1 FROM ${journalSources} js WHERE js.id = 'forfeit:' || reservation_id)
        ORDER BY at, reservation_id
        LIMIT ${limit}`);
      return rows.map((r) => {
        const item = ForfeitSchema.parse(r);
        return { position: 0, sourceId: `forfeit:${item.reservation_id}`, item };
      });
    },
    toTransaction: async (db, f, id) =>
      seatForfeited({
        id,
        at: f.at,
        reservationId: f.reservation_id,
        studentId: f.student_id,
        bookingId: f.booking_id,
        tutorId: f.tutor_id,
        // Read again: what is booked now, not when the list was read.
        bookedCents: (await bookedCents(db, [f.reservation_id])).get(f.reservation_id) ?? 0,
        cause: f.seat === "confirmed" ? "untaught" : "cancelled_late",
      }),
  };
}

// ───────────────────────── payouts: transfers to tutors ─────────────────────────

/** Paid payouts not posted yet (a payout turns paid long after it is created, so no rowid cursor here). */
const payoutsPaid: Source<typeof payouts.$inferSelect> = {
  name: "payouts",
  read: async (db, _after, limit) =>
    (
      await db
        .select()
        .from(payouts)
        .where(and(eq(payouts.status, "paid"), sql`NOT EXISTS (SELECT 1 FROM ${journalSources} WHERE ${journalSources.id} = 'payout:' || ${payouts.id})`))
        .orderBy(asc(payouts.updatedAt))
        .limit(limit)
        .all()
    ).map((item) => ({ position: 0, sourceId: `payout:${item.id}`, item })),
  toTransaction: async (_db, p, id) => payoutPaid({ id, at: p.updatedAt, amountCents: p.amountCents, tutorId: p.tutorId, transferRef: p.transferId ?? id }),
};

/** Posts what is pending in every source, in order (money in before what spends it), up to `limit` items each. */
export async function postPending(env: Env, now = new Date(), opts: { limit?: number; backfill?: boolean } = {}): Promise<PostingResult> {
  const limit = opts.limit ?? 500;
  const db = getDb(env);
  const holder = crypto.randomUUID();
  if (!(await takeLease(db, holder, now.getTime(), now.getTime() + LEASE_MS))) return { ran: false, posted: 0, sources: {} };
  try {
    const sources: PostingResult["sources"] = {};
    sources.stripe_events = await drain(db, stripeEvents(env), limit, now);
    sources.ledger = await drain(db, ledgerEntries, limit, now);
    if (opts.backfill) sources.ledger_backfill = await drain(db, ledgerBackfill, limit, now);
    sources.earnings = await drain(db, sessionsTaught(env, now), limit, now);
    sources.earnings_reviewed = await drain(db, sessionsReviewed(env, now), limit, now);
    sources.forfeits = await drain(db, seatsKept(now, !!opts.backfill), limit, now);
    sources.payouts = await drain(db, payoutsPaid, limit, now);
    const posted = Object.values(sources).reduce((s, x) => s + x.posted, 0);
    return { ran: true, posted, sources };
  } finally {
    await releaseLease(db, holder);
  }
}
