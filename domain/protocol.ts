import { z } from "zod";
import { MessageSchema } from "./schemas/conversation";

/**
 * Messages pushed over the live WebSockets (`/api/live` for a user, `/api/tutors/:id/live` for a tutor's page).
 * A discriminated union: the SPA switches on `type` exhaustively.
 */
const BookingRef = z.object({
  id: z.string(),
  tutorId: z.string(),
  start: z.string(),
  end: z.string(),
  status: z.enum(["confirmed", "cancelled", "completed"]),
  subject: z.string(),
  kind: z.enum(["one_on_one", "group"]),
  seats: z.number().int().optional(),
  seatsTaken: z.number().int().optional(),
});

export const ServerMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), at: z.string() }),
  z.object({ type: z.literal("pong"), at: z.string() }),
  /** One of the caller's bookings was created or changed. */
  z.object({ type: z.literal("booking.changed"), booking: BookingRef, change: z.enum(["booked", "cancelled", "rescheduled", "joined", "left", "completed"]) }),
  /** The caller's credit balance changed. */
  z.object({ type: z.literal("credits.changed"), balanceMinutes: z.number().int() }),
  /** Something worth a line in the caller's notifications. */
  z.object({ type: z.literal("notification"), id: z.string(), title: z.string(), body: z.string(), link: z.string().optional() }),
  /** A tutor's free time changed; `taken` is time that just stopped being free (viewers drop those slots at once). */
  z.object({
    type: z.literal("slots.changed"),
    tutorId: z.string(),
    taken: z.array(z.object({ start: z.string(), end: z.string() })),
  }),
  /** A message in one of the caller's conversations (theirs too, for their other tabs); `unread` is the caller's count there. */
  z.object({ type: z.literal("message.created"), conversationId: z.string(), message: MessageSchema, unread: z.number().int().min(0) }),
  /** One of the caller's conversations changed: read on another tab, blocked or unblocked. */
  z.object({ type: z.literal("conversation.updated"), conversationId: z.string(), unread: z.number().int().min(0), canSend: z.boolean(), blockedByMe: z.boolean() }),
]);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;

export const ClientMessageSchema = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") })]);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export { LIVE_CLOSE } from "./liveClose";
export { assertNever } from "./assertNever";
