import { ClientMessageSchema, type ServerMessage } from "../../domain/protocol";
import { admitMessage } from "../lib/socketLimits";

const TAG = "viewer";
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * People looking at the tutor's page, over hibernating WebSockets: they only listen, and are told the moment time
 * is taken (they drop those slots at once) or freed (they refetch).
 */
export class Viewers {
  constructor(private readonly ctx: DurableObjectState) {}

  accept(): Response {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [TAG]);
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
    if (parsed.success && parsed.data.type === "ping") ws.send(JSON.stringify({ type: "pong", at: new Date().toISOString() } satisfies ServerMessage));
  }

  onClose(ws: WebSocket, code: number) {
    try {
      ws.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
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
