/**
 * The words of Tutorly's notices, rendered for one recipient: times in THEIR zone (named) and locale, subjects
 * as shown in the app, credit in the app's one unit (domain/format). A notice names who did what and why; an
 * action is never reported to the person who took it as if someone else had. Pure: zone, locale and instants
 * are inputs.
 */
import { z } from "zod";
import { POLICY } from "../credits/policy";
import { SERIES_POLICY } from "../series/policy";
import { formatCredits } from "../format/amounts";
import { subjectLabel } from "../format/subject";
import { formatDateTime, zoneName } from "../format/time";
import { serverText } from "../i18n/server";

/** The locale notices are written in until a recipient has chosen one. */
export const DEFAULT_LOCALE = "en-US";

/** Who cancelled, for the reader: a person's name, or Tutorly (admins act as "Tutorly support"). */
export const ActorRoleSchema = z.enum(["student", "tutor", "admin"]);
export type ActorRole = z.infer<typeof ActorRoleSchema>;

/** A notice before rendering. A schema, because calendars keep queued notices in storage and parse them back. */
export const NoticeTemplateSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("booked"), subject: z.string(), start: z.string(), withName: z.string() }),
  /** The whole session was cancelled by someone other than the reader. */
  z.object({ kind: z.literal("cancelled"), subject: z.string(), start: z.string(), byName: z.string(), refunded: z.boolean(), byRole: ActorRoleSchema.optional(), reason: z.string().nullish() }),
  /** A student gave up their seat in the reader's (the tutor's) group session. */
  z.object({ kind: z.literal("left_group"), subject: z.string(), start: z.string(), studentName: z.string(), seatsTaken: z.number().int(), seats: z.number().int(), reason: z.string().nullish() }),
  /** The tutor never came: the session was cancelled after the fact and the student refunded. */
  z.object({ kind: z.literal("tutor_no_show"), subject: z.string(), start: z.string(), tutorName: z.string() }),
  z.object({ kind: z.literal("rescheduled"), subject: z.string(), start: z.string(), previousStart: z.string(), byName: z.string() }),
  z.object({ kind: z.literal("reminder"), subject: z.string(), start: z.string(), withName: z.string(), lead: z.enum(["24h", "1h"]) }),
  z.object({ kind: z.literal("tutor_cancelled_offers"), subject: z.string(), start: z.string(), tutorName: z.string(), offers: z.number().int(), reason: z.string().nullish() }),
  /** The tutor cancelled and no other tutor was free then: the credits went straight back. */
  z.object({ kind: z.literal("tutor_cancelled_refunded"), subject: z.string(), start: z.string(), tutorName: z.string(), minutes: z.number().int(), reason: z.string().nullish() }),
  /** Credits back after replacement offers: the reader took them (`declined`) or the offers ran out (`expired`). */
  z.object({ kind: z.literal("refunded"), subject: z.string(), start: z.string(), minutes: z.number().int(), cause: z.enum(["declined", "expired"]).optional() }),
  z.object({ kind: z.literal("rebooked"), subject: z.string(), start: z.string(), tutorName: z.string() }),
  /** The student's own booking, confirmed (sent by email with its calendar invitation); 0 minutes: paid by a cancelled one. */
  z.object({ kind: z.literal("booking_confirmed"), subject: z.string(), start: z.string(), tutorName: z.string(), minutes: z.number().int(), group: z.boolean(), freeTrial: z.boolean().optional() }),
  /** The reader's own cancellation, confirmed (email with the invitation's CANCEL). */
  /** `freeTrial`: the free plan's trial of the month, which comes back (refunded) or counts as used, not its credit. */
  z.object({ kind: z.literal("you_cancelled"), subject: z.string(), start: z.string(), tutorName: z.string(), refunded: z.boolean(), minutes: z.number().int(), freeTrial: z.boolean().optional() }),
  /** The reader's own move, confirmed (email with the updated invitation). */
  z.object({ kind: z.literal("you_rescheduled"), subject: z.string(), start: z.string(), previousStart: z.string(), tutorName: z.string() }),
  /** Outside busy time (Calendly, an outside calendar) landed on one of the tutor's sessions. */
  z.object({ kind: z.literal("calendar_conflict"), subject: z.string(), start: z.string(), title: z.string(), source: z.string() }),
  /** Weekly lessons were booked with the reader (the tutor): `weeks` occurrences from `start`. */
  /** The rest of a weekly series moved: once for the whole move (`start`: the first moved week's new time). */
  z.object({ kind: z.literal("series_moved"), subject: z.string(), start: z.string(), previousStart: z.string(), byName: z.string(), moved: z.number().int(), kept: z.number().int() }),
  z.object({ kind: z.literal("series_booked"), subject: z.string(), start: z.string(), withName: z.string(), weeks: z.number().int() }),
  /** An occurrence of a series could not be paid: the reader (the student) tops up before `releaseAt`, or it is released. */
  z.object({ kind: z.literal("series_payment_due"), subject: z.string(), start: z.string(), minutes: z.number().int(), releaseAt: z.string() }),
  /** An occurrence of a series was released: unpaid by its deadline, or the student was busy then. */
  z.object({ kind: z.literal("series_released"), subject: z.string(), start: z.string(), cause: z.enum(["unpaid", "student_busy"]) }),
  /** A week of a series could not be booked (the tutor is busy then): other free times that day. */
  z.object({ kind: z.literal("series_week_skipped"), subject: z.string(), start: z.string(), alternatives: z.array(z.string()).max(12) }),
  /** Outside busy time of the tutor landed on a week of the reader's series: it stays booked; times free that day. */
  z.object({ kind: z.literal("series_week_conflict"), subject: z.string(), start: z.string(), alternatives: z.array(z.string()).max(12) }),
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
      return t;
  }
}

/** "Tue, Mar 9, 2:30 PM (Asia/Kathmandu)": an instant in the recipient's zone and locale, the zone named. */
export function formatInZone(iso: string, zone: string, locale = DEFAULT_LOCALE): string {
  return `${formatDateTime(iso, zone, locale)} (${zoneName(zone)})`;
}

/** The notice in the reader's zone and language (their locale's clock, digits and words). */
export function renderNotice(t: NoticeTemplate, zone: string, locale = DEFAULT_LOCALE): { title: string; body: string } {
  const s = serverText(locale);
  const at = formatInZone(t.start, zone, locale);
  const subject = subjectLabel(t.subject, locale);
  const credits = (minutes: number) => formatCredits(minutes, locale);
  /** " Reason given: “…”." or nothing, when no reason was given. */
  const because = (reason?: string | null) => (reason?.trim() ? s("notice.because", { reason: reason.trim() }) : "");
  switch (t.kind) {
    case "booked":
      return { title: s("notice.booked.title", { subject, name: t.withName }), body: s("notice.booked.body", { subject, name: t.withName, at }) };
    case "cancelled": {
      const by = t.byRole === "admin" ? s("names.support") : t.byName;
      return {
        title: s("notice.cancelled.title", { by, subject, at }),
        body: s("notice.cancelled.body", { by, subject, at, because: because(t.reason) }) + (t.refunded ? s("notice.cancelled.refunded") : ""),
      };
    }
    case "left_group":
      return {
        title: s("notice.leftGroup.title", { student: t.studentName, subject, at }),
        body: s("notice.leftGroup.body", { student: t.studentName, subject, at, because: because(t.reason) }) + s("notice.leftGroup.seats", { taken: t.seatsTaken, count: t.seats }),
      };
    case "tutor_no_show":
      return { title: s("notice.tutorNoShow.title", { tutor: t.tutorName, subject, at }), body: s("notice.tutorNoShow.body", { tutor: t.tutorName, subject, at }) };
    case "rescheduled":
      return { title: s("notice.rescheduled.title", { subject, at }), body: s("notice.rescheduled.body", { by: t.byName, subject, from: formatInZone(t.previousStart, zone, locale), at }) };
    case "reminder":
      return {
        title: t.lead === "24h" ? s("notice.reminder.title24h", { subject, name: t.withName, at }) : s("notice.reminder.title1h", { subject, name: t.withName }),
        body: s("notice.reminder.body", { subject, name: t.withName, at }),
      };
    case "tutor_cancelled_offers":
      return {
        title: s("notice.tutorCancelled.title", { tutor: t.tutorName, subject, at }),
        body: s("notice.tutorCancelled.body", { tutor: t.tutorName, subject, at, because: because(t.reason) }) + s("notice.tutorCancelled.offers", { count: t.offers, subject }),
      };
    case "tutor_cancelled_refunded":
      return {
        title: s("notice.tutorCancelled.title", { tutor: t.tutorName, subject, at }),
        body: s("notice.tutorCancelled.body", { tutor: t.tutorName, subject, at, because: because(t.reason) }) + s("notice.tutorCancelled.refunded", { subject, credits: credits(t.minutes) }),
      };
    case "refunded":
      return {
        title: s("notice.refunded.title", { subject, at }),
        body: t.cause === "declined" ? s("notice.refunded.declined", { credits: credits(t.minutes), subject, at }) : s("notice.refunded.expired", { credits: credits(t.minutes), subject, at }),
      };
    case "rebooked":
      return { title: s("notice.rebooked.title", { tutor: t.tutorName }), body: s("notice.rebooked.body", { subject, at, tutor: t.tutorName }) };
    case "booking_confirmed":
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
        title: `${subject} ended early, ${at}`,
        body: `Your ${subject} session of ${at} ended after ${t.taughtMinutes} minutes. ${formatCredits(t.refundedMinutes)} for the time not taught is back in your balance.`,
      };
    case "series_booked":
      return {
        title: `Weekly ${subject} with ${t.withName}`,
        body: `${t.withName} booked ${subject} with you every week for ${t.weeks} week${t.weeks === 1 ? "" : "s"}, starting ${at}. Each lesson is in your schedule.`,
      };
    case "series_moved":
      return {
        title: `Weekly ${subject} moved to ${at}`,
        body: `${t.byName} moved your weekly ${subject} lessons from ${formatInZone(t.previousStart, zone, locale)} on: ${t.moved} week${t.moved === 1 ? "" : "s"} now at the new time, starting ${at}.${t.kept ? ` ${t.kept} week${t.kept === 1 ? "" : "s"} could not move and stay${t.kept === 1 ? "s" : ""} at the old time (see the series).` : ""}`,
      };
    case "series_payment_due":
      return {
        title: `Top up for ${subject}, ${at}`,
        body: `Your weekly ${subject} lesson of ${at} costs ${formatCredits(t.minutes)}, more than your balance. Add credits before ${formatInZone(t.releaseAt, zone, locale)} or the lesson is released.`,
      };
    case "series_released":
      return {
        title: `${subject}, ${at}: released`,
        body:
          t.cause === "unpaid"
            ? `Your weekly ${subject} lesson of ${at} was released because it was still unpaid ${SERIES_POLICY.releaseHoursBefore} hours before. Nothing was charged; the rest of the series goes on.`
            : `Your weekly ${subject} lesson of ${at} was released because you have another session then. Nothing was charged; the rest of the series goes on.`,
      };
    case "series_week_skipped": {
      const others = t.alternatives.map((a) => formatDateTime(a, zone, locale));
      return {
        title: `${subject}, ${at}: not booked`,
        body: `The week of ${at} of your weekly ${subject} lessons could not be booked: that time is taken in the tutor's calendar. ${others.length ? `Free that day: ${others.join(", ")} (${zoneName(zone)}).` : "Nothing else is free that day."}`,
      };
    }
    case "series_week_conflict": {
      const others = t.alternatives.map((a) => formatDateTime(a, zone, locale));
      return {
        title: `${subject}, ${at}: your tutor has a conflict`,
        body: `Something else came up in your tutor's calendar at the time of your weekly ${subject} lesson of ${at}. It stays booked for now; you can move it${others.length ? ` — free that day: ${others.join(", ")} (${zoneName(zone)})` : ""} or cancel it.`,
      };
    }
    case "calendar_conflict":
      return { title: s("notice.calendarConflict.title", { subject, at }), body: s("notice.calendarConflict.body", { title: t.title, source: t.source, subject, at }) };
  }
}
