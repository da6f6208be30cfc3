import { z } from "zod";
import { InstantSchema } from "./common";
import { DurationSchema } from "./availability";
import { SubjectSchema } from "./tutor";

export const BookingStatusSchema = z.enum(["confirmed", "cancelled", "completed"]);
export const BookingKindSchema = z.enum(["one_on_one", "group"]);

/** A booking as the API returns it (API.md). */
export type Booking = {
  id: string;
  tutorId: string;
  tutorName?: string;
  studentIds: string[];
  start: string;
  end: string;
  subject: string;
  kind: z.infer<typeof BookingKindSchema>;
  status: z.infer<typeof BookingStatusSchema>;
  source: "app" | "calendly";
  /** What one seat costs (what the caller paid, for a student). */
  creditsMinutes: number;
  seats: number;
  seatsTaken: number;
  /** Tutors and admins: every student who held a seat, with its state (a cancelled booking keeps its people). */
  participants?: { studentId: string; name?: string; status: "confirmed" | "cancelled" }[];
  /** Students: whether they already reviewed this (completed) session. */
  reviewed?: boolean;
};

export const CreateBookingSchema = z.object({
  tutorId: z.string().min(1).max(64),
  start: InstantSchema,
  durationMinutes: DurationSchema,
  subject: SubjectSchema,
  group: z.boolean().optional().default(false),
});
export type CreateBookingInput = z.input<typeof CreateBookingSchema>;

export const OpenGroupSessionSchema = z.object({
  start: InstantSchema,
  durationMinutes: DurationSchema,
  subject: SubjectSchema,
  seats: z.number().int().min(2).max(8),
});
export type OpenGroupSessionInput = z.input<typeof OpenGroupSessionSchema>;

export const CancelBookingSchema = z.object({ reason: z.string().trim().max(500).optional() });
export const RescheduleBookingSchema = z.object({ start: InstantSchema });

export const SlotsQuerySchema = z
  .object({
    from: InstantSchema,
    to: InstantSchema,
    duration: z.coerce.number().pipe(DurationSchema),
  })
  .refine((q) => q.to > q.from, { message: "`to` must be after `from`", path: ["to"] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 92 * 86_400_000, { message: "Ask for at most 92 days at a time", path: ["to"] });
