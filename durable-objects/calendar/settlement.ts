import { inArray } from "drizzle-orm";
import { keptCreditMinutes } from "../../domain/billing/earnings";
import { type Identity, samePersonSignal } from "../../domain/billing/selfDealing";
import { type Settlement, attendanceFacts, settleSession } from "../../domain/billing/settlement";
import { summarizeAttendance } from "../../domain/video/attendance";
import { commissionPercent } from "../../platform/commission";
import { getDb } from "../../platform/db/client";
import { cardFingerprints, earnings, users } from "../../platform/db/schema";
import { attendanceEvents } from "../../platform/video/attendance";
import type { Outbox } from "./outbox";
import type { SessionRow } from "./storage";
import type { CalendarStore } from "./store";
import { sessionEarningCents } from "./view";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What a completed session owes, after the answer that completed it (the `earn` effect): first it is settled from
 * attendance, once — the untaught share of each student's credits goes back (domain/billing/settlement.ts) — then the
 * tutor's earning is accrued, once: the seats' earnings fixed at booking, scaled by the settlement, never re-read from
 * the tutor's rate. A tutor and student who look like one person hold the earning for an admin's review.
 */
export class SessionSettlement {
  constructor(
    private readonly env: Env,
    private readonly store: CalendarStore,
    private readonly outbox: Outbox,
  ) {}

  async run(sessionId: string): Promise<void> {
    const s = this.store.session(sessionId);
    if (s?.status !== "completed") return;
    if (!s.outcome) await this.settle(s);
    await this.accrue(this.store.sessionNow(sessionId));
  }

  /** Decides the outcome from attendance and queues the refunds it owes (once: a retry finds it decided). */
  private async settle(s: SessionRow): Promise<void> {
    const live = this.store.seatsOf(s.id).filter((x) => x.status === "confirmed");
    const tutorId = this.store.tutorId;
    const events = await attendanceEvents(getDb(this.env), s.id);
    const report = summarizeAttendance({
      session: { start: s.start_ms, end: s.end_ms, status: "completed" },
      attendees: [{ userId: tutorId, role: "tutor" }, ...live.map((x) => ({ userId: x.student_id, role: "student" as const }))],
      events,
      // Visits still open when the session was completed end there (the tutor ended it, or the room closed).
      now: s.updated_ms,
    });
    const bookedMinutes = (s.end_ms - s.start_ms) / 60_000;
    // Inside the booked time, for students as for the tutor: a student who only looked in before the start (or after
    // the end) did not come to the lesson, so a tutor who waited for them is paid as booked.
    const settlement = settleSession({ bookedMinutes, ...attendanceFacts(report) });
    // Checked and written in one synchronous step: only the first settlement queues anything.
    if (!this.store.settle(s.id, settlement.outcome, settlement.taughtMinutes, Date.now())) return;
    for (const seat of live) {
      const refundMinutes = seat.credits - keptShare(settlement, seat.credits, bookedMinutes);
      if (refundMinutes <= 0) continue;
      const full = refundMinutes >= seat.credits;
      this.outbox.enqueue({
        kind: "release",
        studentId: seat.student_id,
        reservationId: seat.reservation_id,
        refund: true,
        ...(full ? {} : { refundMinutes }),
        reason: `session ${settlement.outcome.replace("_", " ")}`,
        now: Date.now(),
      });
      if (settlement.outcome === "ended_early") {
        this.outbox.enqueue({
          kind: "notice",
          userId: seat.student_id,
          nameOf: null,
          template: { kind: "ended_early", subject: s.subject, start: iso(s.start_ms), taughtMinutes: settlement.taughtMinutes, refundedMinutes: refundMinutes },
          dedupeKey: `ended-early:${s.id}:${seat.student_id}`,
          link: "/billing",
        });
      }
    }
    this.outbox.enqueue({ kind: "project", sessionId: s.id });
    const reliability = reliabilityEvent(settlement);
    if (reliability === "tutor_cancelled") {
      // Ended at once (both there, no minute taught): the tutor called the lesson off as it began — a cancellation at the
      // start, weighed as the latest of late cancellations (lateCancellationWeight) and counted towards the flag.
      this.outbox.enqueue({ kind: "reliability", tutorId, bookingId: s.id, event: "tutor_cancelled", start: s.start_ms, at: s.start_ms });
    } else if (reliability) {
      this.outbox.enqueue({ kind: "reliability", tutorId, bookingId: s.id, event: reliability, at: s.end_ms });
    }
  }

  /** Writes the tutor's earning for the session (once per booking; nothing when it earned nothing). */
  private async accrue(s: SessionRow): Promise<void> {
    const live = this.store.seatsOf(s.id).filter((x) => x.status === "confirmed");
    const amountCents = sessionEarningCents(s, live, commissionPercent(this.env));
    if (amountCents <= 0) return;
    const db = getDb(this.env);
    const held = await this.samePersonSignal(live.map((x) => x.student_id));
    await db
      .insert(earnings)
      .values({
        id: crypto.randomUUID(),
        tutorId: this.store.tutorId,
        bookingId: s.id,
        amountCents,
        status: held ? "held" : "accrued",
        holdReason: held,
        fixedCents: live.reduce((sum, x) => sum + (x.earning_cents ?? 0), 0),
        outcome: s.outcome,
        minutes: s.taught_minutes ?? (s.end_ms - s.start_ms) / 60_000,
        students: live.length,
        kind: s.kind,
        sessionEndAt: iso(s.end_ms),
        createdAt: new Date().toISOString(),
      })
      .onConflictDoNothing();
  }

  /** Whether the tutor and any of the students look like one person (same mailbox or card), and why. */
  private async samePersonSignal(studentIds: string[]): Promise<"same_email" | "same_card" | null> {
    const tutorId = this.store.tutorId;
    const ids = [tutorId, ...studentIds];
    const db = getDb(this.env);
    const [people, cards] = await Promise.all([
      db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, ids)).all(),
      db.select({ userId: cardFingerprints.userId, fingerprint: cardFingerprints.fingerprint }).from(cardFingerprints).where(inArray(cardFingerprints.userId, ids)).all(),
    ]);
    const identity = (id: string): Identity => ({
      userId: id,
      email: people.find((p) => p.id === id)?.email ?? "",
      cardFingerprints: cards.filter((c) => c.userId === id).map((c) => c.fingerprint),
    });
    const tutor = identity(tutorId);
    for (const id of studentIds) {
      const signal = samePersonSignal(tutor, identity(id));
      if (signal) return signal;
    }
    return null;
  }
}

/**
 * What a settled session says of its tutor's reliability: a lesson given (as booked, ended early after some minutes
 * taught, or a student's no-show the tutor waited through) is `completed`; the tutor's no-show is `no_show`; one ended
 * with no minute taught while its students were there is the tutor's cancellation at the start; `not_attended` (nobody
 * came, or a tutor who left before a late student's wait was up, not paid either) says nothing.
 */
function reliabilityEvent(settlement: Settlement): "completed" | "no_show" | "tutor_cancelled" | null {
  switch (settlement.outcome) {
    case "as_booked":
    case "student_no_show":
      return "completed";
    case "ended_early":
      return settlement.taughtMinutes > 0 ? "completed" : "tutor_cancelled";
    case "tutor_no_show":
      return "no_show";
    case "not_attended":
      return null;
  }
}

/** Credit-minutes a seat keeps paying under `settlement` (the rest is refunded). */
function keptShare(settlement: Settlement, credits: number, bookedMinutes: number): number {
  switch (settlement.outcome) {
    case "as_booked":
    case "student_no_show":
      return credits;
    case "ended_early":
      return keptCreditMinutes(credits, settlement.taughtMinutes, bookedMinutes);
    case "not_attended":
    case "tutor_no_show":
      return 0;
  }
}
