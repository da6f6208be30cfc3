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
    if (key && !(await c.env[limiter].limit({ key: `${limiter}:${key}` })).success) {
      throw new ApiError(429, "rate_limited", "Too many requests. Please slow down and try again in a minute.", undefined, { "Retry-After": String(periodSeconds) });
    }
    await next();
  });

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
