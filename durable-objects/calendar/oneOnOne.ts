import type { z } from "zod";
import { seatEarningCents } from "../../domain/billing/earnings";
import { POLICY } from "../../domain/credits";
import { seatPrice, trialPrice } from "../../domain/credits/pricing";
import type { Booking } from "../../domain/schemas/booking";
import type { TutorFacts } from "../../domain/schemas/tutor";
import { commissionPercent } from "../../platform/commission";
import type { BookSchema } from "./args";
import { confirmToStudent } from "./confirmations";
import { refuseBooking } from "./facts";
import { KEY_REUSED, MESSAGES, NOT_FOUND, type Outcome, fail, messageFor, replay } from "./outcome";
import { FREE_TRIAL, type SessionRow } from "./storage";
import type { SeatTaking } from "./seatTaking";

const MINUTE = 60_000;

type BookArgs = z.infer<typeof BookSchema>;

/**
 * 1:1 bookings: hold → pay (the student's wallet) → confirm. The time is checked and held with no `await` in between,
 * so two requests can never both take it; viewers hear of it at the hold, before the wallet is asked.
 */
export class OneOnOneBookings {
  constructor(private readonly d: SeatTaking) {}

  /**
   * Books a 1:1 session. Idempotent by `sessionId` (derived from the Idempotency-Key): a repeat, even a concurrent
   * one, gets the first attempt's answer.
   */
  async book(a: BookArgs): Promise<Outcome<Booking>> {
    const facts = this.d.facts.get() ?? (await this.d.facts.load(this.d.env, a.tutorId));
    const hash = a.request?.hash ?? null;
    const pending = this.d.inflight.get(a.sessionId);
    if (pending) return pending.hash === hash ? replay(pending.answer) : KEY_REUSED;
    const existing = this.d.store.session(a.sessionId);
    if (existing) return this.repeatOutcome(existing, a.studentId, hash);
    const refused = refuseBooking(facts, a.subject);
    if (refused || !facts) return refused ?? NOT_FOUND;
    if (a.trial && !facts.offersTrials) return fail("trial_not_offered", `${facts.name} does not offer trial lessons.`);
    return this.d.once(a.sessionId, hash, () => this.bookNew(a, facts));
  }

  private async bookNew(a: BookArgs, facts: TutorFacts): Promise<Outcome<Booking>> {
    const { store, outbox } = this.d;
    const end = a.start + a.durationMinutes * MINUTE;
    // Check and hold with no await in between: this is what makes double-booking impossible (and a second trial: the
    // first one's hold is a lesson with this tutor from here on).
    if (a.trial && store.hasLessonWith(a.studentId)) return fail("trial_used", "You already have or had a lesson with this tutor, so the trial lesson is not open to you. Book a regular lesson instead.");
    if (!this.d.isFree(a.start, a.durationMinutes, a.now)) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    const cost = a.trial ? trialPrice(facts.hourlyRateCents) : seatPrice({ kind: "one_on_one", hourlyRateCents: facts.hourlyRateCents, durationMinutes: a.durationMinutes });
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    const requestHash = a.request?.hash ?? null;
    store.insertSession({ id: a.sessionId, kind: "one_on_one", status: "held", subject: a.subject, start: a.start, end, seats: 1, credits: cost, holdUntil, now: a.now, requestHash, trial: a.trial });
    store.holdSeat({ sessionId: a.sessionId, studentId: a.studentId, reservationId: a.sessionId, credits: cost, holdUntil, requestHash });
    this.d.viewers.taken(a.tutorId, [{ start: a.start, end }]);
    await this.d.wakeAt(holdUntil);

    const seat = { studentId: a.studentId, sessionId: a.sessionId, reservationId: a.sessionId, tutorId: a.tutorId, start: a.start, end, now: a.now };
    // A replacement is paid at this tutor's own price too, out of the cancelled booking's credit (the wallet gives a
    // cheaper one's difference back and refuses one dearer than what was held), so its credits and earning are this
    // tutor's, never the cancelling tutor's.
    const paid = await this.d.pay(seat, a.transferFrom ? { transferFrom: a.transferFrom, cost } : { cost, trial: a.trial, request: a.request }, () => store.releaseHeldSession(a.sessionId, "slot_unavailable"));
    if (!paid.ok) {
      store.releaseHeldSession(a.sessionId, paid.code);
      this.d.viewers.changed(a.tutorId);
      return paid;
    }
    // Confirm, unless the alarm released the hold while the credits were being spent.
    if (store.sessionNow(a.sessionId).status !== "held") return this.d.refundLateSeat(seat, "hold expired");
    if (paid.freeTrial) store.sql.exec("UPDATE sessions SET trial = ? WHERE id = ?", FREE_TRIAL, a.sessionId);
    store.confirmSeat(a.sessionId, JSON.stringify(paid.value), seatEarningCents(paid.value, commissionPercent(this.d.env)));
    store.confirmSession(a.sessionId, a.now);
    const confirmed = store.sessionNow(a.sessionId);
    const booking = this.d.view(confirmed);
    this.d.announce(booking, "booked", paid.tabs === false ? [a.tutorId] : [a.studentId, a.tutorId]);
    const link = `/sessions/${a.sessionId}`;
    outbox.enqueue({ kind: "notice", userId: a.tutorId, nameOf: a.studentId, template: { kind: "booked", subject: a.subject, start: booking.start, withName: "" }, dedupeKey: `booked:${a.sessionId}`, link });
    if (a.transferFrom) {
      // A replacement for a session another tutor cancelled: the student hears it went through (in the inbox; the
      // confirmation email below carries the invitation).
      outbox.enqueue({ kind: "notice", userId: a.studentId, nameOf: a.tutorId, template: { kind: "rebooked", subject: a.subject, start: booking.start, tutorName: "" }, dedupeKey: `rebooked:${a.transferFrom}`, link, email: false });
    }
    confirmToStudent(outbox, a.tutorId, confirmed, a.studentId, a.transferFrom ? 0 : cost);
    await this.d.remindAt(a.start, a.now);
    outbox.afterAnswer();
    return { ok: true, value: booking };
  }

  /** The answer to a booking made before under the same id (a retry, or a reuse of its Idempotency-Key). */
  private repeatOutcome(s: SessionRow, studentId: string, hash: string | null): Outcome<Booking> {
    if (hash && s.request_hash && s.request_hash !== hash) return KEY_REUSED;
    const seat = this.d.store.seatsOf(s.id).find((x) => x.student_id === studentId);
    if (!seat) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    if (s.status === "held") return fail("booking_in_progress", "This booking is still being made. Try again in a moment.");
    if (s.status === "released" || seat.status === "released") return fail(s.cancel_reason ?? "slot_unavailable", messageFor(s.cancel_reason ?? "slot_unavailable"));
    return { ok: true, value: this.d.view(s), replayed: true };
  }
}
