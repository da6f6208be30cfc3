import { z } from "zod";

/**
 * What an admin's seat refund really did (`POST /api/admin/bookings/:id/refund`). 200: credit came back, `minutes` of
 * it, of which `takenBackMinutes` went at once to a Stripe refund or lost dispute of the purchase it came from (the
 * student's balance did not grow by those) and `onHoldMinutes` wait on an open dispute. 409: nothing came back,
 * because the seat was refunded before (`already_refunded`), its credit paid for a replacement booking with another
 * tutor (`moved_to_replacement`: `minutes` moved to it; a cheaper replacement's difference came back to the student
 * then, `refundedMinutes`, or lapsed with a free trial's grant, `lapsedMinutes`), or it never spent any
 * (`nothing_to_refund`); the body carries the envelope and this.
 */
export const SeatRefundSchema = z.discriminatedUnion("outcome", [
  z.object({ outcome: z.literal("refunded"), minutes: z.number().int(), takenBackMinutes: z.number().int(), onHoldMinutes: z.number().int() }),
  z.object({ outcome: z.literal("already_refunded"), minutes: z.number().int(), at: z.string() }),
  z.object({
    outcome: z.literal("moved"),
    minutes: z.number().int(),
    refundedMinutes: z.number().int(),
    lapsedMinutes: z.number().int(),
    at: z.string(),
    replacement: z.object({ sessionId: z.string(), tutorName: z.string().nullable(), start: z.string().nullable() }).nullable(),
  }),
  z.object({ outcome: z.literal("nothing_spent") }),
]);
export type SeatRefund = z.infer<typeof SeatRefundSchema>;

/** The refund route's answer, whatever its status: `refunded` is true only when credit really came back. */
export const SeatRefundAnswerSchema = z.object({ refunded: z.boolean(), refund: SeatRefundSchema });
