import type { ServerMessage } from "../../domain/protocol";
import { log } from "../log";

/** What sends a live event to a person (`notifyUser`, or an object that knows whether they have a tab open). */
export type LivePush = (userId: string, message: ServerMessage) => Promise<unknown>;

/**
 * Pushes a live event to every open tab of a user, answering how many tabs (and tabs being opened) it reached, or
 * null when the push failed. Best effort: a user with no tab open simply misses it.
 */
export async function notifyUser(env: Env, userId: string, message: ServerMessage): Promise<number | null> {
  try {
    return await env.USER_INBOX.get(env.USER_INBOX.idFromName(userId)).push(message);
  } catch (e) {
    log.warn("live push failed", { userId, type: message.type, error: String(e) });
    return null;
  }
}
