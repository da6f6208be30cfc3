import { type RoomClientMessage, type RoomServerMessage, RoomServerMessageSchema } from "../../../../domain/video/protocol";
import { wsUrl } from "../../lib/live";

export type RoomSocket = { send(message: RoomClientMessage): void; close(): void };

const PING_MS = 25_000;

/**
 * Opens a session room's socket with a ticket from the join route; `peer` asks for this tab's peer id back after
 * a reconnect. Frames that do not match the protocol are dropped. A ticket admits once, so reconnecting means
 * joining again (the call controller does that).
 */
export function openRoomSocket(
  path: string,
  ticket: string,
  peer: string | null,
  handlers: { onOpen(): void; onMessage(message: RoomServerMessage): void; onClose(code: number): void },
): RoomSocket {
  const query = new URLSearchParams({ ticket, ...(peer ? { peer } : {}) });
  const ws = new WebSocket(wsUrl(`${path}?${query}`));
  let ping: ReturnType<typeof setInterval> | undefined;
  let closedByUs = false;
  ws.onopen = () => {
    ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: "ping" } satisfies RoomClientMessage)), PING_MS);
    handlers.onOpen();
  };
  ws.onmessage = (e) => {
    if (typeof e.data !== "string") return;
    let json: unknown;
    try {
      json = JSON.parse(e.data);
    } catch {
      return;
    }
    const parsed = RoomServerMessageSchema.safeParse(json);
    if (parsed.success) handlers.onMessage(parsed.data);
  };
  ws.onclose = (e) => {
    clearInterval(ping);
    if (!closedByUs) handlers.onClose(e.code);
  };
  return {
    send(message) {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message));
    },
    close() {
      closedByUs = true;
      clearInterval(ping);
      ws.close(1000, "leaving");
    },
  };
}
