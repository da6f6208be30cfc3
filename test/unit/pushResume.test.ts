import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The server keeps a browser's push subscription only as long as the session it was saved under. Signing in again in
 * the same browser as the person who turned push on there resumes it; someone else signing in there is pushed nothing
 * until they turn it on themselves (web/src/features/push/push.ts).
 */
const SUB = { endpoint: "https://push.example/sub/1", expirationTime: null, keys: { p256dh: "BPk".padEnd(87, "A"), auth: "AAAAAAAAAAAAAAAAAAAAAA" } };
let saved: unknown[];

beforeEach(() => {
  saved = [];
  const store = new Map<string, string>();
  const subscription = { endpoint: SUB.endpoint, toJSON: () => SUB, unsubscribe: async () => true };
  const pushManager = { getSubscription: async () => subscription, subscribe: async () => subscription };
  vi.stubGlobal("localStorage", { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v), removeItem: (k: string) => void store.delete(k) });
  vi.stubGlobal("navigator", { serviceWorker: { ready: Promise.resolve({ pushManager }) }, language: "en" });
  vi.stubGlobal("window", { PushManager: class {}, Notification: class {}, location: { origin: "https://tutorly.test" } });
  vi.stubGlobal("Notification", { permission: "granted", requestPermission: async () => "granted" });
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(new URL(String(input instanceof Request ? input.url : input), "https://tutorly.test"), init);
    if (req.method === "PUT" && new URL(req.url).pathname === "/api/me/push-subscription") saved.push(await req.json());
    return new Response(JSON.stringify({ subscription: {} }), { status: 200, headers: { "content-type": "application/json" } });
  });
});
afterEach(() => vi.unstubAllGlobals());

describe("push in a browser signed into again", () => {
  it("resumes for the person who turned it on here, and for nobody else", async () => {
    const push = await import("../../web/src/features/push/push");
    await push.enablePush("BPublicKey", "maya");
    expect(saved).toHaveLength(1);
    // Maya signed out (her session's subscription went with it) and signs in again: it is saved for her new session.
    expect(await push.resumePush("maya")).toBe(true);
    expect(saved).toEqual([SUB, SUB]);
    // Leo signs in on the same browser: he never turned push on, so nothing is saved for him.
    expect(await push.resumePush("leo")).toBe(false);
    expect(saved).toHaveLength(2);
    // Maya turns it off here: signing in again does not turn it back on.
    await push.disablePush();
    expect(await push.resumePush("maya")).toBe(false);
    expect(saved).toHaveLength(2);
  });
});
