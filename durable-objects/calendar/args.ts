import { z } from "zod";
import { POLICY } from "../../domain/credits";
import { DurationSchema } from "../../domain/schemas/availability";
import { TutorFactsSchema } from "../../domain/schemas/tutor";
import { BlockInputSchema, BlockSourceSchema } from "./blocks";
import { RequestKeySchema } from "./requests";

/** The calendar's RPC arguments: every call is parsed at the object's boundary. */
export const Id = z.string().min(1).max(100);
export const Instant = z.number().int().positive();
const Subject = z.string().min(1).max(60);
export const ActorSchema = z.object({ id: Id, role: z.enum(["student", "tutor", "admin"]) });
export type Actor = z.infer<typeof ActorSchema>;

export const BookSchema = z.object({
  tutorId: Id,
  sessionId: Id,
  studentId: Id,
  start: Instant,
  durationMinutes: DurationSchema,
  subject: Subject,
  now: Instant,
  /** The Idempotency-Key the session id was derived from: a reuse for a different request is refused. */
  request: RequestKeySchema.optional(),
  /** A replacement booking: paid by moving this (cancelled) reservation's credits instead of spending new ones. */
  transferFrom: Id.optional(),
  /** A trial lesson: at the trial price, refused unless the tutor offers trials and it is the student's first lesson here. */
  trial: z.boolean().default(false),
});
/** How a change of availability treats the booked sessions a day off or override would cover. */
export const AvailabilityOptionsSchema = z.object({ confirm: z.boolean().default(false), reason: z.string().max(500).optional(), now: Instant.optional() });
export const CanBookSchema = z.object({ tutorId: Id, start: Instant, durationMinutes: DurationSchema, now: Instant });
export const OpenGroupSchema = z.object({
  tutorId: Id,
  sessionId: Id,
  start: Instant,
  durationMinutes: DurationSchema,
  subject: Subject,
  seats: z.number().int().min(POLICY.groupMinSeats).max(POLICY.groupMaxSeats),
  now: Instant,
});
export const JoinGroupSchema = z.object({
  tutorId: Id,
  sessionId: Id.optional(),
  /** Alternatively, the group session of this tutor that starts at `start` teaching `subject`. */
  start: Instant.optional(),
  subject: Subject.optional(),
  studentId: Id,
  reservationId: Id,
  request: RequestKeySchema.optional(),
  now: Instant,
});
export const CancelSchema = z.object({ tutorId: Id, sessionId: Id, actor: ActorSchema, reason: z.string().max(500).optional(), request: RequestKeySchema.optional(), now: Instant });
export const RescheduleSchema = z.object({ tutorId: Id, sessionId: Id, actor: ActorSchema, start: Instant, request: RequestKeySchema.optional(), now: Instant });
export const ReplaceBlocksSchema = z.object({
  tutorId: Id,
  source: BlockSourceSchema,
  blocks: z
    .array(z.unknown())
    .max(5_000)
    .transform((xs) => xs.map((x) => BlockInputSchema.parse(x))),
  now: Instant,
});
export const UpsertBlockSchema = z.object({ tutorId: Id, source: BlockSourceSchema, block: BlockInputSchema, now: Instant });
export const RemoveBlockSchema = z.object({ tutorId: Id, source: BlockSourceSchema, externalId: z.string().min(1).max(500), now: Instant, forever: z.boolean().default(false) });
export const CompleteSchema = z.object({ tutorId: Id, sessionId: Id, actor: ActorSchema.or(z.literal("system")), now: Instant });
export const SlotsSchema = z.object({ tutorId: Id, from: Instant, to: Instant, durationMinutes: DurationSchema, now: Instant });
export const MoveForTestingSchema = z.object({ tutorId: Id, sessionId: Id, start: Instant, end: Instant, now: Instant });
export const NoShowSchema = z.object({ tutorId: Id, sessionId: Id, now: Instant });
export const TutorNowSchema = z.object({ tutorId: Id, now: Instant });
/** A suspension or deletion closing the calendar: `version` is the number D1 gave it (users.status_version). */
export const TutorStatusChangeSchema = TutorNowSchema.extend({ version: z.number().int().nonnegative() });
export const FactsSchema = TutorFactsSchema;
