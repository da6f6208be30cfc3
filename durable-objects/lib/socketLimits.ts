/**
 * Limits on hibernating WebSockets: what a client may send (message size, messages per window) and how many
 * sockets one user, one address or one tutor's page may hold open.
 *
 * A socket's attachment is an envelope owned by this module: `{ openedAt, rate, data }`. Objects keep their own
 * state in `data` through `socketData` / `saveSocketData`, which never touch the rest, so re-saving a socket's
 * state (a room peer muting, say) cannot reset its rate counter. Nothing else calls `serializeAttachment`
 * (test/unit/sockets.test.ts checks).
 */
export const SOCKET_LIMITS = { maxBytes: 4096, perWindow: 30, windowMs: 10_000 } as const;

/**
 * How many sockets may be open at once. A user's tabs and one address's viewers beyond their cap close the
 * oldest (the newest tab is the one being looked at); a tutor's page beyond its cap refuses newcomers (a crowd
 * from many addresses cannot push out the students already watching). Documented in README → Security.
 */
export const SOCKET_CAPS = { livePerUser: 10, viewersPerAddress: 32, viewersPerTutor: 256 } as const;

type Limits = { maxBytes: number; perWindow: number; windowMs: number };
type Counter = { windowStart: number; count: number };
type Envelope = { openedAt: number; rate: Counter | null; data: unknown };

function envelopeOf(ws: WebSocket): Envelope {
  const raw: unknown = ws.deserializeAttachment();
  if (raw && typeof raw === "object" && "openedAt" in raw && typeof raw.openedAt === "number") {
    const rate = "rate" in raw && isCounter(raw.rate) ? raw.rate : null;
    return { openedAt: raw.openedAt, rate, data: "data" in raw ? raw.data : undefined };
  }
  return { openedAt: 0, rate: null, data: undefined };
}

const isCounter = (v: unknown): v is Counter =>
  !!v && typeof v === "object" && "windowStart" in v && "count" in v && typeof v.windowStart === "number" && typeof v.count === "number";

/** Accepts `ws` into the object under `tags` with the object's own `data`, stamped with when it opened. */
export function acceptSocket(ctx: DurableObjectState, ws: WebSocket, tags: string[], data: unknown, now = Date.now()) {
  ctx.acceptWebSocket(ws, tags);
  ws.serializeAttachment({ openedAt: now, rate: null, data } satisfies Envelope);
}

/** The object's own state on a socket (validate it: it is stored data). */
export const socketData = (ws: WebSocket): unknown => envelopeOf(ws).data;

/** Replaces the object's own state on a socket, keeping when it opened and its rate counter. */
export function saveSocketData(ws: WebSocket, data: unknown) {
  ws.serializeAttachment({ ...envelopeOf(ws), data } satisfies Envelope);
}

/** Whether to accept this message; closes the socket (1009 too big, 1008 too many) when not. */
export function admitMessage(ws: WebSocket, raw: string | ArrayBuffer, limits: Limits = SOCKET_LIMITS, now = Date.now()): raw is string {
  const size = typeof raw === "string" ? raw.length : raw.byteLength;
  if (typeof raw !== "string" || size > limits.maxBytes) {
    safeClose(ws, 1009, "Message too large");
    return false;
  }
  const envelope = envelopeOf(ws);
  const counter = envelope.rate ?? { windowStart: now, count: 0 };
  const rate = now - counter.windowStart > limits.windowMs ? { windowStart: now, count: 1 } : { ...counter, count: counter.count + 1 };
  ws.serializeAttachment({ ...envelope, rate } satisfies Envelope);
  if (rate.count > limits.perWindow) {
    safeClose(ws, 1008, "Too many messages");
    return false;
  }
  return true;
}

/**
 * Makes room for one more socket under `tag` (all of the object's when undefined) when `max` are open: closes
 * the oldest ones with `code`, so that at most `max - 1` remain. Returns how many it closed.
 */
export function closeOldest(ctx: DurableObjectState, tag: string | undefined, max: number, code: number, reason: string): number {
  const open = ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN);
  if (open.length < max) return 0;
  const oldest = open.map((ws) => ({ ws, at: envelopeOf(ws).openedAt })).sort((a, b) => a.at - b.at).slice(0, open.length - max + 1);
  for (const { ws } of oldest) safeClose(ws, code, reason);
  return oldest.length;
}

/** How many sockets under `tag` are open. */
export const openSockets = (ctx: DurableObjectState, tag?: string) => ctx.getWebSockets(tag).filter((ws) => ws.readyState === WebSocket.OPEN).length;

/**
 * Sends unless the socket is closing: a client may keep sending after the object closed its socket (a flood,
 * an oversized message), and a reply to that must not become an uncaught error in the object.
 */
export function safeSend(ws: WebSocket, text: string) {
  try {
    ws.send(text);
  } catch {
    /* closing or closed */
  }
}

export function safeClose(ws: WebSocket, code: number, reason: string) {
  try {
    ws.close(code, reason);
  } catch {
    /* already closed */
  }
}
