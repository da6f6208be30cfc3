import type { ServerMessage } from "../../domain/protocol";
import { log } from "../log";

/** Pushes a live event to every open tab of a user. Best effort: a user with no tab open simply misses it. */
export async function notifyUser(env: Env, userId: string, message: ServerMessage): Promise<void> {
  try {
    await env.USER_INBOX.get(env.USER_INBOX.idFromName(userId)).push(message);
  } catch (e) {
    log.warn("live push failed", { userId, type: message.type, error: String(e) });
  }
}
