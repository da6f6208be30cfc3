import { type Accessor, createSignal, getOwner, onCleanup } from "solid-js";
import { LIVE_CLOSE } from "../../../domain/liveClose";
import type { ServerMessage } from "../../../domain/protocol";
import { parseServerMessage } from "./messages";

export type LiveStatus = "connecting" | "open" | "reconnecting";

const PING_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

/** `ws://host/api/...` for a same-origin path. */
export const wsUrl = (path: string) => `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}${path}`;

/**
 * A WebSocket that stays connected: it reconnects with capped, jittered backoff (at once when the tab comes
 * back online or into view), pings every 30 s, and hands over only messages that match the protocol.
 * `onReconnect` runs after every re-open, because anything pushed while the socket was down was missed.
 * Inside a component it closes with the component.
 */
export function connectLive(
  path: string,
  handlers: { onMessage: (m: ServerMessage) => void; onReconnect?: () => void; onSignedOut?: () => void },
): { status: Accessor<LiveStatus>; close: () => void } {
  const [status, setStatus] = createSignal<LiveStatus>("connecting");
  let socket: WebSocket | undefined;
  let attempts = 0;
  let opened = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;

  const open = () => {
    clearTimeout(retry);
    if (closed || (socket && socket.readyState <= WebSocket.OPEN)) return;
    const ws = new WebSocket(wsUrl(path));
    socket = ws;
    ws.onopen = () => {
      attempts = 0;
      setStatus("open");
      if (opened) handlers.onReconnect?.();
      opened = true;
      clearInterval(ping);
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send(JSON.stringify({ type: "ping" })), PING_MS);
    };
    ws.onmessage = (e) => {
      const message = parseServerMessage(e.data);
      if (message) handlers.onMessage(message);
    };
    ws.onclose = (e) => {
      clearInterval(ping);
      if (socket !== ws || closed) return;
      socket = undefined;
      setStatus("reconnecting");
      // Too many tabs and this was the oldest: it comes back when it is looked at again (see `wake`), so
      // that tabs do not take turns pushing each other out.
      if (e.code === LIVE_CLOSE.superseded) return;
      // This device was signed out (or the account suspended): no reconnecting, the app asks who is signed in.
      if (e.code === LIVE_CLOSE.signedOut) {
        closed = true;
        return handlers.onSignedOut?.();
      }
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempts++) * (0.75 + Math.random() * 0.5);
      retry = setTimeout(open, delay);
    };
  };

  const wake = () => {
    if (!closed && !socket && document.visibilityState === "visible") open();
  };
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", wake);

  const close = () => {
    closed = true;
    clearTimeout(retry);
    clearInterval(ping);
    window.removeEventListener("online", wake);
    document.removeEventListener("visibilitychange", wake);
    socket?.close(1000, "leaving");
    socket = undefined;
  };
  if (getOwner()) onCleanup(close);
  open();
  return { status, close };
}
