import { type Accessor, createEffect, createRoot, createSignal, getOwner, onCleanup } from "solid-js";
import type { ServerMessage } from "../../../domain/protocol";
import { type LiveStatus, connectLive } from "./live";
import { session } from "./session";

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
        // Signed out elsewhere (another device, "sign out everywhere", a reset, a suspension): show it at once. Not by
        // asking who is signed in: the credential is still believed for up to a minute, the socket's close is final.
        onSignedOut: () => session.setUser(null),
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
