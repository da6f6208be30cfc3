import type { z } from "zod";
import { POLICY, rescheduleClosed, studentCancellationRefunds } from "../../domain/credits";
import type { Booking } from "../../domain/schemas/booking";
import { type Actor, CancelSchema, type CompleteSchema, Id, type MoveForTestingSchema, type NoShowSchema, type RescheduleSchema } from "./args";
import { cancelledToStudent, inviteOf } from "./confirmations";
import { closeRoom, leaveRoom, queueCancellation, queueUnpaidSeatGone } from "./offers";
import { MESSAGES, NOT_FOUND, type Outcome, fail } from "./outcome";
import type { Outbox } from "./outbox";
import type { SeatRow, SessionRow } from "./storage";
import type { CalendarStore } from "./store";
import type { Viewers } from "./viewers";
import type { Waitlist } from "./waitlist";
import { moveSeat } from "./wallet";
import type { WeeklySeries } from "./weekly";

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Cancelling what one student has in a session, on their account's behalf (`actor`: an admin, or the student). */
export const CancelForStudentSchema = CancelSchema.extend({ studentId: Id });

type Deps = {
  env: Env;
  store: CalendarStore;
  outbox: Outbox;
  viewers: Viewers;
  waitlist: Waitlist;
  weekly: WeeklySeries;
  /** A seat came free in a group: held for the first in line in the same step; when that hold ends, or null. */
  offerFreed: (sessionId: string, now: number) => number | null;
  /** The booking as the API shows it (its seats read unless given). */
  view: (s: SessionRow, seats?: SeatRow[]) => Booking;
  announce: (b: Booking, change: "cancelled" | "rescheduled" | "left" | "completed", userIds: string[]) => void;
  wakeAt: (at: number) => Promise<void>;
  remindAt: (start: number, now: number) => Promise<void>;
  /** Whether `minutes` from `start` are bookable now, the session `exceptSessionId` itself not counting as busy. */
  isFree: (start: number, minutes: number, now: number, exceptSessionId?: string) => boolean;
};

/**
 * What happens to a booked session after booking: it is cancelled (whole, or one student's seat in a group), moved,
 * completed, or cancelled after the fact because its tutor never came. Each checks and writes in one synchronous
 * step; refunds, notices and pushes go out through the outbox.
 */
export class SessionChanges {
  constructor(private readonly d: Deps) {}

  /**
   * Cancels a session (its tutor, an admin, or the student of a 1:1) or one student's seat (a student in a group).
   * Students are refunded when they cancel at least 24 h ahead; a tutor or admin cancelling always refunds everyone
   * (a tutor's students are first offered replacements). Repeating a cancellation changes nothing.
   */
  async cancel(a: z.infer<typeof CancelSchema>): Promise<Outcome<Booking>> {
    const { store, outbox } = this.d;
    const s = store.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const seats = store.seatsOf(s.id);
    const isTutor = a.actor.role === "tutor" && a.actor.id === store.tutorId;
    const isAdmin = a.actor.role === "admin";
    // Their live seat first: a student who left a group and took a seat again has two.
    const mine = seats.filter((x) => a.actor.role === "student" && x.student_id === a.actor.id);
    const mySeat = mine.find((x) => x.status === "confirmed") ?? mine[0];
    if (!isTutor && !isAdmin && !mySeat) return NOT_FOUND;
    if (s.status === "cancelled" || (mySeat?.status === "cancelled" && s.kind === "group")) return { ok: true, value: this.d.view(s) };
    if (s.status === "completed") return fail("already_completed", "This session has already taken place.");
    if (s.start_ms <= a.now) return fail("already_started", "This session has already started and can no longer be cancelled.");
    if (mySeat && s.kind === "group") return this.leaveGroup(s, mySeat, a.reason ?? null, a.now);

    const { booking, refunds } = this.cancelNow(s, { ...a.actor, isTutor: isTutor && !isAdmin }, a.reason ?? null, a.now);
    if (refunds) await outbox.settleBeforeAnswer();
    else outbox.afterAnswer();
    return { ok: true, value: booking };
  }

  /**
   * Cancels what one student has in a session when their account goes (an admin suspends it, or they delete it): their
   * seat in a group, which goes on for the tutor and the classmates (a weekly seat's week likewise), or the whole of a
   * 1:1. Refunds follow `actor` as in `cancel`: an admin's always, the student's own under the 24 h rule.
   */
  async cancelForStudent(a: z.infer<typeof CancelForStudentSchema>): Promise<Outcome<Booking>> {
    const { store } = this.d;
    const s = store.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const theirs = store.seatsOf(s.id).filter((x) => x.student_id === a.studentId);
    if (!theirs.length) return NOT_FOUND;
    if (s.kind !== "group") return this.cancel(a);
    const seat = theirs.find((x) => x.status === "confirmed");
    if (s.status === "cancelled" || !seat) return { ok: true, value: { ...this.d.view(s), status: "cancelled" } };
    if (s.status === "completed") return fail("already_completed", "This session has already taken place.");
    if (s.start_ms <= a.now) return fail("already_started", "This session has already started and can no longer be cancelled.");
    return this.leaveGroup(s, seat, a.reason ?? null, a.now, a.actor);
  }

  /**
   * Cancels a whole session in one synchronous step (no await): the writes, then what everyone learns after the
   * answer (offers when its tutor cancels, refunds, notices, pushes). `refunds`: the caller settles the outbox
   * before answering, so a refund is in the wallet when the answer arrives. An unpaid week of a series refunds nothing.
   */
  cancelNow(s: SessionRow, by: Actor & { isTutor: boolean }, reason: string | null, now: number): { booking: Booking; refunds: boolean } {
    const { store } = this.d;
    const live = store.seatsOf(s.id).filter((x) => x.status === "confirmed");
    if (this.d.weekly.unpaid(s.id) && live[0]) return { booking: this.d.weekly.cancelUnpaid(s, live[0].student_id, by, reason, now), refunds: false };
    const refund = by.isTutor || by.role === "admin" || studentCancellationRefunds(s.start_ms, now);
    // A group's weekly seats not paid yet have nothing to give back or to move to a replacement: they just go.
    const unpaid = s.kind === "group" ? live.filter((x) => this.d.weekly.unpaid(x.reservation_id)) : [];
    const paid = live.filter((x) => !unpaid.includes(x));
    store.cancelSession(s.id, by.id, reason, now);
    for (const seat of paid) store.cancelSeat(seat.reservation_id, refund);
    for (const seat of unpaid) {
      store.cancelSeat(seat.reservation_id, false);
      this.d.weekly.closed(seat.reservation_id);
    }
    this.d.waitlist.close(s.id);
    const cancelled = store.sessionNow(s.id);
    queueCancellation(this.d.outbox, { tutorId: store.tutorId, session: cancelled, seats: paid, by, refund, reason, now });
    for (const seat of unpaid) queueUnpaidSeatGone(this.d.outbox, { tutorId: store.tutorId, session: cancelled, studentId: seat.student_id, reservationId: seat.reservation_id, by, reason, now });
    const booking = this.d.view(cancelled);
    this.d.announce(booking, "cancelled", [store.tutorId, ...live.map((x) => x.student_id)]);
    this.d.viewers.changed(store.tutorId);
    return { booking, refunds: true };
  }

  /**
   * A student gives up their seat in a group (refunded when ≥ 24 h ahead); the session goes on. Their tutor or an
   * admin cancelling a student's weekly group seat refunds it always; a weekly seat not paid yet refunds nothing.
   */
  async leaveGroup(s: SessionRow, seat: SeatRow, reason: string | null, now: number, by?: Actor): Promise<Outcome<Booking>> {
    const { store, outbox, weekly } = this.d;
    if (seat.status !== "confirmed") return NOT_FOUND;
    const reservationId = seat.reservation_id;
    const unpaid = weekly.unpaid(reservationId);
    const refund = !unpaid && (by?.role === "admin" || by?.role === "tutor" || studentCancellationRefunds(s.start_ms, now));
    store.cancelSeat(reservationId, refund);
    if (unpaid) weekly.closed(reservationId);
    store.touch(s.id, now);
    const offeredUntil = this.d.offerFreed(s.id, now);
    outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId, refund, reason: "student left group", now });
    leaveRoom(outbox, s, seat.student_id, now);
    const current = store.sessionNow(s.id);
    const booking = this.d.view(current);
    outbox.enqueue({
      kind: "notice",
      userId: store.tutorId,
      nameOf: seat.student_id,
      template: { kind: "left_group", subject: s.subject, start: booking.start, studentName: "", seatsTaken: booking.seatsTaken, seats: booking.seats, reason },
      // Per seat taken: a student who takes the seat again and leaves again is told of again.
      dedupeKey: `left:${s.id}:${reservationId}`,
      link: `/sessions/${s.id}`,
    });
    cancelledToStudent(outbox, store.tutorId, current, seat, refund);
    this.d.announce({ ...booking, status: "cancelled" }, "left", [seat.student_id]);
    this.d.announce(booking, "left", [store.tutorId]);
    this.d.viewers.changed(store.tutorId);
    if (offeredUntil !== null) await this.d.wakeAt(offeredUntil);
    await outbox.settleBeforeAnswer();
    return { ok: true, value: { ...booking, status: "cancelled" } };
  }

  /**
   * Moves a 1:1 session. The new time is held (as a pending move that counts as busy) before the student's wallet
   * is asked, and the old time is only released once the move is confirmed. The price and earning stay as booked.
   * A room already open for the old time closes at the move, telling who is in it the new time.
   */
  async reschedule(a: z.infer<typeof RescheduleSchema>): Promise<Outcome<Booking>> {
    const { store, outbox, viewers } = this.d;
    const s = store.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const seat = store.seatsOf(s.id).find((x) => x.status === "confirmed");
    const isTutor = a.actor.role === "tutor" && a.actor.id === store.tutorId;
    const isStudent = a.actor.role === "student" && seat?.student_id === a.actor.id;
    if (!isTutor && !isStudent) return NOT_FOUND;
    if (s.kind !== "one_on_one") return fail("not_reschedulable", "Group sessions cannot be moved; cancel it and open a new one.");
    if (s.status !== "confirmed" || !seat) return fail("not_reschedulable", "Only confirmed sessions can be moved.");
    const closed = rescheduleClosed(isStudent ? "student" : "tutor", s.start_ms, a.now);
    if (closed) return fail(s.start_ms <= a.now ? "already_started" : "too_late_to_reschedule", closed);
    if (s.pending_start_ms !== null && (s.pending_expires_ms ?? 0) > a.now) return fail("conflict", "This booking is being moved already.");
    const length = s.end_ms - s.start_ms;
    const end = a.start + length;
    if (!this.d.isFree(a.start, length / MINUTE, a.now, s.id)) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    store.holdMove(s.id, a.start, end, holdUntil);
    viewers.taken(store.tutorId, [{ start: a.start, end }]);
    await this.d.wakeAt(holdUntil);

    let moved = false;
    try {
      moved = await moveSeat(this.d.env, { studentId: seat.student_id, reservationId: seat.reservation_id, start: a.start, end });
    } finally {
      if (!moved) store.dropMove(s.id);
    }
    if (!moved) {
      viewers.changed(store.tutorId);
      return fail("student_busy", isStudent ? MESSAGES.student_busy : "The student already has a session at that time.");
    }
    store.move(s.id, a.start, end, a.now);
    // `s` still holds the old times: whoever is in their room (opened 10 minutes before the start) is taken out now,
    // not left talking at a time the lesson no longer has.
    closeRoom(outbox, s, a.now, { start: a.start, end });
    // Each move is told once by the sequence it gave the session (read in the same step as the move): a move back
    // to an earlier time is a new change, and a retry of this one carries the same key.
    const move = store.sessionNow(s.id).sequence;
    await this.d.weekly.moved(s.id, a.start, a.now);
    const after = store.sessionNow(s.id);
    const booking = this.d.view(after);
    this.d.announce(booking, "rescheduled", [store.tutorId, seat.student_id]);
    const other = isTutor ? seat.student_id : store.tutorId;
    const previousStart = iso(s.start_ms);
    const link = `/sessions/${s.id}`;
    const invite = inviteOf(after, store.tutorId, "REQUEST");
    outbox.enqueue({
      kind: "notice",
      userId: other,
      nameOf: a.actor.id,
      template: { kind: "rescheduled", subject: s.subject, start: booking.start, previousStart, byName: "" },
      dedupeKey: `rescheduled:${s.id}:${move}:${other}`,
      link,
      ...(isTutor ? { invite } : {}),
    });
    // The student moved it: their calendar gets the updated invitation by email (nothing in their inbox).
    if (!isTutor) {
      outbox.enqueue({
        kind: "notice",
        userId: seat.student_id,
        nameOf: store.tutorId,
        template: { kind: "you_rescheduled", subject: s.subject, start: booking.start, previousStart, tutorName: "" },
        dedupeKey: `you-rescheduled:${s.id}:${move}`,
        link,
        inbox: false,
        invite,
      });
    }
    await this.d.remindAt(a.start, a.now);
    viewers.changed(store.tutorId);
    outbox.afterAnswer();
    return { ok: true, value: booking };
  }

  /**
   * Marks a session completed: by its tutor once it has started (ending the lesson), or by the system once it is
   * over. Then, after the answer, it is settled from attendance and the tutor's fixed earning accrues (once).
   */
  complete(a: z.infer<typeof CompleteSchema>): Outcome<Booking> {
    const { store, outbox } = this.d;
    const s = store.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const actor = a.actor === "system" ? null : a.actor;
    const system = actor === null;
    const allowed = system || actor.role === "admin" || (actor.role === "tutor" && actor.id === store.tutorId);
    if (!allowed) return NOT_FOUND;
    if (s.status === "completed") return { ok: true, value: this.d.view(s) };
    if (s.status !== "confirmed") return fail("not_completable", "Only confirmed sessions can be completed.");
    if (a.now < s.start_ms || (system && a.now < s.end_ms)) return fail("not_started", "This session has not taken place yet.");
    store.complete(s.id, a.now);
    const booking = this.d.view(store.sessionNow(s.id));
    outbox.enqueue({ kind: "earn", sessionId: s.id });
    this.d.announce(booking, "completed", [store.tutorId, ...booking.studentIds]);
    outbox.afterAnswer();
    return { ok: true, value: booking };
  }

  /**
   * The tutor never came to a session their student(s) came to: it is cancelled after the fact, every student is
   * refunded, no earnings accrue, and it counts against the tutor's reliability as a no-show.
   */
  async tutorNoShow(a: z.infer<typeof NoShowSchema>): Promise<Outcome<Booking>> {
    const { store, outbox } = this.d;
    const s = store.session(a.sessionId);
    if (!s || s.status !== "confirmed") return NOT_FOUND;
    if (a.now < s.end_ms) return fail("not_started", "This session is not over yet.");
    const live = store.seatsOf(s.id).filter((x) => x.status === "confirmed");
    store.cancelSession(s.id, "system", "tutor_no_show", a.now);
    const invite = inviteOf(store.sessionNow(s.id), store.tutorId, "CANCEL");
    for (const seat of live) {
      store.cancelSeat(seat.reservation_id, true);
      outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "tutor did not show up", now: a.now });
      outbox.enqueue({
        kind: "notice",
        userId: seat.student_id,
        nameOf: store.tutorId,
        template: { kind: "tutor_no_show", subject: s.subject, start: iso(s.start_ms), tutorName: "" },
        dedupeKey: `no-show:${s.id}:${seat.student_id}`,
        link: `/sessions/${s.id}`,
        invite,
      });
    }
    outbox.enqueue({ kind: "reliability", tutorId: store.tutorId, bookingId: s.id, event: "no_show", at: a.now });
    const booking = this.d.view(store.sessionNow(s.id));
    this.d.announce(booking, "cancelled", [store.tutorId, ...live.map((x) => x.student_id)]);
    await outbox.settleBeforeAnswer();
    return { ok: true, value: booking };
  }

  /**
   * Development and tests only (refused elsewhere): moves a session to any times, skipping every rule, so that
   * "now" can be inside a session that could only be booked ahead of the tutor's notice.
   */
  moveForTesting(a: z.infer<typeof MoveForTestingSchema>): Outcome<Booking> {
    const { env, store, outbox } = this.d;
    if (env.ENVIRONMENT !== "development" && env.ENVIRONMENT !== "test") return NOT_FOUND;
    store.bindTutor(a.tutorId);
    const s = store.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    store.move(s.id, a.start, a.end, a.now);
    outbox.enqueue({ kind: "project", sessionId: s.id });
    outbox.afterAnswer();
    return { ok: true, value: this.d.view(store.sessionNow(s.id)) };
  }
}
