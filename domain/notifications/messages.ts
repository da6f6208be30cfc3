import { z } from "zod";

/**
 * The words of Tutorly's notices, rendered for one recipient: times in THEIR zone, with the zone named.
 * Pure: the zone and instants are inputs.
 */
export const NoticeTemplateSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("booked"), subject: z.string(), start: z.string(), withName: z.string() }),
  z.object({ kind: z.literal("cancelled"), subject: z.string(), start: z.string(), byName: z.string(), refunded: z.boolean() }),
  z.object({ kind: z.literal("rescheduled"), subject: z.string(), start: z.string(), previousStart: z.string(), byName: z.string() }),
  z.object({ kind: z.literal("reminder"), subject: z.string(), start: z.string(), withName: z.string(), lead: z.enum(["24h", "1h"]) }),
  z.object({ kind: z.literal("tutor_cancelled_offers"), subject: z.string(), start: z.string(), tutorName: z.string(), offers: z.number().int() }),
  z.object({ kind: z.literal("refunded"), subject: z.string(), start: z.string(), minutes: z.number().int() }),
  z.object({ kind: z.literal("rebooked"), subject: z.string(), start: z.string(), tutorName: z.string() }),
  /** Outside busy time (Calendly, an outside calendar) landed on one of the tutor's sessions. */
  z.object({ kind: z.literal("calendar_conflict"), subject: z.string(), start: z.string(), title: z.string(), source: z.string() }),
  /** A session ended before most of its time was taught: the untaught share of the credits came back. */
  z.object({ kind: z.literal("ended_early"), subject: z.string(), start: z.string(), taughtMinutes: z.number().int(), refundedMinutes: z.number().int() }),
]);
export type NoticeTemplate = z.infer<typeof NoticeTemplateSchema>;

/**
 * The template with the other person's name filled in where it has one (`withName`, `byName`, `tutorName`), or the
 * neutral words when there is no other person (an admin, or a group).
 */
export function withOtherName(t: NoticeTemplate, other: string | undefined): NoticeTemplate {
  switch (t.kind) {
    case "booked":
    case "reminder":
      return { ...t, withName: other ?? (t.withName || "your student") };
    case "cancelled":
    case "rescheduled":
      return { ...t, byName: other ?? (t.byName || "Tutorly support") };
    case "tutor_cancelled_offers":
    case "rebooked":
      return { ...t, tutorName: other ?? t.tutorName };
    case "refunded":
    case "calendar_conflict":
    case "ended_early":
      return t;
  }
}

/** "Tue 9 Mar, 14:30 (Asia/Kathmandu)" in the recipient's zone. */
export function formatInZone(iso: string, zone: string, locale = "en-GB"): string {
  const when = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
  return `${when} (${zone.replace(/_/g, " ")})`;
}

export function renderNotice(t: NoticeTemplate, zone: string): { title: string; body: string } {
  const at = formatInZone(t.start, zone);
  switch (t.kind) {
    case "booked":
      return { title: `New ${t.subject} session with ${t.withName}`, body: `${t.withName} booked ${t.subject} for ${at}.` };
    case "cancelled":
      return {
        title: `Session cancelled: ${t.subject}, ${at}`,
        body: `${t.byName} cancelled the ${t.subject} session of ${at}.${t.refunded ? " The credits are back in your balance." : ""}`,
      };
    case "rescheduled":
      return { title: `Session moved to ${at}`, body: `${t.byName} moved your ${t.subject} session from ${formatInZone(t.previousStart, zone)} to ${at}.` };
    case "reminder":
      return {
        title: t.lead === "24h" ? `Coming up: ${t.subject} with ${t.withName}, ${at}` : `In one hour: ${t.subject} with ${t.withName}`,
        body: `Your ${t.subject} session with ${t.withName} starts ${at}. Join from My sessions a few minutes before.`,
      };
    case "tutor_cancelled_offers":
      return {
        title: `${t.tutorName} cancelled your ${t.subject} session`,
        body: `${t.tutorName} cannot make ${at}. We found ${t.offers} other ${t.subject} tutor${t.offers === 1 ? "" : "s"} free at that exact time — pick one at no extra cost, or take your credits back.`,
      };
    case "refunded":
      return { title: `Credits returned: ${t.subject}, ${at}`, body: `${t.minutes} credit-minutes for the cancelled ${t.subject} session of ${at} are back in your balance.` };
    case "rebooked":
      return { title: `Rebooked with ${t.tutorName}`, body: `Your ${t.subject} session of ${at} is now with ${t.tutorName}, at no extra cost.` };
    case "ended_early":
      return {
        title: `Session ended early: ${t.subject}, ${at}`,
        body: `Your ${t.subject} session of ${at} ended after ${t.taughtMinutes} minutes. ${t.refundedMinutes} credit-minutes for the time not taught are back in your balance.`,
      };
    case "calendar_conflict":
      return {
        title: `Calendar conflict: ${t.subject}, ${at}`,
        body: `"${t.title}" from ${t.source} overlaps your ${t.subject} session of ${at}. Both are kept: move or cancel one of them.`,
      };
  }
}
