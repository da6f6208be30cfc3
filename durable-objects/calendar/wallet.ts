import { z } from "zod";
import type { SpentSlice } from "../../domain/billing/earnings";
import { type Outcome, fail, messageFor } from "./outcome";

const SliceSchema = z.object({ lotId: z.string(), minutes: z.number().int().positive(), paidCents: z.number().int().nonnegative(), funding: z.enum(["paid", "promo"]) });

/** What a confirmed seat spent, as stored with it (null for a seat confirmed before spends were kept). */
export const spentOf = (seat: { spent: string | null }): SpentSlice[] | null => (seat.spent ? z.array(SliceSchema).parse(JSON.parse(seat.spent)) : null);
const AnswerSchema = z.union([
  z.object({ ok: z.literal(true), allocation: z.array(SliceSchema), tabs: z.boolean().optional(), freeTrial: z.literal(true).optional() }),
  z.object({ ok: z.literal(false), code: z.enum(["student_busy", "insufficient_credits", "reservation_closed", "idempotency_key_reused", "account_closed"]) }),
]);

/** The student's booking request, when it carried an Idempotency-Key: the wallet refuses the key reused elsewhere. */
type BookingRequest = { key: string; hash: string };

type Seat = { studentId: string; sessionId: string; reservationId: string; tutorId: string; start: number; end: number; now: number };

/**
 * A seat's payment through the student's wallet (their StudentAccount object): a spend of `cost` credit-minutes,
 * or, for a replacement booking, `cost` of the cancelled reservation's credits moved over (the rest back to the student). Answers what was spent, slice
 * by lot (the money contract), from which the tutor's earning is fixed. A trial says so: the wallet pays the free plan's
 * monthly trial with a promotional grant made for it. `tabs` false: the student has no Tutorly tab open (their wallet
 * knows), so the booking's live event need not be sent to them. `freeTrial`: that grant paid it (the lesson is free).
 */
export async function paySeat(env: Env, seat: Seat, how: { cost: number; trial?: boolean; request?: BookingRequest } | { transferFrom: string; cost: number }): Promise<Outcome<SpentSlice[]> & { tabs?: boolean; freeTrial?: true }> {
  const wallet = env.STUDENT_ACCOUNT.get(env.STUDENT_ACCOUNT.idFromName(seat.studentId));
  const answer = AnswerSchema.parse(
    "transferFrom" in how
      ? await wallet.transferReservation({ studentId: seat.studentId, fromReservationId: how.transferFrom, toReservationId: seat.reservationId, sessionId: seat.sessionId, tutorId: seat.tutorId, start: seat.start, end: seat.end, cost: how.cost, now: seat.now })
      : await wallet.reserve({ studentId: seat.studentId, reservationId: seat.reservationId, sessionId: seat.sessionId, tutorId: seat.tutorId, start: seat.start, end: seat.end, cost: how.cost, ...(how.trial ? { trial: true } : {}), ...(how.request ? { request: keyOf(how.request) } : {}), now: seat.now }),
  );
  if (!answer.ok) return fail(answer.code, messageFor(answer.code));
  return { ok: true, value: answer.allocation, ...(answer.tabs !== undefined ? { tabs: answer.tabs } : {}), ...(answer.freeTrial ? { freeTrial: true } : {}) };
}

/** Moves a seat's reservation to a new time in the student's wallet; false when the student is busy then. */
export async function moveSeat(env: Env, seat: { studentId: string; reservationId: string; start: number; end: number }): Promise<boolean> {
  const wallet = env.STUDENT_ACCOUNT.get(env.STUDENT_ACCOUNT.idFromName(seat.studentId));
  return z.boolean().parse(await wallet.move({ reservationId: seat.reservationId, start: seat.start, end: seat.end }));
}

export const spentMinutes = (spent: readonly SpentSlice[]) => spent.reduce((sum, s) => sum + s.minutes, 0);

const ClaimAnswerSchema = z.object({ busy: z.array(z.string()), reused: z.literal(true).optional(), short: z.literal(true).optional(), closed: z.literal(true).optional() });
/** Only the key and the hash go to the wallet (the calendar's request also names its sender). */
const keyOf = (r: BookingRequest): BookingRequest => ({ key: r.key, hash: r.hash });

/**
 * The weeks of a weekly series claim the student's time in their wallet when it is booked (nothing spent: each week
 * is paid later by `paySeat`, which turns its claim into a paid reservation). Answers the weeks the student is busy in;
 * or, nothing claimed, "reused" when the request's Idempotency-Key was used before for another request, "short" when
 * the student's credit does not cover `cover` (a week's price), "closed" when the account was suspended or deleted.
 */
export async function claimWeeks(
  env: Env,
  studentId: string,
  weeks: { reservationId: string; sessionId: string; tutorId: string; start: number; end: number }[],
  how: { request?: BookingRequest; cover?: number },
  now: number,
): Promise<Set<string> | "reused" | "short" | "closed"> {
  if (!weeks.length) return new Set();
  const wallet = env.STUDENT_ACCOUNT.get(env.STUDENT_ACCOUNT.idFromName(studentId));
  const answer = ClaimAnswerSchema.parse(
    await wallet.claim({ studentId, claims: weeks, ...(how.request ? { request: keyOf(how.request) } : {}), ...(how.cover ? { cover: how.cover } : {}), now }),
  );
  return answer.reused ? "reused" : answer.short ? "short" : answer.closed ? "closed" : new Set(answer.busy);
}
