import { z } from "zod";
import { ServerMessageSchema } from "../../domain/protocol";

/** Work a conversation owes the world outside its object; each kind is safe to run more than once. */
export const ConversationEffectSchema = z.discriminatedUnion("kind", [
  /** A live event to one participant's open tabs. */
  z.object({ kind: z.literal("live"), userId: z.string(), message: ServerMessageSchema }),
  /** A Web Push of message `seq` to its recipient's devices (if they want message pushes). */
  z.object({ kind: z.literal("push"), userId: z.string(), seq: z.number().int() }),
  /** The conversation's row in D1 (list, unread counts, blocks), from the object's state at the time it runs. */
  z.object({ kind: z.literal("project") }),
  /** An email digest of these unread messages to `userId`. */
  z.object({ kind: z.literal("digest"), userId: z.string(), seqs: z.array(z.number().int()).min(1) }),
]);
export type ConversationEffect = z.infer<typeof ConversationEffectSchema>;
