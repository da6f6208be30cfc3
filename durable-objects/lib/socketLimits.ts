/**
 * Limits on what a client may send over a hibernating WebSocket: message size and messages per window. The
 * counter lives in the socket's attachment, so it survives the object hibernating between messages.
 */
export const SOCKET_LIMITS = { maxBytes: 4096, perWindow: 30, windowMs: 10_000 } as const;

type Counter = { windowStart: number; count: number };

/** Whether to accept this message; closes the socket (1009 too big, 1008 too many) when not. */
export function admitMessage(ws: WebSocket, raw: string | ArrayBuffer, limits: { maxBytes: number; perWindow: number; windowMs: number } = SOCKET_LIMITS, now = Date.now()): raw is string {
  const size = typeof raw === "string" ? raw.length : raw.byteLength;
  if (typeof raw !== "string" || size > limits.maxBytes) {
    ws.close(1009, "Message too large");
    return false;
  }
  const attached = (ws.deserializeAttachment() ?? {}) as Record<string, unknown>;
  const counter = (attached.rate as Counter | undefined) ?? { windowStart: now, count: 0 };
  const next = now - counter.windowStart > limits.windowMs ? { windowStart: now, count: 1 } : { ...counter, count: counter.count + 1 };
  ws.serializeAttachment({ ...attached, rate: next });
  if (next.count > limits.perWindow) {
    ws.close(1008, "Too many messages");
    return false;
  }
  return true;
}
