import { z } from "zod";
import type { Allocation, Balance } from "../../domain/credits";
import type { NoRefund } from "./history";

/** The StudentAccount object's RPC arguments, each parsed on arrival (callers are other objects and the Worker). */
const Id = z.string().min(1).max(200);
const Instant = z.number().int();
/** The booking request's Idempotency-Key and a hash of what it asked (method, path, body: its tutor too). */
const BookingRequest = z.object({ key: z.string().min(1).max(255), hash: z.string().min(1).max(128) });
const Iso = z.iso.datetime();

export const ReserveSchema = z.object({
  studentId: Id,
  reservationId: Id,
  sessionId: Id,
  tutorId: Id,
  start: Instant,
  end: Instant,
  cost: z.number().int().positive(),
  /** A trial lesson: on the free plan, the month's first is paid by a promotional grant made for it (freeTrial.ts). */
  trial: z.boolean().optional(),
  /** The student's request, when it carried a key: a key already used for another request is refused (any tutor's). */
  request: BookingRequest.optional(),
  now: Instant,
});
/** The student's plan, pushed by the Worker when a subscription changes; the newest version wins. */
export const PlanSchema = z.object({ studentId: Id, planId: z.string().min(1).max(64), version: z.number().int().nonnegative() });
export const StoredPlanSchema = PlanSchema.omit({ studentId: true });
export const ReleaseSchema = z.object({
  studentId: Id,
  reservationId: Id,
  refund: z.boolean(),
  /** Refund only this many of the reservation's credit-minutes in all (a session that ended early); absent: all of it. */
  refundMinutes: z.number().int().positive().optional(),
  reason: z.string().max(200),
  now: Instant,
});
/** The weeks of a weekly series, each claiming the student's time at booking (paid later, by `reserve`). */
export const ClaimSchema = z.object({
  studentId: Id,
  claims: z.array(z.object({ reservationId: Id, sessionId: Id, tutorId: Id, start: Instant, end: Instant })).max(52),
  request: BookingRequest.optional(),
  /** Credit-minutes the student's spendable balance must hold for a new series (its first week); nothing is spent. */
  cover: z.number().int().positive().optional(),
  now: Instant,
});
export const MoveSchema = z.object({ reservationId: Id, start: Instant, end: Instant });
/** `cost`: the replacement's own price (its tutor's, for that length); what the cancelled reservation holds beyond it comes back. */
export const TransferSchema = z.object({ studentId: Id, fromReservationId: Id, toReservationId: Id, sessionId: Id, tutorId: Id, start: Instant, end: Instant, cost: z.number().int().positive(), now: Instant });
/** `takeId`: a take is applied once per id (an admin's Idempotency-Key), however many retries arrive, together or not. */
export const TakeSchema = z.object({ studentId: Id, takeId: Id.optional(), minutes: z.number().int().positive(), reason: z.string().max(500), actorId: Id, now: Instant });
export const GrantSchema = z.object({
  studentId: Id,
  grantId: Id,
  kind: z.enum(["grant", "adjust"]),
  minutes: z.number().int().positive().max(1_000_000),
  funding: z.enum(["paid", "promo"]),
  paidCents: z.number().int().min(0),
  purchaseRef: Id.nullable(),
  expiresAt: Iso,
  reason: z.string().max(500),
  actorId: Id.nullish(),
  overPromoCap: z.enum(["trim", "refuse"]).default("trim"),
  now: Instant,
});
const PurchaseRefs = z.array(Id).min(1).max(5);
export const RefundPurchaseSchema = z.object({ studentId: Id, ref: Id, purchaseRefs: PurchaseRefs, refundedCents: z.number().int().min(0), amountCents: z.number().int().min(0), now: Instant });
export const OpenDisputeSchema = z.object({ studentId: Id, ref: Id, purchaseRefs: PurchaseRefs, now: Instant });
/**
 * `disputedCents` of a payment of `amountCents`: a lost dispute takes back that share of the purchase's credit, as a
 * refund would. Without `amountCents` (Stripe did not say), the purchase's paid value; without `disputedCents`, all.
 */
export const CloseDisputeSchema = z.object({
  studentId: Id,
  ref: Id,
  outcome: z.enum(["won", "lost"]),
  disputedCents: z.number().int().min(0).optional(),
  amountCents: z.number().int().positive().nullish(),
  now: Instant,
});
/** A paused plan moves lot expiries: once per `ref`; `sameLotsAs` limits it to the lots an earlier ref moved. */
export const MoveExpiriesSchema = z.object({ studentId: Id, ref: Id, from: Instant, byMs: z.number().int(), sameLotsAs: Id.optional(), now: Instant });
export const StudentNow = z.object({ studentId: Id, now: Instant });
/** A suspension, restore or deletion reaching the wallet: `version` is the number D1 gave it (users.status_version). */
export const StatusChangeSchema = StudentNow.extend({ version: z.number().int().nonnegative() });
/** The student's reservations holding time that start in [from, until) (a pause finds its weeks' tutors by them). */
export const HeldBetweenSchema = z.object({ studentId: Id, from: Instant, until: Instant });
/** A page of the ledger, newest first: entries before `before` (a ledger position; absent: from the newest). */
export const HistorySchema = z.object({ studentId: Id, now: Instant, before: z.number().int().positive().nullish(), limit: z.number().int().min(1).max(100) });
/** An admin gives back what a seat of a cancelled or completed session still holds. */
export const RefundSeatSchema = z.object({ studentId: Id, reservationId: Id, reason: z.string().max(600), now: Instant });
export const FaultSchema = z.object({ outbox: z.enum(["off", "every-step"]).optional(), next: z.object({ op: z.string(), when: z.enum(["before", "after"]) }).optional() });

export type ReserveArgs = z.input<typeof ReserveSchema>;
export type ReleaseArgs = z.input<typeof ReleaseSchema>;
/** `tabs`: whether the student has a Tutorly tab open, so the calendar need not send a booking's event to nobody. */
/** `freeTrial`: paid by the free plan's trial of the month (a promotional grant made for it). */
/** `account_closed`: the account was suspended or deleted (see `StudentAccount.closeAccount`): nothing new is spent. */
export type ReserveResult = { ok: true; allocation: Allocation; tabs?: boolean; freeTrial?: true } | { ok: false; code: "student_busy" | "insufficient_credits" | "reservation_closed" | "idempotency_key_reused" | "account_closed" };
/**
 * `reused`: the request's key was used before for another request; `short`: the balance does not cover `cover`;
 * `closed`: the account was suspended or deleted. Nothing was claimed.
 */
export type ClaimResult = { busy: string[]; reused?: true; short?: true; closed?: true };
/** A lesson the student holds (paid, or a weekly week claimed), with the calendar that holds it. */
export type HeldLesson = { reservationId: string; sessionId: string; tutorId: string; start: number };
/**
 * What an admin's seat refund did: credit came back (`minutes`; of which `takenBackMinutes` went at once to a Stripe
 * refund or lost dispute of the purchase it came from, and `onHoldMinutes` wait on an open dispute), or why nothing
 * could come back.
 */
export type SeatRefund = { outcome: "refunded"; minutes: number; takenBackMinutes: number; onHoldMinutes: number } | NoRefund;
export type WalletView = Omit<Balance, "all" | "expiredUnrecorded"> & {
  promoCapMinutes: number;
  /** The free plan's trial this calendar month (UTC): whether the student can still book it. */
  freeTrial: { month: string; available: boolean };
};

