import { z } from "zod";
import { TimeZoneSchema } from "./common";

/** Subjects are compared case-insensitively; stored lower-case and trimmed. */
export const SubjectSchema = z
  .string()
  .trim()
  .min(2)
  .max(40)
  .transform((s) => s.toLowerCase().replace(/\s+/g, " "));

export const TutorProfileInputSchema = z.object({
  bio: z.string().trim().max(2000),
  subjects: z.array(SubjectSchema).min(1, { message: "Teach at least one subject" }).max(12),
  hourlyRateCents: z.number().int().min(500).max(100_000),
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
