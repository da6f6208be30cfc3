import { type Transaction, creditClawedBack, creditForfeited, creditGranted, creditReturned, creditSpent, transaction } from "./transactions";

/**
 * One entry of a student's credit ledger as the books read it from the wallet's D1 projection: the entry, and for
 * entries that take from or return to a lot, that lot's funding and purchase.
 */
export type LedgerFacts = {
  id: string;
  studentId: string;
  kind: "grant" | "adjust" | "debit" | "refund" | "expire" | "clawback" | "freeze" | "unfreeze" | "extend";
  /** Never negative, except `adjust`, whose sign says whether it adds a lot or takes. */
  minutes: number;
  /** The paid value moved (for a lot-creating entry, the lot's value). */
  paidCents: number;
  /** Who paid for the lot this entry creates, takes from or returns to. */
  funding: "paid" | "promo";
  purchaseRef: string | null;
  /** Debits and refunds: the reservation; clawbacks: the Stripe refund ("charge:…") or dispute ("dispute:…"). */
  reservationId: string | null;
  /** When the entry was made (ISO UTC). */
  at: string;
};

/** What the books already say about the entry's reservation, for spends and returns. */
export type ReservationState = {
  bookingId: string | null;
  /** Still "booked, not yet taught" for it. */
  bookedCents: number;
  /** Its session's revenue was recognised already (a spend projected after the session was completed). */
  recognized: boolean;
};

/** The journal transaction for a ledger entry (posted as `ledger:<entry id>`); null when it moves no money. */
export function ledgerTransaction(e: LedgerFacts, reservation: ReservationState): Transaction | null {
  const head = { id: `ledger:${e.id}`, at: e.at };
  const slices = [{ minutes: Math.abs(e.minutes), paidCents: e.paidCents, funding: e.funding }];
  const base = { ...head, studentId: e.studentId, slices };
  switch (e.kind) {
    case "grant":
      return creditGranted({ ...head, studentId: e.studentId, minutes: e.minutes, paidCents: e.paidCents, funding: e.funding, purchaseRef: e.purchaseRef });
    case "adjust":
      return e.minutes > 0
        ? creditGranted({ ...head, studentId: e.studentId, minutes: e.minutes, paidCents: e.paidCents, funding: e.funding, purchaseRef: e.purchaseRef })
        : creditForfeited({ ...base, reason: "withdrawn" });
    case "debit": {
      const reservationId = e.reservationId ?? e.id;
      if (!reservation.recognized) return creditSpent({ ...base, reservationId, bookingId: reservation.bookingId });
      // The session was recognised before this spend reached the books: its value is earned at once.
      const dims = { studentId: e.studentId, reservationId, bookingId: reservation.bookingId };
      return transaction("spend", head, `spent on ${reservation.bookingId ?? reservationId}, already taught`, [
        { account: "deferred_revenue", amountCents: e.paidCents, ...dims },
        { account: "earned_revenue", amountCents: -e.paidCents, ...dims },
      ]);
    }
    case "refund":
      return creditReturned({ ...base, reservationId: e.reservationId ?? e.id, bookingId: reservation.bookingId, bookedCents: reservation.bookedCents });
    case "expire":
      return creditForfeited({ ...base, reason: "expired" });
    case "clawback":
      return creditClawedBack({ ...base, cause: e.reservationId?.startsWith("dispute:") ? "dispute" : "refund", purchaseRef: e.purchaseRef });
    case "freeze":
    case "unfreeze":
      // A frozen lot keeps its value (still deferred) until the dispute is decided.
      return null;
    case "extend":
      // A paused plan moves the lot's expiry: no value moves.
      return null;
  }
}
