import { z } from "zod";
import { TimeZoneSchema } from "./common";

/** Subjects are compared case-insensitively; stored lower-case and trimmed. */
export const SubjectSchema = z
  .string()
  .trim()
  .min(2, { message: "Each subject needs at least 2 letters." })
  .max(40, { message: "Keep each subject under 40 characters." })
  .transform((s) => s.toLowerCase().replace(/\s+/g, " "));

export const TutorProfileInputSchema = z.object({
  bio: z.string().trim().max(2000),
  subjects: z.array(SubjectSchema).min(1, { message: "Teach at least one subject." }).max(12, { message: "List at most 12 subjects." }),
  // Kept in cents, entered and read in dollars: the messages speak dollars.
  hourlyRateCents: z
    .number({ message: "Enter your hourly rate in dollars, e.g. 40." })
    .int({ message: "Enter your hourly rate in dollars and cents, e.g. 40.50." })
    .min(500, { message: "The hourly rate is at least $5." })
    .max(100_000, { message: "The hourly rate is at most $1,000." }),
  timezone: TimeZoneSchema,
  /** Whether the tutor offers trial lessons (POLICY.trialMinutes at POLICY.trialPercent); omitted: unchanged. */
  offersTrials: z.boolean().optional(),
});
export type TutorProfileInput = z.input<typeof TutorProfileInputSchema>;

export type Tutor = {
  id: string;
  name: string;
  bio: string;
  subjects: string[];
  hourlyRateCents: number;
  timezone: string;
  /** What an hour with this tutor costs in credit-minutes (domain/credits/pricing.ts). */
  creditMinutesPerHour: number;
  rating: number | null;
  ratingCount: number;
  approved: boolean;
  /** Approved, with a confirmed address and an active account: shown in search and bookable. */
  listed: boolean;
  /** Offers a first trial lesson (domain/credits/pricing.ts trialPrice). */
  offersTrials: boolean;
};

/**
 * What booking needs to know about a tutor, held by the tutor's calendar object and pushed to it on every change
 * (profile edit, approval, admin action, seed), so the booking path never looks the tutor up in D1. `version`
 * orders pushes: a calendar keeps the newest it was given.
 */
export const TutorFactsSchema = z.object({
  tutorId: z.string().min(1).max(64),
  name: z.string().max(200),
  approved: z.boolean(),
  /** Suspended or deleted accounts cannot be booked. */
  suspended: z.boolean(),
  /** Bookable: approved, email confirmed, account active (platform/db/listing.ts). */
  listed: z.boolean(),
  subjects: z.array(z.string().min(1).max(60)).max(40),
  hourlyRateCents: z.number().int().positive(),
  /** Offers trial lessons. Facts stored before this field existed fail to parse, so D1 is read again once. */
  offersTrials: z.boolean(),
  version: z.number().int().nonnegative(),
});
export type TutorFacts = z.output<typeof TutorFactsSchema>;

/** The hourly rates tutors may set (an admin setting); profile edits outside them are refused. */
export const RateBoundsSchema = z
  .object({
    minHourlyRateCents: z.number().int().min(500).max(100_000),
    maxHourlyRateCents: z.number().int().min(500).max(100_000),
  })
  .refine((b) => b.minHourlyRateCents <= b.maxHourlyRateCents, { message: "The lowest rate must not be above the highest", path: ["maxHourlyRateCents"] });
export type RateBounds = z.infer<typeof RateBoundsSchema>;
