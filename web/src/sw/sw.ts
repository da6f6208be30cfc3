/// <reference lib="webworker" />
/**
 * Tutorly's service worker (built on its own by vite.config.ts into /sw.js). It makes the app installable and
 * usable offline read-only, and shows Web Push notifications.
 *
 * Offline: the app shell (index, entry and the landing, search and tutor pages' code) is saved at install;
 * other code is saved as it is first used. A tutor's public page data (/api/tutors/:id, its slots and
 * reviews) and the signed-in user (/api/auth/session) are fetched network-first; when the network fails, the saved
 * copy is answered with `X-Tutorly-Saved-At`, so the page says it is a saved copy and turns booking off.
 * Nothing else of the API is ever answered from a cache.
 */
import type { PushPayload } from "../../../domain/notifications/push";
import { parsePushPayload } from "./payload";

declare const self: ServiceWorkerGlobalScope;
/** Filled in at build time: the app shell's URLs and a version that changes with them. */
declare const __SHELL__: string[];
declare const __VERSION__: string;

const SHELL = `tutorly-shell-${__VERSION__}`;
const ASSETS = "tutorly-assets";
const SAVED = "tutorly-saved";
const SAVED_AT = "X-Tutorly-Saved-At";
const MAX_ASSETS = 150;

/** API reads kept for offline use: who is signed in, and a tutor's public page. */
const SAVEABLE = [/^\/api\/auth\/session$/, /^\/api\/tutors\/(?!me\/|me$)[^/]+(\/(slots|reviews))?$/];

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL);
      await cache.addAll(__SHELL__);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith("tutorly-shell-") && name !== SHELL) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method !== "GET") {
    // Signing in or out changes whose data the saved copies are: drop them.
    if (url.pathname.startsWith("/api/auth/")) event.waitUntil(caches.delete(SAVED));
    return;
  }
  if (url.pathname.startsWith("/api/")) {
    if (SAVEABLE.some((r) => r.test(url.pathname))) event.respondWith(networkFirstSaved(req));
    return;
  }
  if (req.mode === "navigate") return event.respondWith(navigation(req));
  if (url.pathname.startsWith("/assets/") || __SHELL__.includes(url.pathname)) event.respondWith(cacheFirst(req));
});

/** Pages: always from the network when it answers; offline, the saved app shell (the SPA routes itself). */
async function navigation(req: Request): Promise<Response> {
  try {
    return await fetch(req);
  } catch {
    return (await caches.match("/", { cacheName: SHELL })) ?? Response.error();
  }
}

/** Hashed assets never change: the first copy is good forever. */
async function cacheFirst(req: Request): Promise<Response> {
  const hit = await caches.match(req);
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok && new URL(req.url).pathname.startsWith("/assets/")) {
    const cache = await caches.open(ASSETS);
    await cache.put(req, res.clone());
    const keys = await cache.keys();
    for (const old of keys.slice(0, Math.max(0, keys.length - MAX_ASSETS))) await cache.delete(old);
  }
  return res;
}

/** The network's answer (saved for later); offline, the saved copy marked with when it was saved. */
async function networkFirstSaved(req: Request): Promise<Response> {
  try {
    const res = await fetch(req);
    if (res.ok) {
      const headers = new Headers(res.headers);
      headers.set(SAVED_AT, new Date().toISOString());
      const copy = new Response(await res.clone().arrayBuffer(), { status: res.status, statusText: res.statusText, headers });
      await (await caches.open(SAVED)).put(req, copy);
    } else if (res.status === 401 || res.status === 404) {
      await (await caches.open(SAVED)).delete(req);
    }
    return res;
  } catch (e) {
    const saved = await (await caches.open(SAVED)).match(req);
    if (saved) return saved;
    throw e;
  }
}

// ───────────────────────── Web Push ─────────────────────────

self.addEventListener("push", (event) => {
  event.waitUntil(showPush(event.data));
});

async function showPush(data: PushMessageData | null): Promise<void> {
  let payload: PushPayload | null = null;
  try {
    payload = parsePushPayload(data?.json());
  } catch {
    payload = null;
  }
  // A push must show something; an unreadable one gets a plain line.
  const p = payload ?? { kind: "messages" as const, title: "Tutorly", body: "You have something new on Tutorly.", link: "/notifications" };
  if (p.kind === "messages" && p.link && (await someoneIsLookingAt(p.link))) return;
  await self.registration.showNotification(p.title, {
    body: p.body,
    tag: p.tag,
    icon: "/icons/icon-192.png",
    badge: "/icons/badge-96.png",
    data: { link: p.link ?? "/" },
  });
}

/** A focused, visible tab already showing this page (the message is on screen there). */
async function someoneIsLookingAt(link: string): Promise<boolean> {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  return windows.some((w) => w.focused && w.visibilityState === "visible" && new URL(w.url).pathname === link);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const raw: unknown = event.notification.data?.link;
  const link = typeof raw === "string" && raw.startsWith("/") ? raw : "/";
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      if (open) {
        await open.focus();
        await open.navigate(link).catch(() => undefined);
      } else await self.clients.openWindow(link);
    })(),
  );
});

/** The browser renewed the subscription: tell the server, so pushes keep arriving. */
self.addEventListener("pushsubscriptionchange", (event) => {
  const change = event as Event & { oldSubscription?: PushSubscription | null; newSubscription?: PushSubscription | null; waitUntil(p: Promise<unknown>): void };
  change.waitUntil(
    (async () => {
      const key = change.oldSubscription?.options.applicationServerKey;
      const next = change.newSubscription ?? (key ? await self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }) : null);
      if (!next) return;
      await fetch("/api/me/push-subscription", { method: "PUT", headers: { "Content-Type": "application/json" }, credentials: "same-origin", body: JSON.stringify(next.toJSON()) });
    })(),
  );
});
