/**
 * The words of Tutorly's notices, rendered for one recipient: times in THEIR zone (named) and locale, subjects
 * as shown in the app, credit in the app's one unit (domain/format). A notice names who did what and why; an
 * action is never reported to the person who took it as if someone else had. Pure: zone, locale and instants
 * are inputs.
 */
import { z } from "zod";
import { POLICY } from "../credits/policy";
import { formatCredits } from "../format/amounts";
import { subjectLabel } from "../format/subject";
import { formatDateTime, zoneName } from "../format/time";

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
  z.object({ kind: z.literal("booking_confirmed"), subject: z.string(), start: z.string(), tutorName: z.string(), minutes: z.number().int(), group: z.boolean() }),
  /** The reader's own cancellation, confirmed (email with the invitation's CANCEL). */
  z.object({ kind: z.literal("you_cancelled"), subject: z.string(), start: z.string(), tutorName: z.string(), refunded: z.boolean(), minutes: z.number().int() }),
  /** The reader's own move, confirmed (email with the updated invitation). */
  z.object({ kind: z.literal("you_rescheduled"), subject: z.string(), start: z.string(), previousStart: z.string(), tutorName: z.string() }),
  /** Outside busy time (Calendly, an outside calendar) landed on one of the tutor's sessions. */
  z.object({ kind: z.literal("calendar_conflict"), subject: z.string(), start: z.string(), title: z.string(), source: z.string() }),
  /** A session ended before most of its time was taught: the untaught share of the credits came back. */
  z.object({ kind: z.literal("ended_early"), subject: z.string(), start: z.string(), taughtMinutes: z.number().int(), refundedMinutes: z.number().int() }),
]);
export type NoticeTemplate = z.infer<typeof NoticeTemplateSchema>;

/**
 * The template with the other person's name filled in (the sender of a notice knows their id, not their name);
 * with no name known, a fitting stand-in ("your student", "Tutorly support").
 */
export function withOtherName(t: NoticeTemplate, name: string | undefined): NoticeTemplate {
  switch (t.kind) {
    case "booked":
    case "reminder":
      return { ...t, withName: name ?? (t.withName || "your student") };
    case "cancelled":
    case "rescheduled":
      return { ...t, byName: name ?? (t.byName || "Tutorly support") };
    case "left_group":
      return { ...t, studentName: name ?? (t.studentName || "A student") };
    case "tutor_no_show":
    case "tutor_cancelled_offers":
    case "tutor_cancelled_refunded":
    case "rebooked":
    case "booking_confirmed":
    case "you_cancelled":
    case "you_rescheduled":
      return { ...t, tutorName: name ?? (t.tutorName || "your tutor") };
    case "refunded":
    case "calendar_conflict":
    case "ended_early":
      return t;
  }
}

/** "Tue, Mar 9, 2:30 PM (Asia/Kathmandu)": an instant in the recipient's zone and locale, the zone named. */
export function formatInZone(iso: string, zone: string, locale = DEFAULT_LOCALE): string {
  return `${formatDateTime(iso, zone, locale)} (${zoneName(zone)})`;
}

/** " Reason given: “…”." or nothing, when no reason was given. */
const because = (reason?: string | null) => (reason?.trim() ? ` Reason given: “${reason.trim()}”.` : "");

export function renderNotice(t: NoticeTemplate, zone: string, locale = DEFAULT_LOCALE): { title: string; body: string } {
  const at = formatInZone(t.start, zone, locale);
  const subject = subjectLabel(t.subject);
  switch (t.kind) {
    case "booked":
      return { title: `New ${subject} session with ${t.withName}`, body: `${t.withName} booked ${subject} with you for ${at}.` };
    case "cancelled": {
      const by = t.byRole === "admin" ? "Tutorly support" : t.byName;
      return {
        title: `${by} cancelled ${subject}, ${at}`,
        body: `${by} cancelled your ${subject} session of ${at}.${because(t.reason)}${t.refunded ? " The credits are back in your balance." : ""}`,
      };
    }
    case "left_group":
      return {
        title: `${t.studentName} left your ${subject} group, ${at}`,
        body: `${t.studentName} gave up their seat in your ${subject} group session of ${at}.${because(t.reason)} ${t.seatsTaken} of ${t.seats} seats are taken now.`,
      };
    case "tutor_no_show":
      return {
        title: `${t.tutorName} didn't come to ${subject}, ${at}`,
        body: `${t.tutorName} never joined your ${subject} session of ${at}, so it was cancelled and the credits are back in your balance.`,
      };
    case "rescheduled":
      return { title: `${subject} moved to ${at}`, body: `${t.byName} moved your ${subject} session from ${formatInZone(t.previousStart, zone, locale)} to ${at}.` };
    case "reminder":
      return {
        title: t.lead === "24h" ? `Coming up: ${subject} with ${t.withName}, ${at}` : `In one hour: ${subject} with ${t.withName}`,
        body: `Your ${subject} session with ${t.withName} starts ${at}. Join from My sessions a few minutes before.`,
      };
    case "tutor_cancelled_offers":
      return {
        title: `${t.tutorName} cancelled your ${subject} session, ${at}`,
        body: `${t.tutorName} cancelled your ${subject} session of ${at}.${because(t.reason)} We found ${t.offers} other ${subject} tutor${t.offers === 1 ? "" : "s"} free at that exact time — pick one at no extra cost, or take your credits back.`,
      };
    case "tutor_cancelled_refunded":
      return {
        title: `${t.tutorName} cancelled your ${subject} session, ${at}`,
        body: `${t.tutorName} cancelled your ${subject} session of ${at}.${because(t.reason)} No other ${subject} tutor is free then, so your ${formatCredits(t.minutes)} is back in your balance.`,
      };
    case "refunded":
      return {
        title: `Credits back: ${subject}, ${at}`,
        body:
          t.cause === "declined"
            ? `You chose your credits back instead of a replacement tutor: ${formatCredits(t.minutes)} for the ${subject} session of ${at} is in your balance again.`
            : `Nobody took the replacement offers for the ${subject} session of ${at} in time, so your ${formatCredits(t.minutes)} is back in your balance.`,
      };
    case "rebooked":
      return { title: `Rebooked with ${t.tutorName}`, body: `Your ${subject} session of ${at} is now with ${t.tutorName}, at no extra cost.` };
    case "booking_confirmed":
      return {
        title: `You're booked: ${subject} with ${t.tutorName}, ${at}`,
        body: `Your ${t.group ? "seat in the group session" : "session"} ${subject} with ${t.tutorName} is confirmed for ${at}. ${t.minutes ? `It cost ${formatCredits(t.minutes)}.` : "It was paid with the credits of your cancelled session."} Join from My sessions a few minutes before; the attached invitation puts it in your calendar.`,
      };
    case "you_cancelled":
      return {
        title: `You cancelled ${subject} with ${t.tutorName}, ${at}`,
        body: `You cancelled your ${subject} session with ${t.tutorName} of ${at}. ${t.refunded ? `Your ${formatCredits(t.minutes)} is back in your balance.` : `It was less than ${POLICY.studentRefundHours} hours ahead, so the credits were not refunded.`}`,
      };
    case "you_rescheduled":
      return {
        title: `${subject} with ${t.tutorName} moved to ${at}`,
        body: `You moved your ${subject} session with ${t.tutorName} from ${formatInZone(t.previousStart, zone, locale)} to ${at}. The attached invitation updates your calendar.`,
      };
    case "ended_early":
      return {
        title: `${subject} ended early, ${at}`,
        body: `Your ${subject} session of ${at} ended after ${t.taughtMinutes} minutes. ${formatCredits(t.refundedMinutes)} for the time not taught is back in your balance.`,
      };
    case "calendar_conflict":
      return {
        title: `Calendar conflict: ${subject}, ${at}`,
        body: `"${t.title}" from ${t.source} overlaps your ${subject} session of ${at}. Both are kept: move or cancel one of them.`,
      };
  }
}
