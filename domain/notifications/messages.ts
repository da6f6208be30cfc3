/**
 * The words of Tutorly's notices, rendered for one recipient: times in THEIR zone (named) and locale, subjects
 * as shown in the app, credit in the app's one unit (domain/format). A notice names who did what and why; an
 * action is never reported to the person who took it as if someone else had. Pure: zone, locale and instants
 * are inputs.
 */
import { z } from "zod";
import { POLICY } from "../credits/policy";
import { SERIES_POLICY } from "../series/policy";
import { formatCredits, formatDuration } from "../format/amounts";
import { subjectLabel } from "../format/subject";
import { formatDateTime, zoneNameFor } from "../format/time";
import { serverText } from "../i18n/server";

/** The locale notices are written in until a recipient has chosen one. */
export const DEFAULT_LOCALE = "en-US";

/** Who cancelled, for the reader: a person's name, or Tutorly (admins act as "Tutorly support"). */
export const ActorRoleSchema = z.enum(["student", "tutor", "admin"]);
export type ActorRole = z.infer<typeof ActorRoleSchema>;

/**
 * Why a weekly lesson went without anyone cancelling it by hand, as a code the reader's language renders: the
 * student paused their plan, it was not paid in time, or the student has another session then. Free-text reasons
 * typed by people travel as `reason`, as they were written.
 */
export const WeekCauseSchema = z.enum(["plan_paused", "unpaid", "student_busy"]);
export type WeekCause = z.infer<typeof WeekCauseSchema>;

/**
 * Why Tutorly itself ended a session, kept as a code in the session's cancel reason: a weekly cause, the tutor never
 * came, an account was closed (suspended or deleted; which one is nobody else's business), or the card payment for
 * the lesson's credit was disputed (its credit is on hold until the dispute closes). Said in the reader's words
 * wherever the reason is shown, never as a "reason given".
 */
export const CancelCauseSchema = z.enum([...WeekCauseSchema.options, "tutor_no_show", "account_closed", "payment_disputed"]);
export type CancelCause = z.infer<typeof CancelCauseSchema>;

/**
 * A cause kept in a cancel reason starts with a control character, which no typed reason can hold (the schemas of
 * typed reasons remove control characters): so words a person typed, even "account_closed", stay their words.
 */
const CAUSE_MARK = "\u0001";
export const causeReason = (cause: CancelCause): string => `${CAUSE_MARK}${cause}`;

/**
 * The cause a stored cancel reason stands for, or null for words a person typed. `bySystem`: Tutorly itself
 * cancelled (no person did), whose reasons were always codes, kept bare before the mark (a tutor's no-show, a week
 * released unpaid or for a busy student).
 */
export function causeOfReason(reason: string | null | undefined, bySystem = false): CancelCause | null {
  if (!reason) return null;
  const marked = reason.startsWith(CAUSE_MARK);
  if (!marked && !bySystem) return null;
  const code = CancelCauseSchema.safeParse(marked ? reason.slice(CAUSE_MARK.length) : reason);
  return code.success ? code.data : null;
}

/** A notice before rendering. A schema, because calendars keep queued notices in storage and parse them back. */
export const NoticeTemplateSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("booked"), subject: z.string(), start: z.string(), withName: z.string() }),
  /** The whole session was cancelled by someone other than the reader. */
  z.object({ kind: z.literal("cancelled"), subject: z.string(), start: z.string(), byName: z.string(), refunded: z.boolean(), byRole: ActorRoleSchema.optional(), reason: z.string().nullish(), cause: WeekCauseSchema.optional() }),
  /** A student gave up their seat in the reader's (the tutor's) group session. */
  z.object({ kind: z.literal("left_group"), subject: z.string(), start: z.string(), studentName: z.string(), seatsTaken: z.number().int(), seats: z.number().int(), reason: z.string().nullish(), cause: WeekCauseSchema.optional() }),
  /** A student took a seat in the reader's (the tutor's) group session; `seatsTaken` of `seats` with theirs. */
  z.object({ kind: z.literal("group_joined"), subject: z.string(), start: z.string(), studentName: z.string(), seatsTaken: z.number().int(), seats: z.number().int() }),
  /** The tutor never came: the session was cancelled after the fact and the student refunded. */
  z.object({ kind: z.literal("tutor_no_show"), subject: z.string(), start: z.string(), tutorName: z.string() }),
  z.object({ kind: z.literal("rescheduled"), subject: z.string(), start: z.string(), previousStart: z.string(), byName: z.string() }),
  /** `students`: a group's tutor is reminded of how many students are coming (rendered in their language), not of a name. */
  z.object({ kind: z.literal("reminder"), subject: z.string(), start: z.string(), withName: z.string(), lead: z.enum(["24h", "1h"]), students: z.number().int().optional() }),
  /** `freeTrial`: the cancelled lesson was the month's free trial; a replacement stays one, declining gives the trial back. */
  z.object({ kind: z.literal("tutor_cancelled_offers"), subject: z.string(), start: z.string(), tutorName: z.string(), offers: z.number().int(), reason: z.string().nullish(), freeTrial: z.boolean().optional() }),
  /**
   * The tutor cancelled and no other tutor was free then: the credits went straight back (`freeTrial`: the month's
   * free trial paid it, whose credit lapses: the trial itself comes back).
   */
  z.object({ kind: z.literal("tutor_cancelled_refunded"), subject: z.string(), start: z.string(), tutorName: z.string(), minutes: z.number().int(), reason: z.string().nullish(), freeTrial: z.boolean().optional() }),
  /**
   * Credits back after replacement offers: the reader took them (`declined`), the offers ran out (`expired`), or the
   * last tutor on offer, chosen in time, was refused: their price had risen (`price_changed`), they were no longer
   * free then (`tutor_unavailable`), no longer teach the subject (`tutor_not_teaching`) or left (`tutor_gone`).
   * `freeTrial`: the free trial came back, not credit.
   */
  z.object({
    kind: z.literal("refunded"),
    subject: z.string(),
    start: z.string(),
    minutes: z.number().int(),
    cause: z.enum(["declined", "expired", "price_changed", "tutor_unavailable", "tutor_not_teaching", "tutor_gone"]).optional(),
    freeTrial: z.boolean().optional(),
  }),
  z.object({ kind: z.literal("rebooked"), subject: z.string(), start: z.string(), tutorName: z.string() }),
  /** The student's own booking, confirmed (sent by email with its calendar invitation); 0 minutes: paid by a cancelled one. */
  /** `weeks`: a weekly series' confirmation, for all its weeks (`start`, `minutes`: its first lesson's). */
  z.object({ kind: z.literal("booking_confirmed"), subject: z.string(), start: z.string(), tutorName: z.string(), minutes: z.number().int(), group: z.boolean(), freeTrial: z.boolean().optional(), weeks: z.number().int().optional() }),
  /** The reader's own cancellation, confirmed (email with the invitation's CANCEL). */
  /** `freeTrial`: the free plan's trial of the month, which comes back (refunded) or counts as used, not its credit. */
  z.object({ kind: z.literal("you_cancelled"), subject: z.string(), start: z.string(), tutorName: z.string(), refunded: z.boolean(), minutes: z.number().int(), freeTrial: z.boolean().optional() }),
  /** The reader's own move, confirmed (email with the updated invitation). */
  z.object({ kind: z.literal("you_rescheduled"), subject: z.string(), start: z.string(), previousStart: z.string(), tutorName: z.string() }),
  /** Outside busy time (Calendly, an outside calendar) landed on one of the tutor's sessions. */
  z.object({ kind: z.literal("calendar_conflict"), subject: z.string(), start: z.string(), title: z.string(), source: z.string() }),
  /** Weekly lessons were booked with the reader (the tutor): `weeks` occurrences from `start`. */
  /** The rest of a weekly series moved: once for the whole move (`start`: the first moved week's new time). */
  /** `byYou`: the reader moved it themselves (said in the first person). */
  z.object({ kind: z.literal("series_moved"), subject: z.string(), start: z.string(), previousStart: z.string(), byName: z.string(), moved: z.number().int(), kept: z.number().int(), byYou: z.boolean().optional() }),
  z.object({ kind: z.literal("series_booked"), subject: z.string(), start: z.string(), withName: z.string(), weeks: z.number().int() }),
  /** An occurrence of a series could not be paid: the reader (the student) tops up before `releaseAt`, or it is released. */
  z.object({ kind: z.literal("series_payment_due"), subject: z.string(), start: z.string(), minutes: z.number().int(), releaseAt: z.string() }),
  /** An occurrence of a series was released: unpaid by its deadline, or the student was busy then. */
  z.object({ kind: z.literal("series_released"), subject: z.string(), start: z.string(), cause: z.enum(["unpaid", "student_busy"]) }),
  /** A week of a series could not be booked (the tutor is busy then): other free times that day. */
  z.object({ kind: z.literal("series_week_skipped"), subject: z.string(), start: z.string(), alternatives: z.array(z.string()).max(12) }),
  /** Outside busy time of the tutor landed on a week of the reader's series: it stays booked; times free that day. */
  z.object({ kind: z.literal("series_week_conflict"), subject: z.string(), start: z.string(), alternatives: z.array(z.string()).max(12) }),
  /** The reader (the student) paused their plan: this week of their series is skipped (sent with the invitation's CANCEL). */
  z.object({ kind: z.literal("series_paused"), subject: z.string(), start: z.string(), refunded: z.boolean() }),
  /** A seat of a full group session freed up and is held for the reader, first in its waitlist, until `until`. */
  z.object({ kind: z.literal("waitlist_seat"), subject: z.string(), start: z.string(), tutorName: z.string(), until: z.string(), minutes: z.number().int() }),
  /** A session ended before most of its time was taught: the untaught share of the credits came back. */
  z.object({ kind: z.literal("ended_early"), subject: z.string(), start: z.string(), taughtMinutes: z.number().int(), refundedMinutes: z.number().int() }),
]);
export type NoticeTemplate = z.infer<typeof NoticeTemplateSchema>;

/**
 * The template with the other person's name filled in (the sender of a notice knows their id, not their name);
 * with no name known, a fitting stand-in in the reader's language ("your student", "Tutorly support").
 */
export function withOtherName(t: NoticeTemplate, name: string | undefined, locale = DEFAULT_LOCALE): NoticeTemplate {
  const say = (k: "yourStudent" | "yourTutor" | "aStudent" | "support") => serverText(locale)(`names.${k}`);
  switch (t.kind) {
    case "booked":
    case "reminder":
    case "series_booked":
      return { ...t, withName: name ?? (t.withName || say("yourStudent")) };
    case "cancelled":
    case "rescheduled":
    case "series_moved":
      return { ...t, byName: name ?? (t.byName || say("support")) };
    case "left_group":
    case "group_joined":
      return { ...t, studentName: name ?? (t.studentName || say("aStudent")) };
    case "tutor_no_show":
    case "tutor_cancelled_offers":
    case "tutor_cancelled_refunded":
    case "rebooked":
    case "booking_confirmed":
    case "you_cancelled":
    case "you_rescheduled":
    case "waitlist_seat":
      return { ...t, tutorName: name ?? (t.tutorName || say("yourTutor")) };
    case "refunded":
    case "calendar_conflict":
    case "ended_early":
    case "series_payment_due":
    case "series_released":
    case "series_week_skipped":
    case "series_week_conflict":
    case "series_paused":
      return t;
  }
}

/** The catalog's sentence for each cause of a weekly lesson's going. */
const CAUSE_KEYS = {
  plan_paused: "notice.cause.planPaused",
  unpaid: "notice.cause.unpaid",
  student_busy: "notice.cause.studentBusy",
  tutor_no_show: "notice.cause.tutorNoShow",
  account_closed: "notice.cause.accountClosed",
  payment_disputed: "notice.cause.paymentDisputed",
} as const;

/** The catalog's sentence (under notice.refunded, or its freeTrial) for each reason an offer's credit came back. */
const REFUND_CAUSE_KEYS = {
  declined: "declined",
  expired: "expired",
  price_changed: "priceChanged",
  tutor_unavailable: "tutorUnavailable",
  tutor_not_teaching: "tutorNotTeaching",
  tutor_gone: "tutorGone",
} as const;

/**
 * "Tue, Mar 9, 2:30 PM (Asia/Kathmandu)", "martes, 9 mar, 14:30 (hora de Nepal)": an instant in the recipient's
 * zone and locale, the zone named in their language (zoneNameFor).
 */
export function formatInZone(iso: string, zone: string, locale = DEFAULT_LOCALE): string {
  return `${formatDateTime(iso, zone, locale)} (${zoneNameFor(zone, iso, locale)})`;
}

/** The notice in the reader's zone and language (their locale's clock, digits and words). */
export function renderNotice(t: NoticeTemplate, zone: string, locale = DEFAULT_LOCALE): { title: string; body: string } {
  const s = serverText(locale);
  const at = formatInZone(t.start, zone, locale);
  const subject = subjectLabel(t.subject, locale);
  const credits = (minutes: number) => formatCredits(minutes, locale);
  /** " Reason given: “…”." or nothing, when no reason was given; a cause Tutorly kept as the reason, in the reader's words. */
  const because = (reason?: string | null) => {
    const cause = causeOfReason(reason);
    if (cause) return s(CAUSE_KEYS[cause]);
    return reason?.trim() ? s("notice.because", { reason: reason.trim() }) : "";
  };
  /** A weekly lesson's cause, in the reader's words, after any reason a person gave. */
  const why = (reason: string | null | undefined, cause: WeekCause | undefined) => because(reason) + (cause ? s(CAUSE_KEYS[cause]) : "");
  /** Other free times of a day: "9:00, 10:00 and 11:00" in the reader's zone and language. */
  const times = (alternatives: string[]) => new Intl.ListFormat(locale, { type: "conjunction" }).format(alternatives.map((a) => formatDateTime(a, zone, locale)));
  switch (t.kind) {
    case "booked":
      return { title: s("notice.booked.title", { subject, name: t.withName }), body: s("notice.booked.body", { subject, name: t.withName, at }) };
    case "cancelled": {
      // Released for being unpaid or the student busy: nobody cancelled it, so nobody is named as having done so.
      if (t.cause === "unpaid" || t.cause === "student_busy")
        return { title: s("notice.weekReleased.title", { subject, at }), body: s("notice.weekReleased.body", { student: t.byName, subject, at, because: why(t.reason, t.cause) }) };
      const by = t.byRole === "admin" ? s("names.support") : t.byName;
      return {
        title: s("notice.cancelled.title", { by, subject, at }),
        // Credit of a disputed payment comes back on hold, not to the balance: the cause says so instead.
        body: s("notice.cancelled.body", { by, subject, at, because: why(t.reason, t.cause) }) + (t.refunded && causeOfReason(t.reason) !== "payment_disputed" ? s("notice.cancelled.refunded") : ""),
      };
    }
    case "left_group":
      return {
        title: s("notice.leftGroup.title", { student: t.studentName, subject, at }),
        body: s("notice.leftGroup.body", { student: t.studentName, subject, at, because: why(t.reason, t.cause) }) + s("notice.leftGroup.seats", { taken: t.seatsTaken, count: t.seats }),
      };
    case "group_joined":
      return {
        title: s("notice.groupJoined.title", { student: t.studentName, subject, at }),
        body: s("notice.groupJoined.body", { student: t.studentName, subject, at }) + s("notice.groupJoined.seats", { taken: t.seatsTaken, count: t.seats }),
      };
    case "tutor_no_show":
      return { title: s("notice.tutorNoShow.title", { tutor: t.tutorName, subject, at }), body: s("notice.tutorNoShow.body", { tutor: t.tutorName, subject, at }) };
    case "rescheduled":
      return { title: s("notice.rescheduled.title", { subject, at }), body: s("notice.rescheduled.body", { by: t.byName, subject, from: formatInZone(t.previousStart, zone, locale), at }) };
    case "reminder": {
      const name = t.students === undefined ? t.withName : s("notice.reminder.students", { count: t.students });
      return {
        title: t.lead === "24h" ? s("notice.reminder.title24h", { subject, name, at }) : s("notice.reminder.title1h", { subject, name }),
        body: s("notice.reminder.body", { subject, name, at }),
      };
    }
    case "tutor_cancelled_offers":
      return {
        title: s("notice.tutorCancelled.title", { tutor: t.tutorName, subject, at }),
        body: s("notice.tutorCancelled.body", { tutor: t.tutorName, subject, at, because: because(t.reason) }) + s(t.freeTrial ? "notice.tutorCancelled.offersTrial" : "notice.tutorCancelled.offers", { count: t.offers, subject }),
      };
    case "tutor_cancelled_refunded":
      return {
        title: s("notice.tutorCancelled.title", { tutor: t.tutorName, subject, at }),
        body:
          s("notice.tutorCancelled.body", { tutor: t.tutorName, subject, at, because: because(t.reason) }) +
          (t.freeTrial ? s("notice.tutorCancelled.freeTrialBack", { subject }) : s("notice.tutorCancelled.refunded", { subject, credits: credits(t.minutes) })),
      };
    case "refunded": {
      const cause = REFUND_CAUSE_KEYS[t.cause ?? "expired"];
      if (t.freeTrial) return { title: s("notice.refunded.freeTrial.title", { subject, at }), body: s(`notice.refunded.freeTrial.${cause}`, { subject, at }) };
      return { title: s("notice.refunded.title", { subject, at }), body: s(`notice.refunded.${cause}`, { credits: credits(t.minutes), subject, at }) };
    }
    case "rebooked":
      return { title: s("notice.rebooked.title", { tutor: t.tutorName }), body: s("notice.rebooked.body", { subject, at, tutor: t.tutorName }) };
    case "booking_confirmed":
      if (t.weeks && t.weeks > 1) {
        return {
          title: s("notice.bookingConfirmed.title", { subject, tutor: t.tutorName, at }),
          body:
            s("notice.bookingConfirmed.weekly", { subject, tutor: t.tutorName, at, count: t.weeks }) +
            s("notice.bookingConfirmed.weeklyCost", { credits: credits(t.minutes), days: SERIES_POLICY.chargeDaysBefore }) +
            s("notice.bookingConfirmed.joinWeekly"),
        };
      }
      return {
        title: s("notice.bookingConfirmed.title", { subject, tutor: t.tutorName, at }),
        body:
          s(t.group ? "notice.bookingConfirmed.group" : "notice.bookingConfirmed.session", { subject, tutor: t.tutorName, at }) +
          (t.freeTrial ? s("notice.bookingConfirmed.freeTrial") : t.minutes ? s("notice.bookingConfirmed.cost", { credits: credits(t.minutes) }) : s("notice.bookingConfirmed.paidByCancelled")) +
          s("notice.bookingConfirmed.join"),
      };
    case "you_cancelled":
      return {
        title: s("notice.youCancelled.title", { subject, tutor: t.tutorName, at }),
        body:
          s("notice.youCancelled.body", { subject, tutor: t.tutorName, at }) +
          (t.freeTrial
            ? t.refunded
              ? s("notice.youCancelled.freeTrialBack")
              : s("notice.youCancelled.freeTrialUsed", { hours: POLICY.studentRefundHours })
            : t.refunded
              ? s("notice.youCancelled.refunded", { credits: credits(t.minutes) })
              : s("notice.youCancelled.notRefunded", { hours: POLICY.studentRefundHours })),
      };
    case "you_rescheduled":
      return {
        title: s("notice.youRescheduled.title", { subject, tutor: t.tutorName, at }),
        body: s("notice.youRescheduled.body", { subject, tutor: t.tutorName, from: formatInZone(t.previousStart, zone, locale), at }),
      };
    case "waitlist_seat":
      return {
        title: s("notice.waitlistSeat.title", { subject, at }),
        body: s("notice.waitlistSeat.body", { subject, at, tutor: t.tutorName, until: formatInZone(t.until, zone, locale), credits: credits(t.minutes) }),
      };
    case "ended_early":
      return {
        title: s("notice.endedEarly.title", { subject, at }),
        // Ended inside its first minute, no minute was taught: "after 0 min" is no way to say so.
        body: t.taughtMinutes
          ? s("notice.endedEarly.body", { subject, at, taught: formatDuration(t.taughtMinutes, locale), credits: credits(t.refundedMinutes) })
          : s("notice.endedEarly.atOnce", { subject, at, credits: credits(t.refundedMinutes) }),
      };
    case "series_booked":
      return { title: s("notice.seriesBooked.title", { subject, name: t.withName }), body: s("notice.seriesBooked.body", { name: t.withName, subject, at, count: t.weeks }) };
    case "series_moved":
      return {
        title: s("notice.seriesMoved.title", { subject, at }),
        body:
          s(t.byYou ? "notice.seriesMoved.byYou" : "notice.seriesMoved.body", { by: t.byName, subject, from: formatInZone(t.previousStart, zone, locale), at, count: t.moved }) +
          (t.kept ? s("notice.seriesMoved.kept", { count: t.kept }) : ""),
      };
    case "series_payment_due":
      return {
        title: s("notice.seriesPaymentDue.title", { subject, at }),
        body: s("notice.seriesPaymentDue.body", { subject, at, credits: credits(t.minutes), until: formatInZone(t.releaseAt, zone, locale) }),
      };
    case "series_released":
      return {
        title: s("notice.seriesReleased.title", { subject, at }),
        body: t.cause === "unpaid" ? s("notice.seriesReleased.unpaid", { subject, at, hours: SERIES_POLICY.releaseHoursBefore }) : s("notice.seriesReleased.studentBusy", { subject, at }),
      };
    case "series_week_skipped":
      return {
        title: s("notice.seriesWeekSkipped.title", { subject, at }),
        body:
          s("notice.seriesWeekSkipped.body", { subject, at }) +
          (t.alternatives.length ? s("notice.seriesWeekSkipped.free", { times: times(t.alternatives), zone: zoneNameFor(zone, t.start, locale) }) : s("notice.seriesWeekSkipped.noneFree")),
      };
    case "series_week_conflict":
      return {
        title: s("notice.seriesWeekConflict.title", { subject, at }),
        body: s("notice.seriesWeekConflict.body", { subject, at }) + (t.alternatives.length ? s("notice.seriesWeekConflict.free", { times: times(t.alternatives), zone: zoneNameFor(zone, t.start, locale) }) : ""),
      };
    case "series_paused":
      return {
        title: s("notice.seriesPaused.title", { subject, at }),
        body: s("notice.seriesPaused.body", { subject, at }) + (t.refunded ? s("notice.cancelled.refunded") : s("notice.seriesPaused.notCharged")),
      };
    case "calendar_conflict":
      return { title: s("notice.calendarConflict.title", { subject, at }), body: s("notice.calendarConflict.body", { title: t.title, source: t.source, subject, at }) };
  }
}
