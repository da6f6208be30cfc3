import { ClientMessageSchema, LIVE_CLOSE, type ServerMessage } from "../../domain/protocol";
import { SOCKET_CAPS, acceptSocket, admitMessage, closeOldest, openSockets, safeClose, safeSend } from "../lib/socketLimits";

const TAG = "viewer";
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * People looking at the tutor's page, over hibernating WebSockets: they only listen, and are told the moment time
 * is taken (they drop those slots at once) or freed (they refetch). One address's viewers beyond its cap close its
 * oldest; beyond the page's cap newcomers are refused (the page still works, without live updates).
 */
export class Viewers {
  constructor(private readonly ctx: DurableObjectState) {}

  accept(request: Request): Response {
    const address = `ip:${(request.headers.get("CF-Connecting-IP") ?? "unknown").slice(0, 64)}`;
    closeOldest(this.ctx, address, SOCKET_CAPS.viewersPerAddress, LIVE_CLOSE.superseded, "Open in too many tabs");
    if (openSockets(this.ctx, TAG) >= SOCKET_CAPS.viewersPerTutor) {
      return Response.json({ error: { code: "too_many_viewers", message: "Too many people are watching this page; live updates are paused. Reload in a minute." } }, { status: 503, headers: { "Retry-After": "60" } });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    acceptSocket(this.ctx, server, [TAG, address], null);
    server.send(JSON.stringify({ type: "hello", at: new Date().toISOString() } satisfies ServerMessage));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** A ping keeps intermediaries from closing an idle socket; anything else is ignored. */
  onMessage(ws: WebSocket, raw: string | ArrayBuffer) {
    if (!admitMessage(ws, raw)) return;
    let parsed;
    try {
      parsed = ClientMessageSchema.safeParse(JSON.parse(raw));
    } catch {
      return;
    }
    // The socket may have closed meanwhile (a flood closes it above): answering it must not throw.
    if (parsed.success && parsed.data.type === "ping") safeSend(ws, JSON.stringify({ type: "pong", at: new Date().toISOString() } satisfies ServerMessage));
  }

  onClose(ws: WebSocket, code: number) {
    safeClose(ws, code === 1005 ? 1000 : code, "closing");
  }

  /** Time just stopped being free. */
  taken(tutorId: string, intervals: { start: number; end: number }[]) {
    this.send({ type: "slots.changed", tutorId, taken: intervals.slice(0, 200).map((t) => ({ start: iso(t.start), end: iso(t.end) })) });
  }

  /** Time was freed or moved: viewers refetch their slots. */
  changed(tutorId: string) {
    this.send({ type: "slots.changed", tutorId, taken: [] });
  }

  private send(message: ServerMessage) {
    const text = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets(TAG)) {
      try {
        ws.send(text);
      } catch {
        /* closing */
      }
    }
  }
}
