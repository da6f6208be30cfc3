import { type Accessor, createEffect, createRoot, createSignal, getOwner, onCleanup } from "solid-js";
import type { ServerMessage } from "../../../domain/protocol";
import { api, call } from "./api";
import { type LiveStatus, connectLive } from "./live";
import { session } from "./session";

/**
 * The server closed this tab's socket as signed out: every socket of the account closes on a new password too, this
 * browser's included, though it keeps signing in under a new session. Its sessions as the session store lists them
 * tell which (asking who is signed in would not: a revoked credential is believed for its minute): this browser's
 * among them, the socket opens again; otherwise, or when the store refuses the caller, the app shows sign-in.
 */
async function signedOutOrStillIn() {
  try {
    const { sessions } = await call(api.me.sessions.$get());
    if (sessions.some((s) => s.current)) return void session.refresh();
  } catch {
    // Refused (or unreachable): signed out, as the socket said.
  }
  session.setUser(null);
}

type Listener = { onMessage?: (m: ServerMessage) => void; onReconnect?: () => void };
const listeners = new Set<Listener>();

/**
 * The signed-in user's feed (`/api/live`): one socket per tab, shared by the header's bell and every page, opened
 * on sign-in and closed on sign-out. Pages subscribe with `onUserLive`.
 */
const feed = createRoot(() => {
  const [socket, setSocket] = createSignal<{ status: Accessor<LiveStatus> }>();
  createEffect(() => {
    // A new user (or none) means a new socket; connectLive closes the old one with this effect's cleanup.
    if (!session.user()?.id) return setSocket(undefined);
    setSocket(
      connectLive("/api/live", {
        onMessage: (m) => listeners.forEach((l) => l.onMessage?.(m)),
        onReconnect: () => listeners.forEach((l) => l.onReconnect?.()),
        // Signed out elsewhere (another device, "sign out everywhere", a reset, a suspension): show it at once.
        onSignedOut: () => void signedOutOrStillIn(),
      }),
    );
  });
  return { status: (): LiveStatus => socket()?.status() ?? "connecting" };
});

/** Calls `listener` for every message of the signed-in user's feed until the calling component goes away. */
export function onUserLive(listener: Listener): () => void {
  listeners.add(listener);
  const stop = () => listeners.delete(listener);
  if (getOwner()) onCleanup(stop);
  return stop;
}

export const userLiveStatus = feed.status;
