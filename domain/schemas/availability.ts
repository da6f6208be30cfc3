import { z } from "zod";
import { ReasonTextSchema, TimeZoneSchema } from "./common";
import { ownIssue, ownWords } from "./humanErrors";

/** A wall-clock time "HH:mm", 00:00–23:59. */
export const HHMMSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, ownWords("timeFormat"));

/** An end time: like HHMMSchema, plus "24:00" for "until the end of the day". */
export const EndHHMMSchema = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, ownWords("endTimeFormat"));

/** Minutes since midnight of "HH:mm" ("24:00" is 1440). Assumes a value that passed the schemas above. */
export function hhmmToMinutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const differentStartAndEnd = (r: { start: string; end: string }) => hhmmToMinutes(r.start) !== hhmmToMinutes(r.end);
const sameStartAndEnd = { ...ownWords("timeRangeSame"), path: ["end"] };

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
  date: z.iso.date(ownWords("calendarDate")),
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
          ctx.addIssue({ ...ownIssue("overrideDuplicate", { date: o.date }), path: [i, "date"] });
        }
        seen.add(o.date);
      });
    }),
  bufferMinutes: z.number().int().min(0).max(120).default(0),
  minNoticeMinutes: z.number().int().min(0).max(20_160).default(120),
  horizonDays: z.number().int().min(1).max(365).default(60),
});
const WEEK = 7 * 1440;

/** A weekly rule as minutes of the week from Monday 00:00 (an end past midnight runs into the next day). */
function weekSpan(r: WeeklyRule): { start: number; end: number } {
  const start = (r.weekday - 1) * 1440 + hhmmToMinutes(r.start);
  const end = (r.weekday - 1) * 1440 + hhmmToMinutes(r.end);
  return { start, end: end <= start ? end + 1440 : end };
}

/**
 * Pairs of weekly rules that share time (touching ends are fine: 09:00–12:00 and 12:00–14:00 are one opening), as
 * `[earlier index, later index]`. Sunday's hours running past midnight meet Monday's.
 */
export function overlappingWeekly(weekly: readonly WeeklyRule[]): [number, number][] {
  const spans = weekly.map(weekSpan);
  const out: [number, number][] = [];
  for (let j = 1; j < spans.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = spans[i]!;
      const b = spans[j]!;
      if ([-WEEK, 0, WEEK].some((shift) => a.start + shift < b.end && b.start < a.end + shift)) {
        out.push([i, j]);
        break;
      }
    }
  }
  return out;
}

/**
 * What the availability editor sends: the rules, refused when two weekly ranges overlap (the tutor is told which,
 * on the later one), and `confirm` — yes, cancel the booked sessions a day off or override would cover.
 */
export const AvailabilityUpdateSchema = AvailabilityInputSchema.extend({
  confirm: z.boolean().optional(),
  /** Told to the students of sessions cancelled by `confirm`. */
  reason: ReasonTextSchema.optional(),
}).superRefine((a, ctx) => {
  for (const [i, j] of overlappingWeekly(a.weekly)) {
    const [later, earlier] = [a.weekly[j]!, a.weekly[i]!];
    ctx.addIssue({
      ...ownIssue("weeklyOverlap", { day: { weekday: later.weekday }, start: later.start, end: later.end, otherDay: { weekday: earlier.weekday }, otherStart: earlier.start, otherEnd: earlier.end }),
      path: ["weekly", j],
    });
  }
});
export type AvailabilityUpdate = z.input<typeof AvailabilityUpdateSchema>;

/** What a form sends (defaults may be omitted). */
export type AvailabilityInput = z.input<typeof AvailabilityInputSchema>;
/** Parsed availability, defaults applied: what the time engine takes. */
export type Availability = z.infer<typeof AvailabilityInputSchema>;

export { DURATIONS, DEFAULT_SLOT_STEP_MINUTES } from "../time/durations";
import { DURATIONS } from "../time/durations";
export const DurationSchema = z.literal(DURATIONS, ownWords("durationChoice", { durations: { anyOf: DURATIONS } }));
export type Duration = z.infer<typeof DurationSchema>;

