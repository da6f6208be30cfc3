import { encryptNotification } from "@block65/webcrypto-web-push";
import { and, eq, inArray } from "drizzle-orm";
import { type PushPayload, PushPayloadSchema, isKnownPushService } from "../../domain/notifications/push";
import { getDb } from "../db/client";
import { pushSubscriptions } from "../db/schema";
import { log } from "../log";
import { toBase64Url } from "./base64url";
import { type VapidKeys, vapidAuthorization, vapidKeys } from "./vapid";

export type PushTarget = { endpoint: string; p256dh: string; auth: string };
export type PushOptions = {
  /** Seconds the push service may hold the message for an offline device. */
  ttlSeconds?: number;
  urgency?: "very-low" | "low" | "normal" | "high";
};

const TIMEOUT_MS = 10_000;

/**
 * Where pushes may go: a known push service (domain/notifications/push.ts), or — in local development and
 * tests only — a push endpoint on this machine.
 */
export function pushEndpointAllowed(env: Pick<Env, "ENVIRONMENT">, endpoint: string): boolean {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return false;
  }
  if (isKnownPushService(url)) return true;
  const local = env.ENVIRONMENT === "development" || env.ENVIRONMENT === "test";
  return local && url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
}

/** RFC 8030 §5.4: a Topic is at most 32 base64url characters; messages with one replace each other while undelivered. */
async function topicOf(tag: string): Promise<string> {
  return toBase64Url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(tag))).slice(0, 32);
}

/**
 * Encrypts `payload` for one subscription (RFC 8291, aes128gcm, by @block65/webcrypto-web-push on Web Crypto),
 * signs a VAPID token for its push service (RFC 8292) and posts it. Returns the push service's status.
 */
export async function deliverPush(keys: VapidKeys, target: PushTarget, payload: PushPayload, opts: PushOptions = {}, now = Date.now()): Promise<number> {
  const body = await encryptNotification(
    { endpoint: target.endpoint, expirationTime: null, keys: { p256dh: target.p256dh, auth: target.auth } },
    new TextEncoder().encode(JSON.stringify(PushPayloadSchema.parse(payload))),
  );
  const res = await fetch(target.endpoint, {
    method: "POST",
    headers: {
      Authorization: await vapidAuthorization(keys, target.endpoint, now),
      "Content-Encoding": "aes128gcm",
      "Content-Type": "application/octet-stream",
      TTL: String(opts.ttlSeconds ?? 86_400),
      Urgency: opts.urgency ?? "normal",
      ...(payload.tag ? { Topic: await topicOf(payload.tag) } : {}),
    },
    body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.body?.cancel();
  return res.status;
}

/**
 * Pushes `payload` to every device of `userId` that subscribed (the caller checked that they want this kind
 * by push: platform/notifications/settings.ts). Best effort
 * (the inbox and email carry the same news): failures are logged, and a subscription whose push service
 * answers 404 or 410 is gone for good, so it is removed. Returns how many devices accepted it.
 */
export async function pushToUser(env: Env, userId: string, payload: PushPayload, opts: PushOptions = {}, now = Date.now()): Promise<number> {
  const keys = vapidKeys(env);
  if (!keys) return 0;
  const db = getDb(env);
  const targets = await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).all();
  const gone: string[] = [];
  const delivered: string[] = [];
  await Promise.all(
    targets.map(async (t) => {
      if (!pushEndpointAllowed(env, t.endpoint)) return gone.push(t.endpoint);
      try {
        const status = await deliverPush(keys, t, payload, opts, now);
        if (status === 404 || status === 410) gone.push(t.endpoint);
        else if (status >= 200 && status < 300) delivered.push(t.endpoint);
        else log.warn("push refused", { userId, status, host: new URL(t.endpoint).host });
      } catch (e) {
        log.warn("push failed", { userId, host: new URL(t.endpoint).host, error: String(e) });
      }
    }),
  );
  if (gone.length) await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), inArray(pushSubscriptions.endpoint, gone)));
  if (delivered.length) {
    await db.update(pushSubscriptions).set({ lastSuccessAt: new Date(now).toISOString() }).where(inArray(pushSubscriptions.endpoint, delivered));
  }
  return delivered.length;
}
