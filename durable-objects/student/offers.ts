import { z } from "zod";
import { oneOnOneCost } from "../../domain/credits/pricing";
import { subjectLabel } from "../../domain/format/subject";
import { DurationSchema } from "../../domain/schemas/availability";
import { eq } from "drizzle-orm";
import { serverText } from "../../domain/i18n/server";
import { getDb } from "../../platform/db/client";
import { users } from "../../platform/db/schema";
import type { LivePush } from "../../platform/notifications/live";
import { InviteSchema } from "../calendar/effects";
import { sendNotice } from "../calendar/notices";
import { type Candidate, findReplacements } from "./candidates";

/** Offers close this long before the session starts (the student must choose before), and need this long to choose. */
export const OFFER_CUTOFF_BEFORE_START_MS = 60 * 60_000;
export const OFFER_MIN_DECISION_MS = 15 * 60_000;

const CandidateSchema = z.object({ tutorId: z.string(), name: z.string(), rating: z.number().nullable(), hourlyRateCents: z.number().int() });
const OfferRowSchema = z.object({
  id: z.string(),
  cancelled_session_id: z.string(),
  tutor_id: z.string(),
  subject: z.string(),
  start_ms: z.number().int(),
  end_ms: z.number().int(),
  candidates: z.string().transform((s) => z.array(CandidateSchema).parse(JSON.parse(s))),
  status: z.enum(["preparing", "open", "accepting", "accepted", "declined", "expired", "refunded"]),
  cutoff_ms: z.number().int(),
  accepted_session_id: z.string().nullable(),
  created_ms: z.number().int(),
});
type OfferRow = z.infer<typeof OfferRowSchema>;

/**
 * A tutor on offer as the student sees it: what the replacement costs (`creditMinutes`, that tutor's price for the
 * lesson's length when the offer was made, the most an accept will take) and what of the cancelled booking's credit
 * comes back to the balance with it (`backMinutes`: 0 for a free trial, whose difference lapses with its grant).
 */
export type OfferedCandidate = Candidate & { creditMinutes: number; backMinutes: number };

export type OfferView = {
  id: string;
  cancelledSessionId: string;
  tutorId: string;
  subject: string;
  start: string;
  end: string;
  status: OfferRow["status"];
  cutoff: string;
  /** The cancelled lesson was the month's free trial: a replacement stays one, and nothing comes back to the balance. */
  freeTrial: boolean;
  candidates: OfferedCandidate[];
  acceptedSessionId: string | null;
};

export const OpenOfferSchema = z.object({
  studentId: z.string().min(1),
  reservationId: z.string().min(1),
  sessionId: z.string().min(1),
  tutorId: z.string().min(1),
  subject: z.string().min(1),
  start: z.number().int(),
  end: z.number().int(),
  now: z.number().int(),
  /** Why the tutor cancelled (told to the student) and the session's CANCEL invitation for their calendar. */
  reason: z.string().nullish(),
  invite: InviteSchema.optional(),
});
export const AcceptOfferSchema = z.object({ studentId: z.string().min(1), offerId: z.string().min(1), tutorId: z.string().min(1), sessionId: z.string().min(1), now: z.number().int() });
export const DeclineOfferSchema = z.object({ studentId: z.string().min(1), offerId: z.string().min(1), now: z.number().int() });

/** The answer to acting on an offer that is no longer open (accepted, declined, refunded or past its cut-off). */
const OFFER_CLOSED = { ok: false as const, code: "offer_closed", message: "This offer is no longer open." };

/** A session's length as one of the durations on offer (it was booked as one). */
const lengthOf = (start: number, end: number) => DurationSchema.parse((end - start) / 60_000);

/** A candidate's price for the offer's lesson, at the rate they had when it was made (as a direct booking prices it). */
const costOf = (o: OfferRow, c: Candidate) => (c.hourlyRateCents > 0 ? oneOnOneCost(c.hourlyRateCents, lengthOf(o.start_ms, o.end_ms)) : 0);

/**
 * What a refused accept leaves the student: what to do with the tutors still on offer, or, with nobody left, what came
 * back. A free trial's credit lapses, the month's trial comes back instead.
 */
const whatNow = (othersLeft: boolean, freeTrial: boolean) => {
  const back = freeTrial ? "your free trial" : "your credits";
  return othersLeft
    ? `Choose another tutor on offer, or decline to get ${back} back.`
    : `Nobody else was on offer, so ${freeTrial ? "your free trial is back: you can book a trial lesson again this month." : "your credits were refunded."}`;
};

/** The accept's refusal when the chosen tutor's price rose since the offer. */
const priceChanged = (name: string, othersLeft: boolean, freeTrial: boolean) => ({
  ok: false as const,
  code: "price_changed",
  message: `${name}'s price changed since this offer was made, so they can no longer be booked with it. ${whatNow(othersLeft, freeTrial)}`,
});

/**
 * The accept's refusal when the chosen tutor can no longer take the lesson: someone booked that time first, they
 * dropped the subject (`subject_not_taught`), or they left or were suspended (`tutor_not_found`). The calendar's code
 * stays, but not its "pick another slot" — on an offer the time is fixed.
 */
const tutorRefusal = (code: string, name: string, subject: string, othersLeft: boolean, freeTrial: boolean) => ({
  ok: false as const,
  code,
  message: `${code === "subject_not_taught" ? `${name} no longer teaches ${subject}.` : code === "tutor_not_found" ? `${name} no longer takes lessons on Tutorly.` : `${name} is no longer free at that time.`} ${whatNow(othersLeft, freeTrial)}`,
});

/** Why the last tutor on offer was refused, as the notice of the credit (or trial) back tells it. */
const refusalCause = (code: string): RefundCause => (code === "subject_not_taught" ? "tutor_not_teaching" : code === "tutor_not_found" ? "tutor_gone" : "tutor_unavailable");

/** Refusals of an accept that are about the student, not the tutor chosen (who may well still be free then). */
const STUDENT_SIDE = new Set(["student_busy", "account_closed", "reservation_closed", "idempotency_key_reused"]);

/**
 * What closing an offer gave back: the credit-minutes that came back to the reservation (0 when they had gone already,
 * as after an admin's refund of the seat), and whether a free trial paid them (then they lapsed: the trial is back).
 */
export type OfferRefund = { minutes: number; freeTrial: boolean };
/** Gives a cancelled reservation's credit back (through the account, under its lock); answers what came back. */
type Refund = (studentId: string, reservationId: string, now: number) => Promise<OfferRefund>;
/**
 * Why an offer's credit came back: the student declined, the cut-off passed, or the last tutor on offer was refused
 * when chosen — their price had risen, they were no longer free then (`tutor_unavailable`), they no longer teach the
 * subject (`tutor_not_teaching`), or they left Tutorly (`tutor_gone`).
 */
type RefundCause = "declined" | "expired" | "price_changed" | "tutor_unavailable" | "tutor_not_teaching" | "tutor_gone";
/**
 * What a cancelled reservation still holds (the wallet's ledger): the credit-minutes a replacement may cost at most,
 * and whether the month's free trial paid them (then what a cheaper replacement leaves over lapses).
 */
type Held = (reservationId: string) => { minutes: number; freeTrial: boolean };

/**
 * A tutor cancelled: the student is offered up to three free tutors of the same subject at that exact time, each
 * costing no more for that length than the cancelled booking holds. The credits stay spent and the time held until
 * they accept (the new booking is paid at its tutor's own price by moving that much of this reservation's credit,
 * the rest back to the student), decline, or the cut-off passes; then they are refunded, exactly once (the status
 * changes before the refund is awaited).
 */
export class Offers {
  constructor(
    private readonly env: Env,
    private readonly sql: SqlStorage,
    private readonly scheduleAlarm: (at: number) => Promise<void>,
    private readonly refund: Refund,
    private readonly held: Held,
    /** Live events to the student (their account knows whether they have a tab open). */
    private readonly live: LivePush,
  ) {}

  get(id: string): OfferRow | undefined {
    const row = this.sql.exec("SELECT * FROM offers WHERE id = ?", id).toArray()[0];
    return row ? OfferRowSchema.parse(row) : undefined;
  }

  list(): OfferView[] {
    return this.sql
      .exec("SELECT * FROM offers ORDER BY start_ms")
      .toArray()
      .map((r) => this.view(OfferRowSchema.parse(r)));
  }

  /** An offer as the student reads it, each tutor with their price and what would come back (while the credit is held). */
  private view(o: OfferRow): OfferView {
    const held = this.held(o.id);
    const candidates = o.candidates.map((c) => {
      const creditMinutes = costOf(o, c);
      return { ...c, creditMinutes, backMinutes: held.freeTrial ? 0 : Math.max(0, held.minutes - creditMinutes) };
    });
    return {
      id: o.id,
      cancelledSessionId: o.cancelled_session_id,
      tutorId: o.tutor_id,
      subject: o.subject,
      start: new Date(o.start_ms).toISOString(),
      end: new Date(o.end_ms).toISOString(),
      status: o.status,
      cutoff: new Date(o.cutoff_ms).toISOString(),
      freeTrial: held.freeTrial,
      candidates,
      acceptedSessionId: o.accepted_session_id,
    };
  }

  /**
   * What the offer showed `tutorId` to cost (their price for its length when it was made), or null when they are not
   * on it: an accept never pays more than the student was shown, even when the credit held would cover a raised price.
   */
  offeredCost(reservationId: string, tutorId: string): number | null {
    const o = this.get(reservationId);
    const c = o?.candidates.find((x) => x.tutorId === tutorId);
    return o && c ? costOf(o, c) : null;
  }

  /**
   * Opens the offer once per reservation; with no replacement free (or no time left to choose), refunds at once.
   * The row is written 'preparing' before the candidates are looked up, so the calendar's outbox retries the whole
   * step when the look-up (or anything after it) fails: a 'preparing' row is finished by the retry, never skipped —
   * and should no retry come, the cut-off alarm refunds it (`expireDue`).
   */
  async open(a: z.infer<typeof OpenOfferSchema>): Promise<void> {
    const existing = this.get(a.reservationId);
    if (existing && existing.status !== "preparing") return;
    const cutoff = a.start - OFFER_CUTOFF_BEFORE_START_MS;
    if (!existing) {
      this.sql.exec(
        "INSERT INTO offers (id, cancelled_session_id, tutor_id, subject, start_ms, end_ms, status, cutoff_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'preparing', ?, ?)",
        a.reservationId,
        a.sessionId,
        a.tutorId,
        a.subject,
        a.start,
        a.end,
        cutoff,
        a.now,
      );
      // The safety net: the credits are held from now on, so the cut-off must wake the account even if this fails
      // (a cut-off already past: a minute on, leaving this attempt time to finish and tell the student itself).
      await this.scheduleAlarm(Math.max(cutoff, Date.now() + 60_000));
    }
    // A retry decides as of now: time to choose may have run out since the first attempt.
    const now = Math.max(a.now, Date.now());
    const candidates =
      cutoff - now >= OFFER_MIN_DECISION_MS
        ? await findReplacements(this.env, { subject: a.subject, excludeTutorId: a.tutorId, start: a.start, durationMinutes: lengthOf(a.start, a.end), maxCredits: this.held(a.reservationId).minutes, now })
        : [];
    const start = new Date(a.start).toISOString();
    if (!candidates.length) {
      // Nobody else is free: the credits go straight back, and the notice says who cancelled and why. (Unless the
      // cut-off alarm or another attempt settled the offer while the look-up ran: then that one refunded it.)
      if (!this.finishPreparing(a.reservationId, "refunded")) return;
      const back = await this.refund(a.studentId, a.reservationId, a.now);
      await sendNotice(this.env, {
        userId: a.studentId,
        nameOf: a.tutorId,
        template: { kind: "tutor_cancelled_refunded", subject: a.subject, start, tutorName: "", minutes: back.minutes, reason: a.reason ?? null, ...(back.freeTrial ? { freeTrial: true } : {}) },
        dedupeKey: `refunded:${a.reservationId}`,
        link: `/sessions/${a.sessionId}`,
        invite: a.invite,
      }, this.live);
      return;
    }
    if (!this.finishPreparing(a.reservationId, "open", candidates)) return;
    await this.scheduleAlarm(cutoff);
    await sendNotice(this.env, {
      userId: a.studentId,
      nameOf: a.tutorId,
      template: { kind: "tutor_cancelled_offers", subject: a.subject, start, tutorName: "", offers: candidates.length, reason: a.reason ?? null, ...(this.held(a.reservationId).freeTrial ? { freeTrial: true } : {}) },
      dedupeKey: `offers:${a.reservationId}`,
      link: "/sessions",
      invite: a.invite,
    }, this.live);
    // The live toast in the student's language, as the notice above is.
    const t = serverText((await getDb(this.env).select({ locale: users.locale }).from(users).where(eq(users.id, a.studentId)).get())?.locale);
    await this.live(a.studentId, {
      type: "notification",
      id: `offer:${a.reservationId}`,
      title: t("notice.offersLive.title"),
      body: t("notice.offersLive.body", { count: candidates.length }),
      link: "/sessions",
    });
  }

  /**
   * Rebooks with one of the offered tutors at no extra cost: the offer is claimed synchronously (a second accept
   * sees it taken), then the new tutor's calendar books the same time at that tutor's own price, paid by moving that
   * much of this reservation's credits (a cheaper tutor's difference back to the student in the same wallet step). A
   * tutor whose price rose since the offer (above what it showed, or what is held) is refused as `price_changed` and
   * taken off the offer, as one no longer free is: the student is never charged more than the card said.
   */
  async accept(a: z.infer<typeof AcceptOfferSchema>) {
    const o = this.get(a.offerId);
    if (!o) return { ok: false as const, code: "not_found", message: "That offer was not found." };
    // A retry of the accept that went through: the new tutor's calendar answers it again (the same booking id).
    if (o.status === "accepted" && o.accepted_session_id === a.sessionId) return this.bookReplacement(a, o);
    if (o.status !== "open" || a.now >= o.cutoff_ms) return OFFER_CLOSED;
    if (!o.candidates.some((c) => c.tutorId === a.tutorId)) return { ok: false as const, code: "not_offered", message: "That tutor was not one of the offers." };
    this.setStatus(a.offerId, "accepting");
    let outcome;
    try {
      outcome = await this.bookReplacement(a, o);
    } catch (e) {
      this.sql.exec("UPDATE offers SET status = 'open' WHERE id = ? AND status = 'accepting'", a.offerId);
      throw e;
    }
    if (!outcome.ok) {
      // That tutor is no longer free (or no longer at the price offered): keep the others on offer (or refund when none is left).
      const rest = o.candidates.filter((c) => c.tutorId !== a.tutorId);
      // Unless the offer was closed while the accept ran (an admin refunded the seat): its credit is gone, nothing reopens.
      const reopened = this.sql.exec("UPDATE offers SET status = ?, candidates = ? WHERE id = ? AND status = 'accepting'", rest.length ? "open" : "refunded", JSON.stringify(rest), a.offerId).rowsWritten > 0;
      if (!reopened) return OFFER_CLOSED;
      // The wallet refuses a replacement costing more than the offer may pay (what it showed, what is held) as short of
      // credit; for the student that is this tutor's price having changed, not their balance.
      const priceRose = outcome.code === "insufficient_credits";
      const freeTrial = this.held(a.offerId).freeTrial;
      // The student chose in time: a refusal of the tutor leaving nobody is told as that tutor's, not as the cut-off's.
      const tutorRefused = !STUDENT_SIDE.has(outcome.code);
      if (!rest.length) await this.refundAndTell(a.studentId, a.offerId, a.now, priceRose ? "price_changed" : tutorRefused ? refusalCause(outcome.code) : "expired");
      const name = o.candidates.find((c) => c.tutorId === a.tutorId)?.name ?? "That tutor";
      if (priceRose) return priceChanged(name, rest.length > 0, freeTrial);
      return tutorRefused ? tutorRefusal(outcome.code, name, subjectLabel(o.subject), rest.length > 0, freeTrial) : outcome;
    }
    // The student's "rebooked" notice goes out from the new tutor's calendar, after the answer (no D1 before it).
    this.sql.exec("UPDATE offers SET status = 'accepted', accepted_session_id = ? WHERE id = ?", outcome.value.id, a.offerId);
    return outcome;
  }

  /** Books the offer's time with the chosen tutor at their price, paid from the cancelled reservation's credit (idempotent by session id). */
  private bookReplacement(a: z.infer<typeof AcceptOfferSchema>, o: OfferRow) {
    return this.env.TUTOR_CALENDAR.get(this.env.TUTOR_CALENDAR.idFromName(a.tutorId)).book({
      tutorId: a.tutorId,
      sessionId: a.sessionId,
      studentId: a.studentId,
      start: o.start_ms,
      durationMinutes: lengthOf(o.start_ms, o.end_ms),
      subject: o.subject,
      now: a.now,
      transferFrom: a.offerId,
    });
  }

  /** The student takes the credits back instead of a replacement. */
  async decline(a: z.infer<typeof DeclineOfferSchema>) {
    const o = this.get(a.offerId);
    if (!o) return { ok: false as const, code: "not_found", message: "That offer was not found." };
    if (o.status !== "open") return OFFER_CLOSED;
    this.setStatus(a.offerId, "declined");
    await this.refundAndTell(a.studentId, a.offerId, a.now, "declined");
    return { ok: true as const, value: null };
  }

  /** Offers whose cut-off passed are refunded: open ones nobody accepted, and any still preparing (a lost retry). */
  async expireDue(studentId: string | undefined, now: number) {
    const due = this.expire(now);
    for (const o of due) if (studentId) await this.refundAndTell(studentId, o.id, now, "expired");
  }

  /**
   * The account was closed (suspended or deleted): it can accept no replacement, so every offer still open or
   * preparing is refunded now rather than at its cut-off. No notice: the account's own email says what happened.
   */
  async withdrawAll(studentId: string, now: number) {
    for (const o of this.expire(Number.MAX_SAFE_INTEGER)) await this.refund(studentId, o.id, now);
  }

  /**
   * An admin gave the seat's credit back (inside the account's operation that did): the offer has nothing left to
   * book a replacement with, so it closes as refunded — one being accepted too, whose refused accept then leaves it
   * closed. No notice of its own: the admin's refund is what happened.
   */
  closeRefunded(reservationId: string) {
    this.sql.exec("UPDATE offers SET status = 'refunded' WHERE id = ? AND status IN ('preparing', 'open', 'accepting')", reservationId);
  }

  /** Marks the offers still open or preparing whose cut-off is at or before `until` expired; answers them. */
  private expire(until: number): OfferRow[] {
    const due = this.sql
      .exec("SELECT * FROM offers WHERE status IN ('open', 'preparing') AND cutoff_ms <= ?", until)
      .toArray()
      .map((r) => OfferRowSchema.parse(r));
    for (const o of due) this.setStatus(o.id, "expired");
    return due;
  }

  /** The next cut-off to wake up for. */
  nextCutoff(): number | null {
    return z.number().nullable().parse(this.sql.exec("SELECT min(cutoff_ms) AS t FROM offers WHERE status IN ('preparing', 'open', 'accepting')").one().t);
  }

  /** Whether this reservation's credit may move to a replacement booking (its offer is being accepted). */
  isAccepting(reservationId: string): boolean {
    return this.get(reservationId)?.status === "accepting";
  }

  private setStatus(id: string, status: OfferRow["status"]) {
    this.sql.exec("UPDATE offers SET status = ? WHERE id = ?", status, id);
  }

  /** Moves a 'preparing' offer on (with its candidates); false when something else already did. */
  private finishPreparing(id: string, status: "open" | "refunded", candidates: Candidate[] = []): boolean {
    return this.sql.exec("UPDATE offers SET status = ?, candidates = ? WHERE id = ? AND status = 'preparing'", status, JSON.stringify(candidates), id).rowsWritten > 0;
  }

  /**
   * Gives the credits back and says why: the student's own choice (`declined`), the offers ran out (`expired`), or the
   * last tutor on offer was refused when chosen (`RefundCause`); and what came back — a free trial's trial, not its credit. Nothing came back (the credit had
   * gone already): nothing to tell.
   */
  private async refundAndTell(studentId: string, reservationId: string, now: number, cause: RefundCause) {
    const o = this.get(reservationId);
    const back = await this.refund(studentId, reservationId, now);
    if (!o || !back.minutes) return;
    await sendNotice(this.env, {
      userId: studentId,
      nameOf: null,
      template: { kind: "refunded", subject: o.subject, start: new Date(o.start_ms).toISOString(), minutes: back.minutes, cause, ...(back.freeTrial ? { freeTrial: true } : {}) },
      dedupeKey: `refunded:${reservationId}`,
      link: "/credits",
    }, this.live);
  }
}
