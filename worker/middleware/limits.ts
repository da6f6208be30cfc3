import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { ApiError } from "../lib/errors";

/** Every rate limiter binding in wrangler.toml. */
type Limiter = { [K in keyof Env]-?: Env[K] extends RateLimit ? K : never }[keyof Env];

/** The client's address as Cloudflare's edge reports it (clients cannot set it through Cloudflare). */
export const clientIp = (c: Context<AppEnv>) => c.req.header("CF-Connecting-IP") ?? null;
/** The signed-in user, for limits that follow a person rather than an address. */
export const userKey = (c: Context<AppEnv>) => c.get("user")?.id ?? clientIp(c);

/**
 * Refuses with 429 `rate_limited` (and Retry-After) once `limiter` says the key spent its budget for the
 * period. Requests without a key (no client address: local tools and tests) are not counted.
 */
export const rateLimit = (limiter: Limiter, keyOf: (c: Context<AppEnv>) => string | null, periodSeconds = 60) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const key = keyOf(c);
    if (key && !(await c.env[limiter].limit({ key: `${limiter}:${key}` })).success) throw rateLimited(periodSeconds);
    await next();
  });

/**
 * Idempotency-Keys already counted, per user and path, for the limiter's period, with the limiter's verdict: a
 * retry of a request (same key) is answered by the object that keeps its first answer, so it must not spend the
 * budget again — it shares the first attempt's verdict (a refused request stays refused). Kept per isolate, like
 * the Rate Limiting binding itself is per location; bounded so it can never grow without limit.
 */
const counted = new Map<string, { at: number; admitted: Promise<boolean> }>();
const COUNTED_MAX = 10_000;

function verdictOnce(id: string, now: number, periodMs: number, check: () => Promise<boolean>): Promise<boolean> {
  const seen = counted.get(id);
  if (seen && now - seen.at < periodMs) return seen.admitted;
  for (const [k, v] of counted) if (now - v.at >= periodMs || counted.size >= COUNTED_MAX) counted.delete(k);
  const admitted = check();
  counted.set(id, { at: now, admitted });
  return admitted;
}

/** Like `rateLimit`, but every request repeating an Idempotency-Key within the period counts once, all together. */
export const rateLimitOncePerKey = (limiter: Limiter, keyOf: (c: Context<AppEnv>) => string | null, periodSeconds = 60) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const who = keyOf(c);
    if (!who) return next();
    const check = async () => (await c.env[limiter].limit({ key: `${limiter}:${who}` })).success;
    const idem = c.req.header("Idempotency-Key");
    const admitted = idem ? await verdictOnce(`${limiter}\u0000${who}\u0000${c.req.path}\u0000${idem}`, Date.now(), periodSeconds * 1000, check) : await check();
    if (!admitted) throw rateLimited(periodSeconds);
    await next();
  });

const rateLimited = (periodSeconds: number) =>
  new ApiError(429, "rate_limited", "Too many requests. Please slow down and try again in a minute.", undefined, { "Retry-After": String(periodSeconds) });

/** Applies `mw` to POST requests only (GET listings are not rate limited). */
export const postsOnly = (mw: MiddlewareHandler<AppEnv>) =>
  createMiddleware<AppEnv>(async (c, next) => (c.req.method === "POST" ? mw(c, next) : next()));

/** Applies `mw` to requests that change something (POST, PUT, PATCH, DELETE). */
export const changesOnly = (mw: MiddlewareHandler<AppEnv>) =>
  createMiddleware<AppEnv>(async (c, next) => (c.req.method === "GET" || c.req.method === "HEAD" ? next() : mw(c, next)));

/** An iCal feed is limited per feed (its token is in the path), whoever polls it. */
export const feedKey = (c: Context<AppEnv>) => c.req.path;

/** Request bodies are small JSON documents; webhooks may carry larger provider payloads. */
export const API_BODY_LIMIT = 64 * 1024;
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export const limitBody = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `The request body is larger than ${Math.round(maxSize / 1024)} KB.`);
    },
  });
