import { encryptNotification } from "@block65/webcrypto-web-push";
import { and, eq, inArray } from "drizzle-orm";
import { type PushPayload, PushPayloadSchema, isKnownPushService } from "../../domain/notifications/push";
import { getDb, inChunks, readInChunks } from "../db/client";
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

/** One push: `payload` to every device of `userId`. */
export type UserPush = { userId: string; payload: PushPayload };

/**
 * Pushes `payload` to every device of `userId` that subscribed (the caller checked that they want this kind
 * by push: platform/notifications/settings.ts). Best effort
 * (the inbox and email carry the same news): failures are logged, and a subscription whose push service
 * answers 404 or 410 is gone for good, so it is removed. Returns how many devices accepted it.
 */
export async function pushToUser(env: Env, userId: string, payload: PushPayload, opts: PushOptions = {}, now = Date.now()): Promise<number> {
  const [reached] = await pushToUsers(env, [{ userId, payload }], opts, now);
  return reached ?? 0;
}

/**
 * `pushToUser` for many pushes at once (a calendar's notices of many bookings): everyone's devices in one read, the
 * pushes side by side, and what the push services said (devices gone, devices reached) recorded in one batch. Says,
 * per push, how many devices accepted it.
 */
export async function pushToUsers(env: Env, pushes: readonly UserPush[], opts: PushOptions = {}, now = Date.now()): Promise<number[]> {
  const keys = vapidKeys(env);
  if (!keys || !pushes.length) return pushes.map(() => 0);
  const db = getDb(env);
  const targets = await readInChunks([...new Set(pushes.map((p) => p.userId))], (part) => db.select().from(pushSubscriptions).where(inArray(pushSubscriptions.userId, part)).all());
  const devicesOf = new Map<string, typeof targets>();
  for (const t of targets) devicesOf.set(t.userId, [...(devicesOf.get(t.userId) ?? []), t]);
  const gone = new Map<string, Set<string>>();
  const delivered = new Set<string>();
  const reached = await Promise.all(
    pushes.map(async ({ userId, payload }) => {
      let accepted = 0;
      const drop = (endpoint: string) => gone.set(userId, (gone.get(userId) ?? new Set()).add(endpoint));
      await Promise.all(
        (devicesOf.get(userId) ?? []).map(async (t) => {
          if (!pushEndpointAllowed(env, t.endpoint)) return drop(t.endpoint);
          try {
            const status = await deliverPush(keys, t, payload, opts, now);
            if (status === 404 || status === 410) drop(t.endpoint);
            else if (status >= 200 && status < 300) {
              delivered.add(t.endpoint);
              accepted++;
            } else log.warn("push refused", { userId, status, host: new URL(t.endpoint).host });
          } catch (e) {
            log.warn("push failed", { userId, host: new URL(t.endpoint).host, error: String(e) });
          }
        }),
      );
      return accepted;
    }),
  );
  const writes = [
    ...[...gone].map(([userId, endpoints]) => db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, userId), inArray(pushSubscriptions.endpoint, [...endpoints])))),
    ...inChunks([...delivered]).map((part) => db.update(pushSubscriptions).set({ lastSuccessAt: new Date(now).toISOString() }).where(inArray(pushSubscriptions.endpoint, part))),
  ];
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);
  return reached;
}
