import { DateTime } from "luxon";
import type { z } from "zod";
import { seatEarningCents } from "../../domain/billing/earnings";
import { seatPrice } from "../../domain/credits/pricing";
import { occurrenceIdFor } from "../../domain/bookingIds";
import type { Availability } from "../../domain/schemas/availability";
import { causeReason } from "../../domain/notifications/messages";
import type { Booking } from "../../domain/schemas/booking";
import type { Series } from "../../domain/schemas/series";
import { POLICY, rescheduleClosed } from "../../domain/credits";
import type { KeptWeek, SeriesMove } from "../../domain/schemas/series";
import { SERIES_POLICY, chargeAt, movedWeekStart, nextChargeTry, releaseAt, weeklyStarts } from "../../domain/series";
import { computeSlots, isSlotAvailable } from "../../domain/time";
import type { SpentSlice } from "../../domain/billing/earnings";
import { commissionPercent } from "../../platform/commission";
import type { Actor } from "./args";
import { confirmToStudent, inviteOf } from "./confirmations";
import { closeRoom, leaveRoom } from "./offers";
import { KEY_REUSED, MESSAGES, NOT_FOUND, type Outcome, fail, messageFor } from "./outcome";
import type { Outbox } from "./outbox";
import { Reminders } from "./reminders";
import { type BookSeriesSchema, type MoveSeriesSchema, type OccurrenceRow, type SeriesStore, type SkippedSchema, occurrenceView, seriesView } from "./series";
import type { SeatRow, SessionRow } from "./storage";
import type { CalendarStore } from "./store";
import { claimWeeks, moveSeat, paySeat } from "./wallet";

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** Later weeks of a series may lie beyond the tutor's booking horizon: they are checked against the rules anyway. */
const SERIES_HORIZON_DAYS = 7 * SERIES_POLICY.maxWeeks + 7;

type Deps = {
  env: Env;
  store: CalendarStore;
  series: SeriesStore;
  outbox: Outbox;
  transact: <T>(fn: () => T) => T;
  /** The booking as the API shows it (its seats read unless given). */
  view: (s: SessionRow, seats?: SeatRow[]) => Booking;
  announce: (b: Booking, change: "booked" | "cancelled" | "left" | "rescheduled", userIds: string[]) => void;
  changed: () => void;
  wakeAt: (at: number) => Promise<void>;
  tutorName: () => string | undefined;
  /** The calendar's seat counting and waitlist, which a weekly group seat shares with every other seat. */
  groups: {
    /** Seats of a group free for `studentId` (held for others in line count as taken). */
    seatsFree: (s: SessionRow, studentId: string, now: number) => number;
    /** The student has a seat now: out of that group's line. */
    seated: (sessionId: string, studentId: string) => void;
    /** A seat came free: offered to the first in line in the same step (the alarm is set for the hold's end). */
    freed: (sessionId: string, now: number) => void;
  };
};

/** One week of a series: its seat (by the occurrence's id) and the session it is in. */
type Week = { seat: SeatRow; session: SessionRow; group: boolean };

/**
 * Where a week is, for what is told of it once there (a conflict, a payment due): a 1:1 week's sequence, which each
 * move of it moves on, so a week moved away and back is told again while a retry of the same step says nothing twice.
 * A seat in a group never moves, and the group's sequence moves with every classmate's seat: its start says it.
 */
const toldAt = (w: Pick<Week, "session" | "group">) => (w.group ? String(w.session.start_ms) : `v${w.session.sequence}`);

/**
 * Weekly lessons: reserving every week at once, taking each week's credits when it is due (the alarm), releasing
 * the weeks still unpaid at the deadline, and cancelling the rest of a series. The occurrences are ordinary
 * sessions, so the calendar's own cancel and reschedule apply to each one under the usual policy.
 */
export class WeeklySeries {
  constructor(private readonly d: Deps) {}

  /**
   * Books every week of the series: each week is checked and written in one synchronous step (no `await` between
   * any check and its write), so nothing can take a week in between. Weeks the tutor is busy in are skipped and
   * reported with the times free that day. A first lesson already inside the charge window is paid now; if it
   * cannot be, the whole series is refused.
   */
  async book(a: z.infer<typeof BookSeriesSchema>, hourlyRateCents: number, availability: Availability): Promise<Outcome<Series>> {
    const { store, series } = this.d;
    const starts = weeklyStarts(a.start, availability.timezone, a.weeks);
    const length = a.durationMinutes * MINUTE;
    const fits = (start: number, horizonDays: number) =>
      isSlotAvailable({ availability: { ...availability, horizonDays }, busy: store.busy(start, start + length), now: a.now, durationMinutes: a.durationMinutes }, start);
    const cost = seatPrice({ kind: "one_on_one", hourlyRateCents, durationMinutes: a.durationMinutes });
    const booked = this.d.transact(() => {
      const firstGroup = a.group ? this.groupWithSeat(starts[0]!, a) : null;
      if (a.group ? !firstGroup : !fits(starts[0]!, availability.horizonDays)) return null;
      const skipped: z.infer<typeof SkippedSchema>[] = [];
      const ids: string[] = [];
      starts.forEach((start, k) => {
        const id = occurrenceIdFor(a.seriesId, k + 1);
        if (a.group) {
          // A seat in that week's group session, when the tutor opened one and it has a seat for this student.
          const g = k === 0 ? firstGroup : this.groupWithSeat(start, a);
          if (!g) {
            skipped.push({ start: iso(start), alternatives: this.groupsThatDay(start, a, availability.timezone) });
            return;
          }
          store.sql.exec("INSERT INTO seats (session_id, student_id, reservation_id, status, credits) VALUES (?, ?, ?, 'confirmed', ?)", g.id, a.studentId, id, g.credits);
          store.touch(g.id, a.now);
          this.d.groups.seated(g.id, a.studentId);
        } else {
          if (k > 0 && !fits(start, SERIES_HORIZON_DAYS)) {
            skipped.push({ start: iso(start), alternatives: this.freeThatDay(start, a.durationMinutes, availability, a.now) });
            return;
          }
          store.insertSession({ id, kind: "one_on_one", status: "confirmed", subject: a.subject, start, end: start + length, seats: 1, credits: cost, holdUntil: null, now: a.now, requestHash: null });
          store.sql.exec("INSERT INTO seats (session_id, student_id, reservation_id, status, credits) VALUES (?, ?, ?, 'confirmed', ?)", id, a.studentId, id, cost);
        }
        series.addOccurrence(id, a.seriesId, k + 1, Math.max(chargeAt(start), a.now));
        ids.push(id);
      });
      const durationMinutes = firstGroup ? (firstGroup.end_ms - firstGroup.start_ms) / MINUTE : a.durationMinutes;
      series.insert({ id: a.seriesId, studentId: a.studentId, subject: a.subject, durationMinutes, weeks: a.weeks, zone: availability.timezone, skipped, requestHash: a.request?.hash ?? null, now: a.now });
      return { ids, skipped };
    });
    if (!booked) return a.group ? fail("slot_unavailable", "There is no group session with a seat for you at that time. Join its waitlist, or pick another time.") : fail("slot_unavailable", MESSAGES.slot_unavailable);
    this.d.changed();
    const ids = await this.claim(a, booked.ids);
    if (ids === "reused") {
      this.refuse(a.seriesId, booked.ids, KEY_REUSED.code, a.now);
      return KEY_REUSED;
    }
    if (ids === "short") {
      this.refuse(a.seriesId, booked.ids, "insufficient_credits", a.now);
      return fail("insufficient_credits", "You need enough credit for the first week to book weekly lessons. Top up, then book again.");
    }
    if (ids === "closed") {
      this.refuse(a.seriesId, booked.ids, "account_closed", a.now);
      return fail("account_closed", MESSAGES.account_closed);
    }
    if (!ids.length) {
      this.refuse(a.seriesId, booked.ids, "student_busy", a.now);
      return fail("student_busy", MESSAGES.student_busy);
    }
    const [first] = ids;
    await this.d.wakeAt(Math.min(...[this.d.series.nextDue() ?? Infinity, ...Reminders.times(starts[0]!, a.now)]));

    if (first && chargeAt(this.week(first).session.start_ms) <= a.now) {
      const paid = await this.charge(first, a.now);
      if (!paid.ok) {
        this.refuse(a.seriesId, booked.ids, paid.code, a.now);
        return paid;
      }
    }
    this.told(a, ids, booked.skipped, first ? this.week(first).seat.credits : cost);
    this.d.outbox.afterAnswer();
    return { ok: true, value: this.view(a.seriesId) };
  }

  /**
   * Every week claims the student's time in their wallet, as a paid week does (issue 15: no double booking). The
   * calendar holds the weeks first, then asks; a week the student is busy in is given up here, never seen by anyone,
   * and reported as skipped (student_busy). A first week due now stays: its payment answers student_busy and the
   * series is refused, as before. Answers the weeks kept, or "reused" when the wallet refused the request's
   * Idempotency-Key (used before for another request), or "short" when the student's credit does not cover the first
   * week: a series holds the tutor's hour every week before any is paid, so a student with no credit cannot take a
   * tutor's week for a year; or "closed" when the account was suspended or deleted. If the wallet cannot be reached,
   * the series is refused.
   */
  private async claim(a: z.infer<typeof BookSeriesSchema>, ids: string[]): Promise<string[] | "reused" | "short" | "closed"> {
    const { store, series } = this.d;
    const weeks = ids.map((id) => ({ id, ...this.week(id) }));
    let busy: Set<string>;
    try {
      const claims = weeks.map((w) => ({ reservationId: w.seat.reservation_id, sessionId: w.session.id, tutorId: store.tutorId, start: w.session.start_ms, end: w.session.end_ms }));
      const answer = await claimWeeks(this.d.env, a.studentId, claims, { request: a.request, cover: weeks[0]?.seat.credits }, Math.min(a.now, Date.now()));
      if (answer === "reused" || answer === "short" || answer === "closed") return answer;
      busy = answer;
    } catch (e) {
      this.refuse(a.seriesId, ids, "slot_unavailable", a.now);
      throw e;
    }
    const dueNow = (w: (typeof weeks)[number]) => w === weeks[0] && chargeAt(w.session.start_ms) <= a.now;
    const gone = weeks.filter((w) => busy.has(w.id) && !dueNow(w));
    if (!gone.length) return ids;
    this.d.transact(() => {
      for (const w of gone) {
        store.sql.exec("DELETE FROM seats WHERE reservation_id = ?", w.id);
        if (w.group) {
          store.touch(w.session.id, a.now);
          this.d.groups.freed(w.session.id, a.now);
        } else store.sql.exec("DELETE FROM sessions WHERE id = ?", w.id);
        series.dropOccurrence(w.id);
      }
      series.addSkipped(a.seriesId, gone.map((w) => ({ start: iso(w.session.start_ms), alternatives: [], code: "student_busy" as const })));
    });
    this.d.changed();
    return ids.filter((id) => !gone.some((w) => w.id === id));
  }

  /** The series as `actor` may see it: its student, its tutor, an admin; anyone else gets not found. */
  get(seriesId: string, actor: Actor): Outcome<Series> {
    const s = this.d.series.get(seriesId);
    if (!s || s.status === "refused" || !this.mayAct(s.student_id, actor)) return fail("not_found", "That series was not found.");
    return { ok: true, value: this.view(seriesId) };
  }

  /** The answer to a series booked before under the same id (a retry of its Idempotency-Key). */
  repeat(seriesId: string, studentId: string, hash: string | null): Outcome<Series> | null {
    const s = this.d.series.get(seriesId);
    if (!s) return null;
    if (s.student_id !== studentId) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    if (hash && s.request_hash && s.request_hash !== hash) return KEY_REUSED;
    if (s.status === "refused") return fail(s.refusal ?? "slot_unavailable", messageFor(s.refusal ?? "slot_unavailable"));
    return { ok: true, value: this.view(seriesId), replayed: true };
  }

  /**
   * Cancels the occurrences still to come from `from` on (all of them when absent), each one through `cancelOne` —
   * the calendar's own cancel, under the normal policy for each week. Repeating it changes nothing more.
   */
  async cancelRest(a: { seriesId: string; actor: Actor; from?: number; now: number }, cancelOne: (week: Week) => Promise<Outcome<Booking>>): Promise<Outcome<Series>> {
    const s = this.d.series.get(a.seriesId);
    if (!s || s.status === "refused" || !this.mayAct(s.student_id, a.actor)) return fail("not_found", "That series was not found.");
    const from = Math.max(a.from ?? a.now, a.now);
    const upcoming = this.d.series
      .occurrencesOf(a.seriesId)
      .map((o) => this.week(o.session_id))
      .filter((w) => w.seat.status === "confirmed" && w.session.status === "confirmed" && w.session.start_ms > a.now);
    for (const w of upcoming.filter((w) => w.session.start_ms >= from)) {
      const done = await cancelOne(w);
      if (!done.ok && done.code !== "already_started") return done;
    }
    if (upcoming.every((w) => w.session.start_ms >= from)) this.d.series.setStatus(a.seriesId, "cancelled", a.now);
    return { ok: true, value: this.view(a.seriesId) };
  }

  /**
   * Moves the rest of a 1:1 series: the first week starting at or after `from` goes to `start`, every later week by
   * the same change of the tutor's weekday and wall-clock time (DST-correct). In one synchronous step each week is
   * checked under the normal reschedule policy and against the tutor's busy time and hours at its new time; a week
   * that cannot move stays and is reported (with what is free that day when the tutor is busy). Each week's new
   * time is held there and its reservation (paid, or an unpaid week's claim) moved in the student's wallet after (as
   * a single reschedule does), so nothing can take it meanwhile; a week the student is busy at stays (student_busy).
   * Ids, prices and credits stay; one projection, one notice to each side.
   */
  async moveRest(a: z.infer<typeof MoveSeriesSchema>, availability: Availability | null): Promise<Outcome<SeriesMove>> {
    const { store, series } = this.d;
    const s = series.get(a.seriesId);
    if (!s || s.status === "refused" || !this.mayAct(s.student_id, a.actor)) return fail("not_found", "That series was not found.");
    const weeks = series.occurrencesOf(a.seriesId).map((o) => this.week(o.session_id));
    if (weeks.some((w) => w.group)) return fail("series_is_group", "A weekly group seat follows the times of the tutor's groups and cannot be moved: cancel the rest and take a seat in another group.");
    const upcoming = weeks.filter((w) => w.seat.status === "confirmed" && w.session.status === "confirmed" && w.session.start_ms > a.now && w.session.start_ms >= a.from);
    const anchor = upcoming[0];
    if (!anchor) return fail("nothing_to_move", "No week of this series from then on is still to come.");
    if (!availability) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    const role = a.actor.role === "student" ? "student" : "tutor";
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    type Move = { w: Week; start: number; end: number };
    // Moving later, the last week goes first (it may free the time the week before moves to), and the other way round.
    const order = a.start > anchor.session.start_ms ? [...upcoming].reverse() : upcoming;
    const step = this.d.transact(() => {
      const kept: KeptWeek[] = [];
      const held: Move[] = [];
      for (const w of order) {
        const length = w.session.end_ms - w.session.start_ms;
        const start = movedWeekStart(w.session.start_ms, anchor.session.start_ms, a.start, availability.timezone);
        const end = start + length;
        const keep = (code: string, alternatives: string[] = []) => kept.push({ id: w.session.id, start: iso(w.session.start_ms), code, alternatives });
        if (start === w.session.start_ms) continue;
        if (rescheduleClosed(role, w.session.start_ms, a.now)) keep("too_late_to_reschedule");
        else if (w.session.pending_start_ms !== null && (w.session.pending_expires_ms ?? 0) > a.now) keep("conflict");
        else if (!isSlotAvailable({ availability: { ...availability, horizonDays: SERIES_HORIZON_DAYS }, busy: store.busy(start, end, w.session.id), now: a.now, durationMinutes: length / MINUTE }, start)) {
          keep("slot_unavailable", this.freeThatDay(start, length / MINUTE, availability, a.now));
        } else {
          store.holdMove(w.session.id, start, end, holdUntil);
          held.push({ w, start, end });
        }
      }
      return { kept, held };
    });
    const { kept } = step;
    const moved: Move[] = [];
    if (step.held.length) await this.d.wakeAt(holdUntil);
    for (const h of step.held) {
      let ok = false;
      try {
        ok = await moveSeat(this.d.env, { studentId: h.w.seat.student_id, reservationId: h.w.seat.reservation_id, start: h.start, end: h.end });
      } catch {
        ok = false;
      }
      if (ok) {
        store.move(h.w.session.id, h.start, h.end, a.now);
        if (series.unpaid(h.w.seat.reservation_id)) series.retryAt(h.w.seat.reservation_id, Math.max(chargeAt(h.start), a.now));
        moved.push(h);
      } else {
        store.dropMove(h.w.session.id);
        kept.push({ id: h.w.session.id, start: iso(h.w.session.start_ms), code: "student_busy", alternatives: [] });
      }
    }
    kept.sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
    if (moved.length) await this.toldMoved(a, s.subject, s.student_id, anchor, moved.map((m) => m.start), kept.length);
    return { ok: true, value: { series: this.view(a.seriesId), kept } };
  }

  /** After a move of the rest of a series: one projection, one live change, one notice to each side; the alarm set. */
  private async toldMoved(a: z.infer<typeof MoveSeriesSchema>, subject: string, studentId: string, anchor: Week, starts: number[], kept: number) {
    const { store, outbox } = this.d;
    const first = Math.min(...starts);
    outbox.enqueue({ kind: "project_series", seriesId: a.seriesId });
    const link = `/series/${a.seriesId}`;
    const template = { kind: "series_moved" as const, subject, start: iso(first), previousStart: iso(anchor.session.start_ms), byName: "", moved: starts.length, kept };
    for (const userId of [studentId, store.tutorId]) {
      // The one who moved it reads "You moved…", the other their name (support's, for an admin).
      const byYou = userId === a.actor.id;
      const nameOf = byYou || a.actor.role === "admin" ? null : a.actor.id;
      outbox.enqueue({ kind: "notice", userId, nameOf, template: { ...template, byYou }, dedupeKey: `series-moved:${a.seriesId}:${a.start}:${a.now}:${userId}`, link });
    }
    this.d.announce(this.d.view(store.sessionNow(anchor.session.id)), "rescheduled", [store.tutorId, studentId]);
    this.d.changed();
    outbox.afterAnswer();
    await this.d.wakeAt(Math.min(this.d.series.nextDue() ?? Infinity, ...Reminders.times(first, a.now)));
  }

  /**
   * An occurrence not paid yet is cancelled: nothing was spent, so nothing is refunded or offered; the other side
   * is told, and a tutor's cancellation still counts for their reliability.
   */
  cancelUnpaid(s: SessionRow, studentId: string, by: Actor & { isTutor: boolean }, reason: string | null, now: number): Booking {
    const { store, outbox } = this.d;
    store.cancelSession(s.id, by.id, reason, now);
    store.sql.exec("UPDATE seats SET status = 'cancelled', refunded = 0 WHERE session_id = ? AND status = 'confirmed'", s.id);
    this.d.series.closed(s.id);
    outbox.enqueue({ kind: "release", studentId, reservationId: s.id, refund: false, reason: "weekly lesson cancelled before it was paid", now });
    leaveRoom(outbox, s, studentId, now);
    closeRoom(outbox, s, now);
    const start = iso(s.start_ms);
    const link = `/sessions/${s.id}`;
    for (const userId of [studentId, store.tutorId].filter((u) => u !== by.id)) {
      outbox.enqueue({
        kind: "notice",
        userId,
        nameOf: by.role === "admin" ? null : by.id,
        template: { kind: "cancelled", subject: s.subject, start, byName: "", byRole: by.role, reason, refunded: false },
        dedupeKey: `cancelled:${s.id}:${userId}`,
        link,
      });
    }
    if (by.isTutor) outbox.enqueue({ kind: "reliability", tutorId: store.tutorId, bookingId: s.id, event: "tutor_cancelled", start: s.start_ms, at: now });
    const booking = this.d.view(store.sessionNow(s.id));
    this.d.announce(booking, "cancelled", [store.tutorId, studentId]);
    this.d.changed();
    return booking;
  }

  /**
   * The student paused their plan: every week of their series starting in [from, until) is skipped. It is not
   * charged (or, if its credits were already taken, they go back in full, whatever the cancellation policy),
   * its time is freed, and both sides are told. Safe to repeat: a skipped week is no longer live.
   */
  skipPaused(studentId: string, from: number, until: number, now: number): string[] {
    const { store, outbox, series } = this.d;
    const weeks = series.liveOccurrencesOfStudent(studentId, Math.max(from, now), until);
    const skipped = this.d.transact(() =>
      weeks.map((o) => {
        const { session: s, group } = this.week(o.session_id);
        const paid = o.paid_ms !== null;
        if (group) {
          store.cancelSeat(o.session_id, paid);
          store.touch(s.id, now);
          this.d.groups.freed(s.id, now);
        } else {
          store.cancelSession(s.id, studentId, causeReason("plan_paused"), now);
          store.sql.exec("UPDATE seats SET status = 'cancelled', refunded = ? WHERE session_id = ? AND status = 'confirmed'", paid ? 1 : 0, s.id);
        }
        series.closed(o.session_id);
        // Paid: its credits go back; unpaid: its claim on the student's time is let go.
        outbox.enqueue({ kind: "release", studentId, reservationId: o.session_id, refund: paid, reason: "plan paused", now });
        leaveRoom(outbox, s, studentId, now);
        if (!group) closeRoom(outbox, s, now);
        this.toldPaused(s, o.series_id, studentId, paid, group);
        return s;
      }),
    );
    for (const s of skipped) this.d.announce(this.d.view(store.sessionNow(s.id)), s.kind === "group" ? "left" : "cancelled", [store.tutorId, studentId]);
    if (skipped.length) this.d.changed();
    outbox.afterAnswer();
    return skipped.map((s) => s.id);
  }

  /**
   * A skipped week, told: the student as their own pause (with the invitation's CANCEL, which takes it off their
   * calendar), the tutor as the student's doing, the cause a code each reader's language renders.
   */
  private toldPaused(s: SessionRow, seriesId: string, studentId: string, paid: boolean, group: boolean) {
    const { store, outbox } = this.d;
    const start = iso(s.start_ms);
    const after = store.sessionNow(s.id);
    outbox.enqueue({
      kind: "notice",
      userId: studentId,
      nameOf: null,
      template: { kind: "series_paused", subject: s.subject, start, refunded: paid },
      dedupeKey: `paused:${s.id}:${studentId}`,
      link: `/series/${seriesId}`,
      invite: inviteOf(after, store.tutorId, "CANCEL"),
    });
    const link = `/sessions/${s.id}`;
    if (group) {
      // Only the student's seat goes: the tutor's group goes on, one seat freer.
      const b = this.d.view(after);
      outbox.enqueue({
        kind: "notice",
        userId: store.tutorId,
        nameOf: studentId,
        template: { kind: "left_group", subject: s.subject, start, studentName: "", seatsTaken: b.seatsTaken, seats: b.seats, cause: "plan_paused" },
        // Per student: two students' pauses may skip the same group week, and the tutor hears of each.
        dedupeKey: `paused:${s.id}:${store.tutorId}:${studentId}`,
        link,
      });
    } else {
      outbox.enqueue({
        kind: "notice",
        userId: store.tutorId,
        nameOf: studentId,
        template: { kind: "cancelled", subject: s.subject, start, byName: "", byRole: "student", cause: "plan_paused", refunded: false },
        dedupeKey: `paused:${s.id}:${store.tutorId}`,
        link,
      });
    }
  }

  /**
   * A moved occurrence not paid yet is charged on the new schedule (7 days before its new start, or at once when that
   * has passed: the alarm tries it before it could release it, even when it now starts in less than 24 h).
   */
  async moved(sessionId: string, start: number, now: number) {
    if (!this.d.series.unpaid(sessionId)) return;
    const due = Math.max(chargeAt(start), now);
    this.d.series.retryAt(sessionId, due);
    await this.d.wakeAt(due);
  }

  /**
   * Takes the credits of every occurrence due by `now` (run by the alarm): paid; or, when the balance is short, the
   * student is told (inbox and email, with a link to top up) and it is tried again every few hours; still unpaid
   * 24 h before the start (or the student busy then), it is released. A week is always tried before it is released:
   * one booked or moved to less than 24 h ahead is due at once and has never been tried, and a student told to top
   * up may have done so since the last try. Only a failed try at or after the deadline releases it.
   */
  async chargeDue(now: number): Promise<void> {
    for (const o of this.d.series.due(now)) {
      let paid: Outcome<SpentSlice[]> | "unreachable";
      try {
        paid = await this.charge(o.session_id, now);
      } catch {
        paid = "unreachable";
      }
      // Cancelled or moved on while the credits were being asked for: nothing more to do for it here.
      const w = this.week(o.session_id);
      if (paid !== "unreachable" && paid.ok) continue;
      if (w.session.status !== "confirmed" || w.seat.status !== "confirmed") continue;
      const late = now >= releaseAt(w.session.start_ms);
      if (paid === "unreachable") {
        // Tried again soon; at the deadline it goes, and whatever a try whose answer was lost took goes back with it.
        if (late) this.release(w, "unpaid", now, true);
        else this.d.series.retryAt(o.session_id, Math.min(now + 5 * MINUTE, releaseAt(w.session.start_ms)));
      } else if (paid.code === "student_busy" || paid.code === "reservation_closed") this.release(w, "student_busy", now);
      else if (late) this.release(w, "unpaid", now);
      else if (paid.code === "insufficient_credits") this.askToTopUp(w, o, now);
    }
  }

  /**
   * Outside busy time (Calendly, an outside calendar) landed on a week of a series: the tutor hears it as any
   * conflict; the student is told too, with the times free that day, so either can move it.
   */
  collided(sessionId: string, availability: Availability | null, now: number) {
    const o = this.d.series.occurrence(sessionId);
    const s = this.d.store.session(sessionId);
    const seat = s && this.d.store.seatsOf(sessionId).find((x) => x.status === "confirmed");
    if (!o || !s || s.status !== "confirmed" || !seat || !availability) return;
    const alternatives = this.freeThatDay(s.start_ms, (s.end_ms - s.start_ms) / MINUTE, availability, now);
    this.d.outbox.enqueue({
      kind: "notice",
      userId: seat.student_id,
      nameOf: null,
      template: { kind: "series_week_conflict", subject: s.subject, start: iso(s.start_ms), alternatives },
      dedupeKey: `series-conflict:${sessionId}:${toldAt({ session: s, group: false })}`,
      link: `/sessions/${sessionId}`,
    });
  }

  nextDue(): number | null {
    return this.d.series.nextDue();
  }

  /** Whether `occurrenceId` (a 1:1 week's session id, or a weekly group seat's reservation id) is a week not paid yet. */
  unpaid(occurrenceId: string): boolean {
    return this.d.series.unpaid(occurrenceId);
  }

  /** Nothing more to take for this week (its seat was given up before it was paid). */
  closed(occurrenceId: string) {
    this.d.series.closed(occurrenceId);
  }

  // ───────────────────────── steps ─────────────────────────

  /**
   * Takes one occurrence's credits through the student's wallet (idempotent by its reservation id). When the
   * occurrence was cancelled while the credits were being spent, they go back at once.
   */
  private async charge(occurrenceId: string, now: number): Promise<Outcome<SpentSlice[]>> {
    const { store } = this.d;
    const { session: s, seat } = this.week(occurrenceId);
    const sessionId = s.id;
    if (seat.status !== "confirmed" || s.status !== "confirmed") return fail("slot_unavailable", MESSAGES.slot_unavailable);
    // The wallet keeps its own time (its outbox and lot expiry run on the clock), whatever instant the charge runs for.
    const target = { studentId: seat.student_id, sessionId, reservationId: seat.reservation_id, tutorId: store.tutorId, start: s.start_ms, end: s.end_ms, now: Math.min(now, Date.now()) };
    const paid = await paySeat(this.d.env, target, { cost: seat.credits });
    if (!paid.ok) return paid;
    if (store.session(sessionId)?.status !== "confirmed" || store.seat(seat.reservation_id)?.status !== "confirmed") {
      this.d.outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "weekly lesson cancelled while paying", now });
      this.d.outbox.afterAnswer();
      return fail("slot_unavailable", MESSAGES.slot_unavailable);
    }
    store.sql.exec("UPDATE seats SET spent = ?, earning_cents = ? WHERE reservation_id = ?", JSON.stringify(paid.value), seatEarningCents(paid.value, commissionPercent(this.d.env)), seat.reservation_id);
    this.d.series.paid(occurrenceId, now);
    store.touch(sessionId, now);
    this.d.outbox.enqueue({ kind: "project", sessionId });
    this.d.outbox.afterAnswer();
    return paid;
  }

  /** The first lesson could not be paid: every week of the series is let go, and a retry gets the same answer. */
  private refuse(seriesId: string, ids: string[], code: string, now: number) {
    this.d.transact(() => {
      for (const id of ids) {
        const { session, group, seat } = this.week(id);
        // Nothing was spent (the first week's payment is what failed): only the weeks' claims on the student's time go.
        this.d.outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: id, refund: false, reason: "weekly series refused", now });
        if (group) {
          this.d.store.sql.exec("UPDATE seats SET status = 'released' WHERE reservation_id = ?", id);
          this.d.groups.freed(session.id, now);
        } else {
          this.d.store.sql.exec("UPDATE sessions SET status = 'released', cancel_reason = ? WHERE id = ? AND status = 'confirmed'", code, id);
          this.d.store.sql.exec("UPDATE seats SET status = 'released' WHERE session_id = ?", id);
        }
        this.d.series.closed(id);
      }
      this.d.series.setStatus(seriesId, "refused", now, code);
    });
    this.d.changed();
    this.d.outbox.afterAnswer();
  }

  /**
   * After booking: the projection learns of every week in one effect (one D1 batch), people's open pages hear one
   * change (they refetch their lists on it), and the tutor and student are told once for the whole series.
   */
  private told(a: z.infer<typeof BookSeriesSchema>, ids: string[], skipped: z.infer<typeof SkippedSchema>[], cost: number) {
    const { store, outbox } = this.d;
    const first = ids[0] ? this.week(ids[0]).session : null;
    if (!first) return;
    if (ids.length > 1) outbox.enqueue({ kind: "project_series", seriesId: a.seriesId });
    this.d.announce(this.d.view(first), "booked", [a.studentId, a.tutorId]);
    const link = `/series/${a.seriesId}`;
    outbox.enqueue({ kind: "notice", userId: a.tutorId, nameOf: a.studentId, template: { kind: "series_booked", subject: a.subject, start: iso(first.start_ms), withName: "", weeks: ids.length }, dedupeKey: `series:${a.seriesId}`, link });
    // The student's own confirmation covers the whole series: how many weeks, when each is paid, every week's invitation.
    confirmToStudent(outbox, a.tutorId, first, a.studentId, cost, { id: a.seriesId, later: ids.slice(1).map((id) => this.week(id).session) });
    for (const sk of skipped) {
      for (const userId of [a.studentId, a.tutorId]) {
        outbox.enqueue({ kind: "notice", userId, nameOf: null, template: { kind: "series_week_skipped", subject: a.subject, start: sk.start, alternatives: sk.alternatives }, dedupeKey: `series-skip:${a.seriesId}:${sk.start}:${userId}`, link });
      }
    }
  }

  /**
   * The balance could not cover a week: the student hears it once (with a link to top up); tried again later, and the
   * listings learn the new date its credits are taken on.
   */
  private askToTopUp({ session: s, seat, group }: Week, o: OccurrenceRow, now: number) {
    this.d.series.retryAt(o.session_id, nextChargeTry(s.start_ms, now));
    this.d.outbox.enqueue({ kind: "project", sessionId: s.id });
    this.d.outbox.enqueue({
      kind: "notice",
      userId: seat.student_id,
      nameOf: null,
      template: { kind: "series_payment_due", subject: s.subject, start: iso(s.start_ms), minutes: seat.credits, releaseAt: iso(releaseAt(s.start_ms)) },
      dedupeKey: `series-due:${o.session_id}:${toldAt({ session: s, group })}`,
      link: "/credits",
    });
    this.d.outbox.afterAnswer();
  }

  /**
   * Lets an unpaid week go: its time is free again, nothing was spent; both sides are told. `refund`: a try to pay it
   * went unanswered, so whatever it may have taken is given back (a refund of nothing spent gives nothing).
   */
  private release({ session: s, seat, group }: Week, cause: "unpaid" | "student_busy", now: number, refund = false) {
    const { store, outbox } = this.d;
    const start = iso(s.start_ms);
    if (group) {
      // Only the student's seat goes; the group goes on, and the seat is offered to the first in line.
      store.cancelSeat(seat.reservation_id, false);
      store.touch(s.id, now);
      this.d.groups.freed(s.id, now);
    } else {
      store.cancelSession(s.id, "system", cause === "unpaid" ? "unpaid" : "student_busy", now);
      store.sql.exec("UPDATE seats SET status = 'cancelled', refunded = 0 WHERE session_id = ? AND status = 'confirmed'", s.id);
    }
    this.d.series.closed(seat.reservation_id);
    outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund, reason: cause === "unpaid" ? "weekly lesson not paid in time" : "student busy", now });
    // A week let go inside its join window: the student is out of its room; a 1:1's room closes with it.
    leaveRoom(outbox, s, seat.student_id, now);
    if (!group) closeRoom(outbox, s, now);
    outbox.enqueue({ kind: "notice", userId: seat.student_id, nameOf: null, template: { kind: "series_released", subject: s.subject, start, cause }, dedupeKey: `series-released:${seat.reservation_id}`, link: "/credits" });
    const after = store.sessionNow(s.id);
    if (group) {
      const b = this.d.view(after);
      outbox.enqueue({ kind: "notice", userId: store.tutorId, nameOf: seat.student_id, template: { kind: "left_group", subject: s.subject, start, studentName: "", seatsTaken: b.seatsTaken, seats: b.seats, cause }, dedupeKey: `left:${s.id}:${seat.reservation_id}`, link: `/sessions/${s.id}` });
      this.d.announce({ ...b, status: "cancelled" }, "left", [seat.student_id]);
      this.d.announce(b, "left", [store.tutorId]);
    } else {
      outbox.enqueue({ kind: "notice", userId: store.tutorId, nameOf: seat.student_id, template: { kind: "cancelled", subject: s.subject, start, byName: "", cause, refunded: false }, dedupeKey: `cancelled:${s.id}:${store.tutorId}`, link: `/sessions/${s.id}` });
      this.d.announce(this.d.view(after), "cancelled", [store.tutorId, seat.student_id]);
    }
    this.d.changed();
    outbox.afterAnswer();
  }

  /** Free starts on the tutor's day of `start` (in their zone) for a lesson of this length, at most six. */
  private freeThatDay(start: number, durationMinutes: number, availability: Availability, now: number): string[] {
    const day = DateTime.fromMillis(start, { zone: availability.timezone });
    const from = Math.max(day.startOf("day").toMillis(), now);
    const to = day.endOf("day").toMillis() + 1;
    if (from >= to) return [];
    const slots = computeSlots({ availability: { ...availability, horizonDays: SERIES_HORIZON_DAYS }, busy: this.d.store.busy(from, to), from, to, now, durationMinutes });
    return slots.slice(0, 6).map((x) => iso(x.start));
  }

  /** A week of a series by its occurrence id: the seat, and the session it is in (its own 1:1, or a group). */
  week(occurrenceId: string): Week {
    const seat = this.d.store.seat(occurrenceId);
    if (!seat) throw new Error(`Occurrence ${occurrenceId} has no seat`);
    return { seat, session: this.d.store.sessionNow(seat.session_id), group: seat.session_id !== occurrenceId };
  }

  /** The group session at `start` in the series' subject, when it is still to come and has a seat for this student. */
  private groupWithSeat(start: number, a: { subject: string; studentId: string; now: number }): SessionRow | null {
    const g = this.d.store.groupAt(start, a.subject);
    if (!g || g.start_ms <= a.now) return null;
    const seated = this.d.store.seatsOf(g.id).some((x) => x.student_id === a.studentId && (x.status === "confirmed" || x.status === "held"));
    return !seated && this.d.groups.seatsFree(g, a.studentId, a.now) > 0 ? g : null;
  }

  /** The starts of the tutor's group sessions in this subject on the tutor's day of `start` with a seat free, at most six. */
  private groupsThatDay(start: number, a: { subject: string; studentId: string; now: number }, zone: string): string[] {
    const day = DateTime.fromMillis(start, { zone });
    return this.d.store
      .openGroups(day.startOf("day").toMillis(), day.endOf("day").toMillis() + 1, a.now)
      .filter((g) => g.subject === a.subject && this.groupWithSeat(g.start_ms, a))
      .slice(0, 6)
      .map((g) => iso(g.start_ms));
  }

  private mayAct(studentId: string, actor: Actor): boolean {
    return actor.role === "admin" || (actor.role === "tutor" && actor.id === this.d.store.tutorId) || (actor.role === "student" && actor.id === studentId);
  }

  private view(seriesId: string): Series {
    const s = this.d.series.get(seriesId);
    if (!s) throw new Error(`Series ${seriesId} vanished`);
    const occurrences = this.d.series.weeksOf(seriesId).map((w) => {
      const b = this.d.view(w.session, w.seats);
      // A week in a group is the student's seat: it is cancelled when the seat is, whatever the group does.
      const group = w.session.id !== w.occurrence.session_id;
      const mine = w.seats.find((x) => x.reservation_id === w.occurrence.session_id);
      return occurrenceView(group && mine?.status !== "confirmed" ? { ...b, status: "cancelled" } : b, w.occurrence);
    });
    return seriesView(s, { id: this.d.store.tutorId, name: this.d.tutorName() }, occurrences);
  }
}
