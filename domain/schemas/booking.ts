import { z } from "zod";
import { InstantSchema, ReasonTextSchema } from "./common";
import { DurationSchema } from "./availability";
import { SubjectSchema } from "./tutor";
import { ownWords } from "./humanErrors";
import { SERIES_POLICY } from "../series/policy";
import { POLICY } from "../credits/policy";

export const BookingStatusSchema = z.enum(["confirmed", "cancelled", "completed"]);
export const BookingKindSchema = z.enum(["one_on_one", "group"]);

/** How a finished session was settled from its attendance (domain/billing/settlement.ts); absent until then. */
export const SessionOutcomeSchema = z.enum(["as_booked", "student_no_show", "ended_early", "not_attended", "tutor_no_show"]);

/** A booking as the API returns it (API.md). */
export const BookingSchema = z.object({
  id: z.string(),
  tutorId: z.string(),
  tutorName: z.string().optional(),
  studentIds: z.array(z.string()),
  start: z.string(),
  end: z.string(),
  subject: z.string(),
  kind: BookingKindSchema,
  status: BookingStatusSchema,
  source: z.enum(["app", "calendly"]),
  /** What one seat costs (what the caller paid, for a student). */
  creditsMinutes: z.number().int(),
  /** The same, as the price the booking was confirmed at (API.md "Additions"). */
  price: z.object({ creditMinutes: z.number().int() }).optional(),
  /** Tutors and admins only: what the tutor earns for it, fixed when its seats were confirmed (cents). */
  tutorEarningCents: z.number().int().optional(),
  /** Once it is over: how it was settled from attendance. */
  outcome: SessionOutcomeSchema.optional(),
  /** Once it is over, tutors and admins: the minutes taught that the earning was scaled to. */
  taughtMinutes: z.number().int().optional(),
  seats: z.number().int(),
  seatsTaken: z.number().int(),
  /**
   * Tutors and admins: every student who held a seat, with its state (a cancelled booking keeps its people). `left`:
   * the student gave the seat up while the session went on, so a cancelled group does not count them among its own.
   */
  participants: z.array(z.object({ studentId: z.string(), name: z.string().optional(), status: z.enum(["confirmed", "cancelled"]), left: z.boolean().optional() })).optional(),
  /** Students: whether they already reviewed this (completed) session. */
  reviewed: z.boolean().optional(),
  /** Students: whether the server would take their rating (they were at a lesson that took place). */
  reviewable: z.boolean().optional(),
  /** A trial lesson (POLICY.trialMinutes at POLICY.trialPercent of the price): a student's first with this tutor. */
  trial: z.boolean().optional(),
  /** A trial lesson the free plan's trial of the month paid: free to the student (its price is the platform's). */
  freeTrial: z.boolean().optional(),
  /** An occurrence of a weekly series: the series it belongs to. */
  seriesId: z.string().optional(),
  /**
   * An occurrence of a series not paid yet: when its credits will be taken (then it is released 24 h before if unpaid).
   * Listings and a booking's own page (GET /api/bookings, /api/bookings/:id) give null for a week with nothing to pay
   * (paid, or cancelled); the series answer leaves it out then.
   */
  paymentDueAt: z.string().nullable().optional(),
});
export type Booking = z.infer<typeof BookingSchema>;

export const CreateBookingSchema = z
  .object({
    tutorId: z.string().min(1).max(64),
    start: InstantSchema,
    durationMinutes: DurationSchema,
    subject: SubjectSchema,
    group: z.boolean().optional().default(false),
    /** Every week at this time, for this many weeks in all (the first included); omitted: a single booking. */
    repeat: z.object({ weeks: z.number().int().min(1).max(SERIES_POLICY.maxWeeks) }).strict().optional(),
    /** A trial lesson: 1:1, POLICY.trialMinutes long, once per student and tutor, with a tutor who offers trials. */
    trial: z.boolean().optional().default(false),
  })
  .refine((b) => !b.trial || b.durationMinutes === POLICY.trialMinutes, { ...ownWords("trialMinutes", { n: POLICY.trialMinutes }), path: ["durationMinutes"] })
  .refine((b) => !b.trial || (!b.group && !b.repeat), { ...ownWords("trialSingle"), path: ["trial"] });
export type CreateBookingInput = z.input<typeof CreateBookingSchema>;

export const OpenGroupSessionSchema = z.object({
  start: InstantSchema,
  durationMinutes: DurationSchema,
  subject: SubjectSchema,
  seats: z.number().int().min(2).max(8),
});
export type OpenGroupSessionInput = z.input<typeof OpenGroupSessionSchema>;

export const CancelBookingSchema = z.object({ reason: ReasonTextSchema.optional() });
export const RescheduleBookingSchema = z.object({ start: InstantSchema });

export const SlotsQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    duration: z.coerce.number().pipe(DurationSchema),
  })
  .refine((q) => q.to > q.from, { ...ownWords("endAfterStart"), path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 92 * 86_400_000, { ...ownWords("rangeMaxDays", { n: 92 }), path: ["to"] });
