import { z } from "zod";
import { ServerMessageSchema } from "../../domain/protocol";

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
  z.object({ kind: z.literal("notify"), userId: z.string(), message: ServerMessageSchema }),
]);
export type Effect = z.infer<typeof EffectSchema>;
