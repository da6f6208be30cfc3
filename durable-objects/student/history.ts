import { z } from "zod";
import { LEDGER_KINDS } from "../../domain/credits";
import { FREE_TRIAL_BACK_REASON } from "./freeTrials";
import { LedgerRowSchema } from "./storage";

/** Why the wallet moved a reservation's credit to a replacement booking (the refund half of a transfer). */
export const MOVED_REASON = "moved to a replacement booking";

/** A ledger row with what the wallet knows of its reservation's session and of the lot it moved. */
const HistoryRowSchema = LedgerRowSchema.omit({ actor_id: true }).extend({
  session_id: z.string().nullable(),
  tutor_id: z.string().nullable(),
  start_ms: z.number().int().nullable(),
  end_ms: z.number().int().nullable(),
  lot_kind: z.enum(LEDGER_KINDS).nullable(),
  lot_funding: z.enum(["paid", "promo"]).nullable(),
  lot_reason: z.string().nullable(),
  lot_purchase_ref: z.string().nullable(),
  lot_created_at: z.string().nullable(),
});

/** One ledger entry as the student reads it: what moved, why, and the session (debits, refunds) or lot it concerns. */
export type HistoryEntry = {
  id: string;
  seq: number;
  kind: (typeof LEDGER_KINDS)[number];
  /** Signed: what the entry did to the student's credit (a freeze and an unfreeze move credit on and off hold). */
  minutes: number;
  createdAt: string;
  reason: string | null;
  /** A lot-creating entry: its funding, purchase and expiry. */
  funding: "paid" | "promo" | null;
  purchaseRef: string | null;
  expiresAt: string | null;
  /** An entry that takes from, returns to, freezes or unfreezes a lot: that lot. */
  lot: { id: string; kind: "grant" | "adjust"; funding: "paid" | "promo"; reason: string | null; purchaseRef: string | null; createdAt: string } | null;
  /** Debits and refunds: the session seat they paid for, as the wallet holds it. */
  session: { id: string; tutorId: string; start: string; end: string } | null;
  /** A refund that moved the credit to a replacement booking rather than back to the balance. */
  moved: boolean;
};
export type HistoryPage = { entries: HistoryEntry[]; next: number | null };

const SIGN: Record<HistoryEntry["kind"], 1 | -1 | 0> = { grant: 1, refund: 1, unfreeze: 1, debit: -1, expire: -1, clawback: -1, freeze: -1, adjust: 0, extend: 0 };

/**
 * What a seat refund found when there was nothing left to give back. `moved`: `minutes` paid for the replacement;
 * a cheaper one's difference came back then (`refundedMinutes`), or lapsed with a free trial's grant (`lapsedMinutes`).
 */
export type NoRefund =
  | { outcome: "already_refunded"; minutes: number; at: string }
  | { outcome: "moved"; minutes: number; refundedMinutes: number; lapsedMinutes: number; at: string; sessionId: string | null }
  | { outcome: "nothing_spent" };

const GivenBackRowSchema = z.object({ kind: z.enum(["refund", "expire"]), minutes: z.number().int(), reason: z.string().nullable(), created_at: z.string() });

/**
 * The wallet's ledger read back for people: newest first, a page at a time (by `seq`), each entry with the session
 * its reservation belongs to (the object's own reservations) and the lot it touched. Read-only.
 */
export class History {
  constructor(private readonly sql: SqlStorage) {}

  page(before: number | null, limit: number): HistoryPage {
    const rows = this.sql
      .exec(
        `SELECT l.seq, l.id, l.kind, l.minutes, l.paid_cents, l.lot_id, l.expires_at, l.funding, l.purchase_ref, l.ref, l.reason, l.created_at,
                r.session_id, r.tutor_id, r.start_ms, r.end_ms,
                lot.kind AS lot_kind, lot.funding AS lot_funding, lot.reason AS lot_reason, lot.purchase_ref AS lot_purchase_ref, lot.created_at AS lot_created_at
         FROM ledger l
         LEFT JOIN reservations r ON l.kind IN ('debit', 'refund') AND r.reservation_id = l.ref
         LEFT JOIN ledger lot ON lot.id = l.lot_id
         WHERE l.seq < ?
         ORDER BY l.seq DESC
         LIMIT ?`,
        before ?? Number.MAX_SAFE_INTEGER,
        limit + 1,
      )
      .toArray()
      .map((r) => HistoryRowSchema.parse(r));
    const entries = rows.slice(0, limit).map(toEntry);
    return { entries, next: rows.length > limit ? entries[entries.length - 1]!.seq : null };
  }

  /**
   * Why a reservation has nothing left to refund: its credit came back before (when, how much), it paid for a
   * replacement booking (which one, how much of it; a cheaper one's difference came back or lapsed then), or it
   * never spent any.
   */
  whyNothing(reservationId: string): NoRefund {
    const all = this.sql
      .exec("SELECT kind, minutes, reason, created_at FROM ledger WHERE ref = ? AND kind IN ('refund', 'expire') ORDER BY seq", reservationId)
      .toArray()
      .map((r) => GivenBackRowSchema.parse(r));
    const rows = all.filter((r) => r.kind === "refund");
    if (!rows.length) return { outcome: "nothing_spent" };
    const sum = (of: readonly { minutes: number }[]) => of.reduce((s, r) => s + r.minutes, 0);
    const at = rows[rows.length - 1]!.created_at;
    const moved = rows.filter((r) => r.reason === MOVED_REASON);
    if (moved.length) {
      const offer = this.sql.exec("SELECT accepted_session_id FROM offers WHERE id = ?", reservationId).toArray()[0];
      const sessionId = offer && typeof offer.accepted_session_id === "string" ? offer.accepted_session_id : null;
      // What came back besides the move (a cheaper replacement's difference) reached the balance, unless it lapsed at
      // once with a free trial's grant (an `expire` under the same reservation).
      const lapsedMinutes = sum(all.filter((r) => r.kind === "expire" && r.reason === FREE_TRIAL_BACK_REASON));
      const movedMinutes = sum(moved);
      return { outcome: "moved", minutes: movedMinutes, refundedMinutes: Math.max(0, sum(rows) - movedMinutes - lapsedMinutes), lapsedMinutes, at, sessionId };
    }
    return { outcome: "already_refunded", minutes: sum(rows), at };
  }
}

const PaidLotSchema = z.object({ id: z.string(), minutes: z.number().int(), paid_cents: z.number().int(), purchase_ref: z.string().nullable(), reason: z.string().nullable(), created_at: z.string() });
/** A purchase as the wallet recorded it: the lot it bought (what, for how much, when). */
export type PaidLot = { id: string; minutes: number; paidCents: number; purchaseRef: string | null; reason: string | null; createdAt: string };

/** Every lot the student paid for, newest first (the local payment mode's receipts). */
export function paidLots(sql: SqlStorage): PaidLot[] {
  return sql
    .exec("SELECT id, minutes, paid_cents, purchase_ref, reason, created_at FROM ledger WHERE kind = 'grant' AND funding = 'paid' ORDER BY seq DESC")
    .toArray()
    .map((r) => PaidLotSchema.parse(r))
    .map((r) => ({ id: r.id, minutes: r.minutes, paidCents: r.paid_cents, purchaseRef: r.purchase_ref, reason: r.reason, createdAt: r.created_at }));
}

function toEntry(r: z.infer<typeof HistoryRowSchema>): HistoryEntry {
  const sign = SIGN[r.kind];
  return {
    id: r.id,
    seq: r.seq,
    kind: r.kind,
    minutes: sign === 0 ? r.minutes : sign * Math.abs(r.minutes),
    createdAt: r.created_at,
    reason: r.reason,
    funding: r.funding,
    purchaseRef: r.purchase_ref,
    expiresAt: r.kind === "grant" || (r.kind === "adjust" && r.minutes > 0) ? r.expires_at : null,
    lot:
      r.lot_id && (r.lot_kind === "grant" || r.lot_kind === "adjust") && r.lot_funding && r.lot_created_at
        ? { id: r.lot_id, kind: r.lot_kind, funding: r.lot_funding, reason: r.lot_reason, purchaseRef: r.lot_purchase_ref, createdAt: r.lot_created_at }
        : null,
    session:
      r.session_id && r.tutor_id && r.start_ms !== null && r.end_ms !== null
        ? { id: r.session_id, tutorId: r.tutor_id, start: new Date(r.start_ms).toISOString(), end: new Date(r.end_ms).toISOString() }
        : null,
    moved: r.kind === "refund" && r.reason === MOVED_REASON,
  };
}
