import type { AccountId } from "./accounts";

/**
 * One money event as a balanced journal transaction. Lines carry the facts later postings and the reconciliation
 * look things up by: the outside object (`ref`: a Stripe object or purchase), the student, tutor, booking and
 * reservation.
 */
export type Line = {
  account: AccountId;
  /** Integer cents: positive debits, negative credits. */
  amountCents: number;
  ref?: string | null;
  studentId?: string | null;
  tutorId?: string | null;
  bookingId?: string | null;
  reservationId?: string | null;
};

export type TxKind =
  | "payment"
  | "grant"
  | "spend"
  | "return"
  | "expiry"
  | "withdrawal"
  | "clawback"
  | "refund"
  | "dispute_opened"
  | "dispute_won"
  | "dispute_lost"
  | "recognition"
  | "forfeit"
  | "payout"
  | "payout_reversed";

export type Transaction = {
  /** The source event it is posted from ("ledger:<entry>", "stripe:<event>", "session:<booking>", "forfeit:<reservation>", "payout:<id>"). */
  id: string;
  kind: TxKind;
  /** When the money moved (ISO UTC): the event's own time, not when it was posted. */
  at: string;
  memo: string;
  lines: Line[];
};

/** The part of a spend, refund or expiry that came from one lot (money contract: `paidCents` is exact). */
export type Slice = { minutes: number; paidCents: number; funding: "paid" | "promo" };

type Head = { id: string; at: string };

/** A transaction from its lines, without zero lines; `null` when no money moves. Throws on a fault. */
export function transaction(kind: TxKind, head: Head, memo: string, lines: Line[]): Transaction | null {
  const kept = lines.filter((l) => l.amountCents !== 0);
  for (const l of kept) if (!Number.isSafeInteger(l.amountCents)) throw new RangeError(`${head.id}: ${l.account} is not whole cents (${l.amountCents}).`);
  const sum = kept.reduce((s, l) => s + l.amountCents, 0);
  if (sum !== 0) throw new Error(`${head.id}: lines add up to ${sum}, not 0.`);
  return kept.length ? { id: head.id, kind, at: head.at, memo, lines: kept } : null;
}

/** Lines add up to zero, in whole cents. */
export const isBalanced = (t: Pick<Transaction, "lines">) => t.lines.every((l) => Number.isSafeInteger(l.amountCents)) && t.lines.reduce((s, l) => s + l.amountCents, 0) === 0;

export const paidCentsOf = (slices: readonly Slice[]) => slices.reduce((s, x) => s + (x.funding === "paid" ? x.paidCents : 0), 0);
export const promoMinutesOf = (slices: readonly Slice[]) => slices.reduce((s, x) => s + (x.funding === "promo" ? x.minutes : 0), 0);

// ───────────────────────── money in and out of Stripe ─────────────────────────

/** A student paid (an invoice or a pack): cash in, owed as credit until the wallet grants it; any tax is owed apart. */
export function paymentReceived(h: Head & { amountCents: number; taxCents?: number; cashRef: string; purchaseRef: string; studentId: string | null }) {
  const tax = h.taxCents ?? 0;
  return transaction("payment", h, `payment ${h.purchaseRef}`, [
    { account: "stripe_cash", amountCents: h.amountCents, ref: h.cashRef, studentId: h.studentId },
    { account: "payments_clearing", amountCents: -(h.amountCents - tax), ref: h.purchaseRef, studentId: h.studentId },
    { account: "taxes_payable", amountCents: -tax, ref: h.purchaseRef, studentId: h.studentId },
  ]);
}

/**
 * The tax a refund or lost dispute gives back: the payment's tax in proportion to the money taken back of it in all
 * (`takenBackCents`, this event's included), less what earlier ones gave back (`reversedCents`). Cumulative, so
 * rounding never drifts: partial refunds that add up to the payment give back exactly its tax, and never more.
 */
export function taxGivenBack(p: { taxCents: number; paidCents: number; takenBackCents: number; reversedCents: number }): number {
  if (p.taxCents <= 0 || p.paidCents <= 0) return 0;
  const share = Math.round((p.taxCents * Math.min(p.paidCents, Math.max(0, p.takenBackCents))) / p.paidCents);
  return Math.max(0, Math.min(p.taxCents, share) - Math.max(0, p.reversedCents));
}

/** What a refund or lost dispute gives back of a payment's tax: cents (at most the money moved) and the purchase it was owed for. */
export type TaxBack = { cents: number; purchaseRef: string };

/** The tax line of a refund or lost dispute (none without tax), and the cents it leaves for the expense account. */
function taxBackLine(amountCents: number, tax: TaxBack | null | undefined, studentId: string | null): { line: Line | null; restCents: number } {
  const cents = Math.max(0, Math.min(amountCents, tax?.cents ?? 0));
  if (!tax || cents === 0) return { line: null, restCents: amountCents };
  return { line: { account: "taxes_payable", amountCents: cents, ref: tax.purchaseRef, studentId }, restCents: amountCents - cents };
}

/**
 * Money refunded at Stripe. Its share of the payment's tax is no longer owed (`tax`); the rest is a refund, less what
 * the wallet's clawback (below) takes back in unspent credit.
 */
export function refundPaid(h: Head & { amountCents: number; chargeRef: string; studentId: string | null; tax?: TaxBack | null }) {
  const { line, restCents } = taxBackLine(h.amountCents, h.tax, h.studentId);
  return transaction("refund", h, `refund of ${h.chargeRef}`, [
    { account: "refunds", amountCents: restCents, ref: h.chargeRef, studentId: h.studentId },
    ...(line ? [line] : []),
    { account: "stripe_cash", amountCents: -h.amountCents, ref: h.chargeRef, studentId: h.studentId },
  ]);
}

/** A dispute opened: Stripe takes the disputed amount from our balance until it is decided. */
export function disputeOpened(h: Head & { amountCents: number; disputeRef: string; studentId: string | null }) {
  return transaction("dispute_opened", h, `dispute ${h.disputeRef} opened`, [
    { account: "disputed_funds", amountCents: h.amountCents, ref: h.disputeRef, studentId: h.studentId },
    { account: "stripe_cash", amountCents: -h.amountCents, ref: h.disputeRef, studentId: h.studentId },
  ]);
}

/**
 * A dispute closed: won, the money comes back (the tax stays owed); lost, it is gone — its share of the payment's
 * tax is no longer owed (`tax`), the rest is a loss, less the credit the wallet takes back.
 */
export function disputeClosed(h: Head & { amountCents: number; disputeRef: string; won: boolean; studentId: string | null; tax?: TaxBack | null }) {
  const dims = { ref: h.disputeRef, studentId: h.studentId };
  const held: Line = { account: "disputed_funds", amountCents: -h.amountCents, ...dims };
  if (h.won) return transaction("dispute_won", h, `dispute ${h.disputeRef} won`, [{ account: "stripe_cash", amountCents: h.amountCents, ...dims }, held]);
  const { line, restCents } = taxBackLine(h.amountCents, h.tax, h.studentId);
  return transaction("dispute_lost", h, `dispute ${h.disputeRef} lost`, [{ account: "dispute_losses", amountCents: restCents, ...dims }, ...(line ? [line] : []), held]);
}

/** A payout's Transfer to the tutor's connected account. A failed transfer moves nothing and posts nothing. */
export function payoutPaid(h: Head & { amountCents: number; tutorId: string; transferRef: string }) {
  return transaction("payout", h, `payout ${h.transferRef}`, [
    { account: "tutor_payable", amountCents: h.amountCents, ref: h.transferRef, tutorId: h.tutorId },
    { account: "stripe_cash", amountCents: -h.amountCents, ref: h.transferRef, tutorId: h.tutorId },
  ]);
}

/** A paid Transfer reversed (money back from the tutor's account): the tutor is owed it again. */
export function payoutReversed(h: Head & { amountCents: number; tutorId: string; transferRef: string }) {
  return transaction("payout_reversed", h, `payout ${h.transferRef} reversed`, [
    { account: "stripe_cash", amountCents: h.amountCents, ref: h.transferRef, tutorId: h.tutorId },
    { account: "tutor_payable", amountCents: -h.amountCents, ref: h.transferRef, tutorId: h.tutorId },
  ]);
}

// ───────────────────────── the wallet's ledger ─────────────────────────

/**
 * Credit granted. Paid credit turns the payment into deferred revenue; promotional credit moves no money
 * (it becomes the platform's cost only when it pays a tutor, at recognition).
 */
export function creditGranted(h: Head & { studentId: string; minutes: number; paidCents: number; funding: "paid" | "promo"; purchaseRef: string | null }) {
  if (h.funding === "promo" || h.paidCents === 0) return null;
  if (!h.purchaseRef) throw new Error(`${h.id}: paid credit without the purchase it came from.`);
  return transaction("grant", h, `${h.minutes} min granted for ${h.purchaseRef}`, [
    { account: "payments_clearing", amountCents: h.paidCents, ref: h.purchaseRef, studentId: h.studentId },
    { account: "deferred_revenue", amountCents: -h.paidCents, studentId: h.studentId },
  ]);
}

/** Credit spent on a booking: its paid value waits in "booked, not yet taught" until the session takes place. */
export function creditSpent(h: Head & { studentId: string; reservationId: string; bookingId: string | null; slices: readonly Slice[] }) {
  const paid = paidCentsOf(h.slices);
  const dims = { studentId: h.studentId, reservationId: h.reservationId, bookingId: h.bookingId };
  return transaction("spend", h, `spent on ${h.bookingId ?? h.reservationId}`, [
    { account: "deferred_revenue", amountCents: paid, ...dims },
    { account: "booked_sessions", amountCents: -paid, ...dims },
  ]);
}

/**
 * Credit given back to the student's lots (a cancellation, a replacement, attendance below the booked length).
 * What is still booked for the reservation comes back from there; anything beyond it (the session was already
 * recognised) is a refund the platform bears.
 */
export function creditReturned(h: Head & { studentId: string; reservationId: string; bookingId: string | null; slices: readonly Slice[]; bookedCents: number }) {
  const paid = paidCentsOf(h.slices);
  const fromBooked = Math.max(0, Math.min(paid, h.bookedCents));
  const dims = { studentId: h.studentId, reservationId: h.reservationId, bookingId: h.bookingId };
  return transaction("return", h, `returned from ${h.bookingId ?? h.reservationId}`, [
    { account: "booked_sessions", amountCents: fromBooked, ...dims },
    { account: "refunds", amountCents: paid - fromBooked, ...dims },
    { account: "deferred_revenue", amountCents: -paid, ...dims },
  ]);
}

/** Paid credit that expired unspent (breakage), or that an admin withdrew. */
export function creditForfeited(h: Head & { studentId: string; slices: readonly Slice[]; reason: "expired" | "withdrawn" }) {
  const paid = paidCentsOf(h.slices);
  return transaction(h.reason === "expired" ? "expiry" : "withdrawal", h, `credit ${h.reason}`, [
    { account: "deferred_revenue", amountCents: paid, studentId: h.studentId },
    { account: "breakage", amountCents: -paid, studentId: h.studentId },
  ]);
}

/** Unspent credit taken back because its payment was refunded or lost in a dispute. */
export function creditClawedBack(h: Head & { studentId: string; slices: readonly Slice[]; cause: "refund" | "dispute"; purchaseRef: string | null }) {
  const paid = paidCentsOf(h.slices);
  return transaction("clawback", h, `credit taken back (${h.cause}${h.purchaseRef ? ` of ${h.purchaseRef}` : ""})`, [
    { account: "deferred_revenue", amountCents: paid, studentId: h.studentId, ref: h.purchaseRef },
    { account: h.cause === "refund" ? "refunds" : "dispute_losses", amountCents: -paid, studentId: h.studentId, ref: h.purchaseRef },
  ]);
}

// ───────────────────────── recognition ─────────────────────────

/**
 * How a session's tutor earning is paid for. Paid credit first, up to what the money contract lets it pay
 * (its revenue less the commission); then promotional credit, up to its nominal value less the commission
 * (the platform's promotional cost); anything beyond both is an overrun the finance page flags.
 */
export function splitEarning(input: { bookedCents: number; promoMinutes: number; creditMinuteCents: number; earningCents: number; commissionPercent: number }) {
  const keep = 100 - input.commissionPercent;
  const paidCap = Math.max(0, Math.floor((input.bookedCents * keep) / 100));
  const promoCap = Math.max(0, Math.floor((input.promoMinutes * input.creditMinuteCents * keep) / 100));
  const fromPaid = Math.min(input.earningCents, paidCap);
  const fromPromo = Math.min(input.earningCents - fromPaid, promoCap);
  return { fromPaid, fromPromo, overrun: input.earningCents - fromPaid - fromPromo, revenue: input.bookedCents - fromPaid };
}

/**
 * A session took place (or closed): its booked paid credit is earned. The tutor's earning (fixed at
 * confirmation, lowered by attendance) becomes owed to them; the rest of the paid credit is the platform's.
 */
export function sessionRecognized(
  h: Head & {
    bookingId: string;
    tutorId: string;
    /** What is still booked for each of its reservations (their "booked, not yet taught" balances). */
    booked: readonly { reservationId: string; studentId: string | null; cents: number }[];
    promoMinutes: number;
    creditMinuteCents: number;
    earningCents: number;
    commissionPercent: number;
  },
) {
  const bookedCents = h.booked.reduce((s, b) => s + b.cents, 0);
  const split = splitEarning({ ...h, bookedCents });
  const dims = { bookingId: h.bookingId, tutorId: h.tutorId };
  return transaction("recognition", h, `session ${h.bookingId} taught`, [
    ...h.booked.map((b) => ({ account: "booked_sessions" as const, amountCents: b.cents, reservationId: b.reservationId, studentId: b.studentId, ...dims })),
    { account: "tutor_payable", amountCents: -h.earningCents, ...dims },
    { account: "earned_revenue", amountCents: -split.revenue, ...dims },
    { account: "promotional_cost", amountCents: split.fromPromo, ...dims },
    { account: "earning_overrun", amountCents: split.overrun, ...dims },
  ]);
}

/**
 * A paid seat that ended neither taught nor given back: the student cancelled it (or left the group) too late for a
 * refund, or its session took place and earned its tutor nothing. Once the session is cancelled or over, what is
 * still booked for the seat is the platform's: session revenue, like a late-cancellation fee — not breakage, which
 * is credit never used (this one was spent on a booking the tutor kept free for it).
 */
export function seatForfeited(h: Head & { reservationId: string; studentId: string | null; bookingId: string; tutorId: string; bookedCents: number; cause: "cancelled_late" | "untaught" }) {
  const dims = { reservationId: h.reservationId, studentId: h.studentId, bookingId: h.bookingId, tutorId: h.tutorId };
  const memo = h.cause === "cancelled_late" ? `seat of ${h.bookingId} cancelled too late for a refund` : `seat of ${h.bookingId} over, nothing earned`;
  return transaction("forfeit", h, memo, [
    { account: "booked_sessions", amountCents: h.bookedCents, ...dims },
    { account: "earned_revenue", amountCents: -h.bookedCents, ...dims },
  ]);
}
