import { z } from "zod";
import { ServerMessageSchema } from "../../domain/protocol";
import type { NoticeTemplate } from "../../domain/notifications/messages";

/** A session's calendar invitation for one student: REQUEST (booked, moved) or CANCEL, with the feed's UID. */
export const InviteSchema = z.object({
  method: z.enum(["REQUEST", "CANCEL"]),
  bookingId: z.string(),
  tutorId: z.string(),
  sequence: z.number().int(),
  start: z.number(),
  end: z.number(),
  group: z.boolean(),
});

/** Work a calendar change owes the world outside the object; each kind is safe to run more than once. */
export const EffectSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("release"),
    studentId: z.string(),
    reservationId: z.string(),
    refund: z.boolean(),
    reason: z.string(),
    now: z.number(),
  }),
  z.object({ kind: z.literal("project"), sessionId: z.string() }),
  z.object({ kind: z.literal("project_weekly") }),
  z.object({ kind: z.literal("earn"), sessionId: z.string() }),
  /** A persistent notice (inbox + email) rendered in the recipient's zone; `nameOf` fills the other person's name. */
  z.object({
    kind: z.literal("notice"),
    userId: z.string(),
    nameOf: z.string().nullable(),
    template: z.custom<NoticeTemplate>((v) => typeof v === "object" && v !== null && "kind" in v),
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
  /** A late cancellation (`start` says how late) or a no-show by the tutor. */
  z.object({ kind: z.literal("reliability"), tutorId: z.string(), bookingId: z.string(), event: z.enum(["tutor_cancelled", "no_show"]), start: z.number().optional(), at: z.number() }),
  z.object({ kind: z.literal("notify"), userId: z.string(), message: ServerMessageSchema }),
  /** A student lost their seat while the session's room was open: out of the room (and its RealtimeKit meeting). */
  z.object({ kind: z.literal("seat_lost"), sessionId: z.string(), studentId: z.string(), at: z.number() }),
]);
export type Effect = z.infer<typeof EffectSchema>;
