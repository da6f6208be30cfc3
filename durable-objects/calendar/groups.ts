import type { z } from "zod";
import { seatEarningCents } from "../../domain/billing/earnings";
import { POLICY } from "../../domain/credits";
import { seatPrice } from "../../domain/credits/pricing";
import type { Booking } from "../../domain/schemas/booking";
import { WAITLIST_POLICY, type WaitlistPlace, type WaitlistSession } from "../../domain/waitlist";
import { commissionPercent } from "../../platform/commission";
import type { JoinGroupSchema, OpenGroupSchema } from "./args";
import { confirmToStudent } from "./confirmations";
import { refuseBooking } from "./facts";
import { type Failure, KEY_REUSED, MESSAGES, NOT_FOUND, type Outcome, fail, replay } from "./outcome";
import type { RequestKey } from "./requests";
import type { SessionRow } from "./storage";
import type { SeatTaking } from "./seatTaking";
import type { Waitlist, WaitlistArgsSchema } from "./waitlist";

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

type Deps = SeatTaking & { waitlist: Waitlist };

type WaitlistArgs = z.infer<typeof WaitlistArgsSchema>;

/**
 * Group sessions and the line for their seats: a tutor opens a group, students take seats (hold → pay → confirm),
 * a full group keeps a waitlist, and a seat that comes free is held for the first in line in the same synchronous
 * step as the change that freed it. Seats held for someone in line count as taken for everyone else.
 */
export class GroupSeats {
  constructor(private readonly d: Deps) {}

  /** A tutor opens a group session on one of their free slots; the seat price is fixed now, from the tutor's rate. */
  async open(a: z.infer<typeof OpenGroupSchema>): Promise<Outcome<Booking>> {
    const { store } = this.d;
    const facts = this.d.facts.get() ?? (await this.d.facts.load(this.d.env, a.tutorId));
    const existing = store.session(a.sessionId);
    if (existing) return existing.kind === "group" ? { ok: true, value: this.d.view(existing), replayed: true } : fail("conflict", "That id is taken.");
    if (!facts?.subjects.includes(a.subject)) return fail("subject_not_taught", "Add this subject to your profile first.", [{ path: "subject", message: "Not one of your subjects" }]);
    if (!this.d.isFree(a.start, a.durationMinutes, a.now)) return fail("slot_unavailable", "That time is not free in your calendar.");
    const end = a.start + a.durationMinutes * MINUTE;
    const credits = seatPrice({ kind: "group", hourlyRateCents: facts.hourlyRateCents, durationMinutes: a.durationMinutes, seats: a.seats });
    store.insertSession({ id: a.sessionId, kind: "group", status: "confirmed", subject: a.subject, start: a.start, end, seats: a.seats, credits, holdUntil: null, now: a.now, requestHash: null });
    const booking = this.d.view(store.sessionNow(a.sessionId));
    this.d.announce(booking, "booked", [a.tutorId]);
    this.d.viewers.taken(a.tutorId, [{ start: a.start, end }]);
    await this.d.remindAt(a.start, a.now);
    this.d.outbox.afterAnswer();
    return { ok: true, value: booking };
  }

  /** A student takes a seat: seat hold → pay → confirm. The count is checked and the hold written without an await. */
  async join(a: z.infer<typeof JoinGroupSchema>): Promise<Outcome<Booking>> {
    const { store } = this.d;
    const facts = this.d.facts.get() ?? (await this.d.facts.load(this.d.env, a.tutorId));
    const hash = a.request?.hash ?? null;
    const pending = this.d.inflight.get(a.reservationId);
    if (pending) return pending.hash === hash ? replay(pending.answer) : KEY_REUSED;
    const earlier = store.seat(a.reservationId);
    if (earlier) return this.repeatSeat(earlier.session_id, a.studentId, earlier.reservation_id, hash, earlier.request_hash);
    const s = a.sessionId ? store.session(a.sessionId) : store.groupAt(a.start ?? 0, a.subject ?? "");
    const refused = refuseBooking(facts, s?.subject ?? a.subject ?? "");
    if (refused) return refused;
    if (!s || s.kind !== "group" || s.status !== "confirmed") return fail("slot_unavailable", "There is no open group session at that time.");
    const mine = store.seatsOf(s.id).find((x) => x.student_id === a.studentId && (x.status === "confirmed" || x.status === "held"));
    if (mine?.status === "confirmed") return { ok: true, value: this.d.view(s), replayed: true };
    if (mine) return this.d.inflight.get(mine.reservation_id)?.answer ?? fail("slot_unavailable", "Your seat is being booked already.");
    if (s.start_ms <= a.now) return fail("slot_unavailable", "This group session has already started.");
    // Seats held for people in line count as taken, except the one held for this student.
    if (this.seatsFree(s, a.studentId, a.now) <= 0) return this.full(s.id, a.studentId);
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    store.holdSeat({ sessionId: s.id, studentId: a.studentId, reservationId: a.reservationId, credits: s.credits, holdUntil, requestHash: hash });
    return this.d.once(a.reservationId, hash, async () => {
      await this.d.wakeAt(holdUntil);
      return this.confirmSeat(s, a.studentId, a.reservationId, a.request, a.now);
    });
  }

  private async confirmSeat(s: SessionRow, studentId: string, reservationId: string, request: RequestKey | undefined, now: number): Promise<Outcome<Booking>> {
    const { store, outbox } = this.d;
    const seat = { studentId, sessionId: s.id, reservationId, tutorId: store.tutorId, start: s.start_ms, end: s.end_ms, now };
    const paid = await this.d.pay(seat, { cost: s.credits, request }, () => store.releaseSeat(reservationId));
    if (!paid.ok) {
      store.releaseSeat(reservationId);
      await this.offerFreedSeats(s.id, now);
      return paid;
    }
    if (store.seat(reservationId)?.status !== "held" || store.sessionNow(s.id).status !== "confirmed") return this.d.refundLateSeat(seat, "seat hold expired");
    store.confirmSeat(reservationId, JSON.stringify(paid.value), seatEarningCents(paid.value, commissionPercent(this.d.env)));
    // A seat taken from the waitlist (or directly, by someone in line) takes them out of the line.
    this.seated(s.id, studentId);
    store.touch(s.id, now);
    const current = store.sessionNow(s.id);
    const booking = this.d.view(current);
    this.d.announce(booking, "joined", paid.tabs === false ? [store.tutorId] : [studentId, store.tutorId]);
    this.toldTutor(current, studentId, reservationId, booking);
    confirmToStudent(outbox, store.tutorId, current, studentId, s.credits);
    this.d.viewers.changed(store.tutorId);
    outbox.afterAnswer();
    return { ok: true, value: booking };
  }

  /**
   * The tutor hears who took a seat in their group and how full it is now, as they hear of a 1:1 booked (inbox and
   * email, after the answer). Keyed per seat taken, as its leaving is: a student who leaves and takes the seat again
   * is told of again, a retry of the same seat is not. A seat from the waitlist is taken here too; a weekly group
   * seat is told once for its series (calendar/weekly.ts).
   */
  private toldTutor(s: SessionRow, studentId: string, reservationId: string, booking: Booking) {
    this.d.outbox.enqueue({
      kind: "notice",
      userId: this.d.store.tutorId,
      nameOf: studentId,
      template: { kind: "group_joined", subject: s.subject, start: booking.start, studentName: "", seatsTaken: booking.seatsTaken, seats: booking.seats },
      dedupeKey: `joined:${s.id}:${reservationId}`,
      link: `/sessions/${s.id}`,
    });
  }

  /** The answer to a seat taken before under the same reservation id. */
  private repeatSeat(sessionId: string, studentId: string, reservationId: string, hash: string | null, firstHash: string | null): Outcome<Booking> {
    if (hash && firstHash && hash !== firstHash) return KEY_REUSED;
    const s = this.d.store.session(sessionId);
    const seat = this.d.store.seat(reservationId);
    if (!s || seat?.student_id !== studentId) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    if (seat.status === "held") return fail("booking_in_progress", "This booking is still being made. Try again in a moment.");
    if (seat.status === "released") return fail("slot_unavailable", "This group session is no longer available.");
    return { ok: true, value: this.d.view(s), replayed: true };
  }

  // ───────────────────────── the waitlist ─────────────────────────

  /** A group session and where the student stands in its waitlist. */
  waitlistView(a: WaitlistArgs): Outcome<{ session: WaitlistSession; waitlist: WaitlistPlace }> {
    const s = this.groupRow(a.sessionId);
    if (!s) return NOT_FOUND;
    return { ok: true, value: { session: this.groupView(s, a.now), waitlist: this.placeOf(s, a.studentId, a.now) } };
  }

  /**
   * Puts a student in line for a full group session (at the back; already in line: where they are). Refused when a
   * seat is free (book it) or they hold one. Checked and written with no await: concurrent joins queue in order.
   */
  joinWaitlist(a: WaitlistArgs): Outcome<WaitlistPlace> {
    const s = this.groupRow(a.sessionId);
    if (!s) return NOT_FOUND;
    if (s.status !== "confirmed" || s.start_ms <= a.now) return fail("already_started", "This group session has already started or is no longer open.");
    const place = this.placeOf(s, a.studentId, a.now);
    if (place.status === "seated") return fail("already_booked", "You already have a seat in this group session.");
    if (place.status === "none" && this.seatsFree(s, a.studentId, a.now) > 0) return fail("seats_available", "A seat is free in this group session: book it directly.");
    this.d.waitlist.join(s.id, a.studentId, a.now);
    return { ok: true, value: this.placeOf(s, a.studentId, a.now) };
  }

  /** Takes a student out of the line; a seat held for them passes to the next in line at once. */
  async leaveWaitlist(a: WaitlistArgs): Promise<Outcome<WaitlistPlace>> {
    const s = this.groupRow(a.sessionId);
    if (!s) return NOT_FOUND;
    const offeredUntil = this.d.waitlist.leave(s.id, a.studentId) ? this.offerFreed(s.id, a.now) : null;
    if (offeredUntil !== null) await this.d.wakeAt(offeredUntil);
    this.d.outbox.afterAnswer();
    return { ok: true, value: this.placeOf(s, a.studentId, a.now) };
  }

  /** Offers whose 30 minutes ran out by `now` lapse, and their seats pass on. */
  async passOnLapsedOffers(now: number): Promise<void> {
    const untils = this.d.waitlist.expire(now).map((sessionId) => this.offerFreed(sessionId, now));
    const first = Math.min(...untils.filter((t): t is number => t !== null));
    if (Number.isFinite(first)) await this.d.wakeAt(Math.max(first, Date.now() + 100));
    this.d.outbox.afterAnswer();
  }

  /** Seats of a group free for `student` (null: for anyone): not held, taken, or held for someone else in line. */
  seatsFree(s: SessionRow, student: string | null, now: number): number {
    return s.seats - this.d.store.takenSeats(s.id) - this.d.waitlist.heldFor(s.id, now, student);
  }

  /** The student has a seat now: out of that group's line. */
  seated(sessionId: string, studentId: string) {
    this.d.waitlist.seated(sessionId, studentId);
  }

  /** A seat came free: offered to the first in line in the same step; the alarm is set for the hold's end. */
  freed(sessionId: string, now: number) {
    const until = this.offerFreed(sessionId, now);
    if (until !== null) void this.d.wakeAt(until);
  }

  /**
   * While the group has a free seat and someone waits, holds it for the first in line and tells them (inbox, live
   * push, email), in the same synchronous step as the change that freed it. When the first hold ends, or null.
   */
  offerFreed(sessionId: string, now: number): number | null {
    const { store, outbox } = this.d;
    const s = store.session(sessionId);
    if (!s || s.kind !== "group" || s.status !== "confirmed" || s.start_ms <= now) return null;
    let first: number | null = null;
    while (this.seatsFree(s, null, now) > 0) {
      const offer = this.d.waitlist.offerNext(s.id, now);
      if (!offer) break;
      outbox.enqueue({
        kind: "notice",
        userId: offer.studentId,
        nameOf: store.tutorId,
        template: { kind: "waitlist_seat", subject: s.subject, start: iso(s.start_ms), tutorName: "", until: iso(offer.until), minutes: s.credits },
        dedupeKey: `waitlist:${s.id}:${offer.studentId}:${offer.until}`,
        link: `/groups/${s.id}`,
      });
      first ??= offer.until;
    }
    if (first !== null) this.d.viewers.changed(store.tutorId);
    return first;
  }

  /** `offerFreed`, then the alarm set for the hold's end and the notices sent after the answer. */
  private async offerFreedSeats(sessionId: string, now: number): Promise<void> {
    const until = this.offerFreed(sessionId, now);
    if (until !== null) await this.d.wakeAt(until);
    this.d.outbox.afterAnswer();
  }

  /** Why a full group refuses a seat: a student whose held seat lapsed hears that, not only that it is full. */
  private full(sessionId: string, studentId: string): Failure {
    if (this.d.waitlist.lapsed(sessionId, studentId)) {
      return fail("waitlist_offer_expired", `Your ${WAITLIST_POLICY.holdMinutes}-minute hold on this seat ran out, and the seat passed to the next in line. Join the waitlist again to be told when another seat frees up.`);
    }
    return fail("slot_unavailable", "This group session is full. Join its waitlist to be told when a seat frees up.");
  }

  /** A group session the waitlist can speak of (not one being booked or let go), or null. */
  private groupRow(sessionId: string): SessionRow | null {
    const s = this.d.store.session(sessionId);
    return s && s.kind === "group" && s.status !== "held" && s.status !== "released" ? s : null;
  }

  private placeOf(s: SessionRow, studentId: string, now: number): WaitlistPlace {
    const seated = this.d.store.seatsOf(s.id).some((x) => x.student_id === studentId && (x.status === "confirmed" || x.status === "held"));
    if (seated) return { sessionId: s.id, status: "seated", position: null, length: this.d.waitlist.place(s.id, studentId, now).length, offerUntil: null };
    return { sessionId: s.id, ...this.d.waitlist.place(s.id, studentId, now) };
  }

  private groupView(s: SessionRow, now: number): WaitlistSession {
    const status = s.status !== "confirmed" ? "closed" : s.start_ms <= now ? "started" : "open";
    return {
      id: s.id,
      tutorId: this.d.store.tutorId,
      tutorName: this.d.facts.get()?.name,
      subject: s.subject,
      start: iso(s.start_ms),
      end: iso(s.end_ms),
      seats: s.seats,
      seatsTaken: Math.min(s.seats, this.d.store.takenSeats(s.id) + this.d.waitlist.heldFor(s.id, now, null)),
      creditsMinutes: s.credits,
      status,
    };
  }
}
