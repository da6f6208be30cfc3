import { z } from "zod";
import { TimeZoneSchema } from "./common";

/** A wall-clock time "HH:mm", 00:00–23:59. */
export const HHMMSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, { message: 'Use a time like "09:30" (00:00–23:59)' });

/** An end time: like HHMMSchema, plus "24:00" for "until the end of the day". */
export const EndHHMMSchema = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, { message: 'Use a time like "17:00" (00:00–24:00)' });

/** Minutes since midnight of "HH:mm" ("24:00" is 1440). Assumes a value that passed the schemas above. */
export function hhmmToMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const differentStartAndEnd = (r: { start: string; end: string }) => hhmmToMinutes(r.start) !== hhmmToMinutes(r.end);
const sameStartAndEnd = {
  message: "Start and end must differ; an end at or before the start runs past midnight (use 00:00–24:00 for a whole day)",
  path: ["end"],
};

/**
 * Wall-clock hours in the tutor's zone. An end at or before the start (22:00–02:00) runs past midnight
 * into the next day.
 */
export const TimeRangeSchema = z
  .object({ start: HHMMSchema, end: EndHHMMSchema })
  .refine(differentStartAndEnd, sameStartAndEnd);
export type TimeRange = z.infer<typeof TimeRangeSchema>;

/** Weekly opening hours; weekday is ISO (1 = Monday … 7 = Sunday). */
export const WeeklyRuleSchema = z
  .object({ weekday: z.number().int().min(1).max(7), start: HHMMSchema, end: EndHHMMSchema })
  .refine(differentStartAndEnd, sameStartAndEnd);
export type WeeklyRule = z.infer<typeof WeeklyRuleSchema>;

/** Replaces the weekly hours of one local date: no intervals is a day off. */
export const OverrideSchema = z.object({
  date: z.iso.date({ message: "Use a calendar date like 2027-03-14" }),
  intervals: z.array(TimeRangeSchema).max(24),
});
export type Override = z.infer<typeof OverrideSchema>;

export const AvailabilityInputSchema = z.object({
  timezone: TimeZoneSchema,
  weekly: z.array(WeeklyRuleSchema).max(50),
  overrides: z
    .array(OverrideSchema)
    .max(366)
    .superRefine((overrides, ctx) => {
      const seen = new Set<string>();
      overrides.forEach((o, i) => {
        if (seen.has(o.date)) {
          ctx.addIssue({ code: "custom", message: `Only one override per date (${o.date})`, path: [i, "date"] });
        }
        seen.add(o.date);
      });
    }),
  bufferMinutes: z.number().int().min(0).max(120).default(0),
  minNoticeMinutes: z.number().int().min(0).max(20_160).default(120),
  horizonDays: z.number().int().min(1).max(365).default(60),
});
/** What a form sends (defaults may be omitted). */
export type AvailabilityInput = z.input<typeof AvailabilityInputSchema>;
/** Parsed availability, defaults applied: what the time engine takes. */
export type Availability = z.infer<typeof AvailabilityInputSchema>;

export { DURATIONS, DEFAULT_SLOT_STEP_MINUTES } from "../time/durations";
import { DURATIONS } from "../time/durations";
export const DurationSchema = z.literal(DURATIONS, { message: `Choose a duration of ${DURATIONS.join(", ")} minutes` });
export type Duration = z.infer<typeof DurationSchema>;

