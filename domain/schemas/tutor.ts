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
});
export type TutorProfileInput = z.input<typeof TutorProfileInputSchema>;

export type Tutor = {
  id: string;
  name: string;
  bio: string;
  subjects: string[];
  hourlyRateCents: number;
  timezone: string;
  rating: number | null;
  ratingCount: number;
  approved: boolean;
  /** Approved, with a confirmed address and an active account: shown in search and bookable. */
  listed: boolean;
};
