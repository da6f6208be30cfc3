import { z } from "zod";
import { BookingSchema } from "./booking";
import { InstantSchema, ReasonTextSchema } from "./common";

/** Weekly lessons as the API returns them (`POST /api/bookings` with `repeat`, `GET /api/series/:id`). */
export const SeriesSchema = z.object({
  id: z.string(),
  tutorId: z.string(),
  tutorName: z.string().optional(),
  studentId: z.string(),
  subject: z.string(),
  durationMinutes: z.number().int(),
  weeks: z.number().int(),
  /** The series is fixed at the same wall-clock time in this zone (the tutor's). */
  tutorZone: z.string(),
  /** `ended`: no occurrence is still to come. */
  status: z.enum(["active", "cancelled", "ended"]),
  /** One booking per week that was booked, in order (cancelled and released ones included). */
  occurrences: z.array(BookingSchema),
  /** Weeks that could not be booked (the tutor busy then; `code` student_busy: the student was), with the times free that day instead. */
  skipped: z.array(z.object({ start: z.string(), alternatives: z.array(z.string()), code: z.literal("student_busy").optional() })),
});
export type Series = z.infer<typeof SeriesSchema>;

export const CancelSeriesBodySchema = z.object({
  /** Cancel the occurrences starting at or after this instant; omitted: every occurrence still to come. */
  from: InstantSchema.optional(),
  reason: ReasonTextSchema.optional(),
});

/** `POST /api/series/:id/move`: from the week starting at `from` on, every week moves as that week does to `start`. */
export const MoveSeriesBodySchema = z.object({
  /** The start of the first week to move (as in cancel: the weeks starting at or after it move). */
  from: InstantSchema,
  /** That week's new start; every later week keeps the same change of the tutor's weekday and wall-clock time. */
  start: InstantSchema,
});

/** A week that stayed at its time when the rest of its series moved, and why, with what is free that day instead. */
export const KeptWeekSchema = z.object({
  id: z.string(),
  start: z.string(),
  /** `too_late_to_reschedule` (the normal move policy), `slot_unavailable` (the tutor is busy then), `student_busy`, `conflict` (being moved already). */
  code: z.string(),
  alternatives: z.array(z.string()),
});
export type KeptWeek = z.infer<typeof KeptWeekSchema>;

/** The answer to moving the rest of a series. */
export const SeriesMoveSchema = z.object({ series: SeriesSchema, kept: z.array(KeptWeekSchema) });
export type SeriesMove = z.infer<typeof SeriesMoveSchema>;
