import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { log } from "../platform/log";
import { Mutex } from "./lib/mutex";
import { SOCKET_CAPS, acceptSocket, admitMessage, closeOldest, openSockets, safeClose, safeSend, socketData } from "./lib/socketLimits";
import { ClientMessageSchema, LIVE_CLOSE, type ServerMessage, ServerMessageSchema, assertNever } from "../domain/protocol";

/**
 * The object that knows whether its person has a tab open: a student's account, a tutor's calendar (the Worker says
 * which, from the signed-in user's role; an admin has none, and their events are always pushed).
 */
const HomeSchema = z.object({ kind: z.enum(["student", "tutor"]), userId: z.string().min(1).max(64) });
type Home = z.infer<typeof HomeSchema>;

/**
 * One per user: realtime events to every open tab of that user over hibernating WebSockets. Other objects
 * call `push`; the object sleeps between messages without dropping the sockets.
 *
 * It tells the user's home object when the first tab opens and when the last one closes, so that events for someone
 * with no tab open do not wake this object at all (durable-objects/lib/presence.ts). Those tellings go one at a time,
 * each reading the sockets as they are then, so the last one the home hears is how things are.
 */
export class UserInbox extends DurableObject<Env> {
  private readonly telling = new Mutex();
  /** Tabs being opened right now (their home is being told): pushes count them, so none is taken for absence. */
  private opening = 0;

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const home = homeOf(request.headers);
    const { 0: client, 1: server } = new WebSocketPair();
    // Tagged by sign-in session (the Worker forwards it), so signing out one device closes its sockets only.
    const sessionId = request.headers.get("X-Tutorly-Session");
    this.opening++;
    try {
      await this.telling.run(async () => {
        // The home hears of the tab before it exists: an event sent meanwhile reaches the inbox, never skipped.
        if (home) await this.homeStub(home).setPresence(true);
        // A user's tabs beyond the cap: the oldest goes (the newest is the one being looked at).
        closeOldest(this.ctx, undefined, SOCKET_CAPS.livePerUser, LIVE_CLOSE.superseded, "Open in too many tabs");
        acceptSocket(this.ctx, server, sessionId ? [`session:${sessionId}`] : [], home);
      });
    } catch (e) {
      log.warn("live socket refused: its home could not be told", { userId: home?.userId, error: String(e) });
      return Response.json({ error: { code: "live_unavailable", message: "Live updates are unavailable for a moment. Try again." } }, { status: 503 });
    } finally {
      this.opening--;
    }
    server.send(JSON.stringify({ type: "hello", at: new Date().toISOString() } satisfies ServerMessage));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Sends `message` to every open socket of this user; answers how many tabs it reached (or are opening). */
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
    return sockets.length + this.opening;
  }

  /** Closes the sockets of one sign-in session, or all of them (suspension, sign-out everywhere). */
  async disconnect(sessionId?: string): Promise<number> {
    const sockets = sessionId === undefined ? this.ctx.getWebSockets() : this.ctx.getWebSockets(`session:${z.string().max(64).parse(sessionId)}`);
    for (const ws of sockets) safeClose(ws, LIVE_CLOSE.signedOut, "Signed out");
    if (sockets[0]) await this.afterClose(sockets[0]);
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
    await this.afterClose(ws);
  }

  /** When `closed` was the last open tab, its home hears that none is open. */
  private async afterClose(closed: WebSocket): Promise<void> {
    const home = HomeSchema.safeParse(socketData(closed));
    if (!home.success) return;
    await this.telling
      .run(async () => {
        if (openSockets(this.ctx) === 0 && this.opening === 0) await this.homeStub(home.data).setPresence(false);
      })
      .catch((e) => log.warn("the last tab's closing could not be told", { userId: home.data.userId, error: String(e) }));
  }

  private homeStub(home: Home) {
    const ns = home.kind === "student" ? this.env.STUDENT_ACCOUNT : this.env.TUTOR_CALENDAR;
    return ns.get(ns.idFromName(home.userId));
  }
}

/** The home the Worker named for this socket's user (absent for an admin). */
function homeOf(headers: Headers): Home | null {
  const parsed = HomeSchema.safeParse({ kind: headers.get("X-Tutorly-Home"), userId: headers.get("X-Tutorly-User") });
  return parsed.success ? parsed.data : null;
}
