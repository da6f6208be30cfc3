import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { SOCKET_CAPS, acceptSocket, admitMessage, closeOldest, safeClose, safeSend } from "./lib/socketLimits";
import { ClientMessageSchema, LIVE_CLOSE, type ServerMessage, ServerMessageSchema, assertNever } from "../domain/protocol";

/**
 * One per user: realtime events to every open tab of that user over hibernating WebSockets. Other objects
 * call `push`; the object sleeps between messages without dropping the sockets.
 */
export class UserInbox extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    // A user's tabs beyond the cap: the oldest goes (the newest is the one being looked at).
    closeOldest(this.ctx, undefined, SOCKET_CAPS.livePerUser, LIVE_CLOSE.superseded, "Open in too many tabs");
    const { 0: client, 1: server } = new WebSocketPair();
    // Tagged by sign-in session (the Worker forwards it), so signing out one device closes its sockets only.
    const sessionId = request.headers.get("X-Tutorly-Session");
    acceptSocket(this.ctx, server, sessionId ? [`session:${sessionId}`] : [], null);
    server.send(JSON.stringify({ type: "hello", at: new Date().toISOString() } satisfies ServerMessage));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends `message` to every open socket of this user. */
  async push(message: ServerMessage): Promise<number> {
    const text = JSON.stringify(ServerMessageSchema.parse(message));
    const sockets = this.ctx.getWebSockets();
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        /* a closing socket; the runtime drops it */
      }
    }
    return sockets.length;
  }

  /** Closes the sockets of one sign-in session, or all of them (suspension, sign-out everywhere). */
  async disconnect(sessionId?: string): Promise<number> {
    const sockets = sessionId === undefined ? this.ctx.getWebSockets() : this.ctx.getWebSockets(`session:${z.string().max(64).parse(sessionId)}`);
    for (const ws of sockets) safeClose(ws, LIVE_CLOSE.signedOut, "Signed out");
    return sockets.length;
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    if (!admitMessage(ws, raw)) return;
    let parsed;
    try {
      parsed = ClientMessageSchema.safeParse(JSON.parse(raw));
    } catch {
      return safeClose(ws, 1003, "Invalid JSON");
    }
    if (!parsed.success) return safeClose(ws, 1003, "Unknown message");
    const msg = parsed.data;
    switch (msg.type) {
      case "ping":
        safeSend(ws, JSON.stringify({ type: "pong", at: new Date().toISOString() } satisfies ServerMessage));
        return;
      default:
        assertNever(msg.type);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
  }
}
