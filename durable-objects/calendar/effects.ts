import { z } from "zod";
import { ServerMessageSchema } from "../../domain/protocol";
import { NoticeTemplateSchema } from "../../domain/notifications/messages";

/** A session's calendar invitation for one student: REQUEST (booked, moved) or CANCEL, with the feed's UID. */
export const InviteSchema = z.object({
  method: z.enum(["REQUEST", "CANCEL"]),
  bookingId: z.string(),
  tutorId: z.string(),
  sequence: z.number().int(),
  start: z.number(),
  end: z.number(),
  group: z.boolean(),
  /** A weekly series' other weeks, each its own event in the same invitation (their own UIDs, as in the feed). */
  more: z.array(z.object({ bookingId: z.string(), sequence: z.number().int(), start: z.number(), end: z.number() })).max(60).optional(),
});

/** Work a calendar change owes the world outside the object; each kind is safe to run more than once. */
export const EffectSchema = z.discriminatedUnion("kind", [
  /** Frees the reservation in the student's wallet; `refund` gives back what it cost, or `refundMinutes` of it. */
  z.object({
    kind: z.literal("release"),
    studentId: z.string(),
    reservationId: z.string(),
    refund: z.boolean(),
    refundMinutes: z.number().int().positive().optional(),
    reason: z.string(),
    now: z.number(),
  }),
  z.object({ kind: z.literal("project"), sessionId: z.string() }),
  /** Every week of a weekly series as it is when the effect runs, in one D1 batch. */
  z.object({ kind: z.literal("project_series"), seriesId: z.string() }),
  z.object({ kind: z.literal("project_weekly") }),
  /** A completed session: settle it from attendance, then accrue the tutor's earning (once). */
  z.object({ kind: z.literal("earn"), sessionId: z.string() }),
  /** A persistent notice (inbox + email) rendered in the recipient's zone; `nameOf` fills the other person's name. */
  z.object({
    kind: z.literal("notice"),
    userId: z.string(),
    nameOf: z.string().nullable(),
    template: NoticeTemplateSchema,
    dedupeKey: z.string(),
    link: z.string().optional(),
    /** false: email only (the reader's own action, e.g. their booking confirmation). */
    inbox: z.boolean().optional(),
    email: z.boolean().optional(),
    /** The session's calendar invitation for a student: REQUEST (booked, moved) or CANCEL, with the feed's UID. */
    invite: InviteSchema.optional(),
  }),
  /** The tutor cancelled: offer this student replacements (or refund) through their account. */
  z.object({
    kind: z.literal("offer"),
    studentId: z.string(),
    reservationId: z.string(),
    sessionId: z.string(),
    tutorId: z.string(),
    subject: z.string(),
    start: z.number(),
    end: z.number(),
    now: z.number(),
    /** What the tutor gave as the reason, told to the student, and the invitation's CANCEL for their calendar. */
    reason: z.string().nullish(),
    invite: InviteSchema.optional(),
  }),
  /** A late cancellation (`start` says how late), a no-show by the tutor, or a session taught. */
  z.object({ kind: z.literal("reliability"), tutorId: z.string(), bookingId: z.string(), event: z.enum(["tutor_cancelled", "no_show", "completed"]), start: z.number().optional(), at: z.number() }),
  z.object({ kind: z.literal("notify"), userId: z.string(), message: ServerMessageSchema }),
  /** The tutor's sessions changed: their subscribed iCal feed is rendered again (platform/calendarFeed). */
  z.object({ kind: z.literal("feed") }),
  /** A student lost their seat while the session's room was open: out of the room (and its RealtimeKit meeting). */
  z.object({ kind: z.literal("seat_lost"), sessionId: z.string(), studentId: z.string(), at: z.number() }),
  /**
   * The whole session was cancelled while its room was open (not one seat of a group that goes on): the room closes
   * for everyone now, its tutor included, whether or not anyone had a seat, rather than when its window would have.
   * With `movedTo` it was moved instead: the room of the old time closes the same way, telling everyone the new
   * times, and opens again for those.
   */
  z.object({ kind: z.literal("session_gone"), sessionId: z.string(), at: z.number(), movedTo: z.object({ start: z.number(), end: z.number() }).optional() }),
]);
export type Effect = z.infer<typeof EffectSchema>;
export type EffectKind = Effect["kind"];

/**
 * Effects run in lanes, so a slow one never holds up another kind. Only `wallet` runs before an operation answers
 * (a refund is read back at once, and it is one call to the student's object); everything that touches D1 or
 * pushes to people drains after the answer, with live pushes (and taking a student out of an open room) in a lane
 * of their own so they arrive first.
 */
export type Lane = "wallet" | "live" | "d1";

/**
 * Within a lane, effects with the same key run in the order they were queued and different keys side by side:
 * a person's pushes in order, one student's wallet calls in order; the D1 lane stays one sequence (a feed renders
 * after the projection it reads).
 */
export function orderKey(effect: Effect): string {
  switch (effect.kind) {
    case "notify":
      return `user:${effect.userId}`;
    case "seat_lost":
    case "session_gone":
      return `room:${effect.sessionId}`;
    case "release":
      return `student:${effect.studentId}`;
    default:
      return LANE_OF[effect.kind];
  }
}
export const LANE_OF: Record<EffectKind, Lane> = {
  release: "wallet",
  notify: "live",
  seat_lost: "live",
  session_gone: "live",
  project: "d1",
  project_series: "d1",
  project_weekly: "d1",
  earn: "d1",
  notice: "d1",
  offer: "d1",
  reliability: "d1",
  feed: "d1",
};

/**
 * Kinds a lane pass runs together, in one round of D1 however many bookings queued them (the sessions' projection
 * is one batch, the notices one delivery): the effects with the same name here are run as one. The projection runs
 * first, so a feed rendered in the same pass reads it.
 */
export const TOGETHER: Partial<Record<EffectKind, "projection" | "notices">> = {
  project: "projection",
  project_series: "projection",
  notice: "notices",
};
