import { exports } from "cloudflare:workers";
import type { ServerMessage } from "../../domain/protocol";
import { type Client, ORIGIN } from "./helpers";

/** Opens the signed-in user's live socket and collects what it is sent. */
export async function listen(client: Client) {
  const res = await exports.default.fetch(new Request(`${ORIGIN}/api/live`, { headers: { Upgrade: "websocket", Cookie: client.cookie, Origin: ORIGIN } }));
  const ws = res.webSocket;
  if (!ws) throw new Error(`no socket: ${res.status}`);
  ws.accept();
  const messages: ServerMessage[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(String(e.data)));
  });
  return {
    messages,
    /** Waits (briefly) for a message matching `match`. */
    async next<T extends ServerMessage>(match: (m: ServerMessage) => m is T, timeoutMs = 2000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const found = messages.find(match);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`no matching message; got ${JSON.stringify(messages)}`);
    },
    close: () => ws.close(1000, "done"),
  };
}

export const isNotification = (m: ServerMessage): m is Extract<ServerMessage, { type: "notification" }> => m.type === "notification";

/** A "Calendar conflict" notice (other notices, e.g. of the booking itself, may arrive around it). */
export const isConflictNotice = (m: ServerMessage): m is Extract<ServerMessage, { type: "notification" }> => m.type === "notification" && m.title.startsWith("Calendar conflict");
