import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { ApiError } from "../lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The origins allowed: the Worker's own and `APP_ORIGINS` as an operator writes it ("a, b", spread over lines, with
 * a trailing slash or capitals). A browser's Origin header has none of those, so each entry is trimmed and read as
 * a URL's origin (scheme and host in lower case, no path); otherwise an origin listed after ", " would be refused.
 * An entry that is no http(s) URL is kept as written, so it matches nothing (never "null", what a sandboxed frame
 * or a file sends).
 */
export function allowedOrigins(selfOrigin: string, appOrigins: string | undefined): Set<string> {
  const listed = (appOrigins ?? "").split(",").map((o) => o.trim()).filter(Boolean);
  return new Set([selfOrigin, ...listed.map(originOf)]);
}

function originOf(entry: string): string {
  try {
    const url = new URL(entry);
    return url.protocol === "https:" || url.protocol === "http:" ? url.origin : entry;
  } catch {
    return entry;
  }
}

/**
 * CSRF defence for cookie-authenticated JSON routes (Hono's csrf() only looks at form posts): a
 * state-changing request that a browser marks as coming from another site is refused. Non-browser clients
 * send neither header and carry no ambient cookie risk. Webhooks authenticate by signature instead.
 */
export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method) || c.req.path.startsWith("/api/webhooks/")) return next();
  const origin = c.req.header("Origin");
  const allowed = allowedOrigins(new URL(c.req.url).origin, c.env.APP_ORIGINS);
  const crossSite = origin ? !allowed.has(origin) : c.req.header("Sec-Fetch-Site") === "cross-site";
  if (crossSite) throw new ApiError(403, "forbidden_origin", "This request came from another site and was refused.");
  return next();
});

/**
 * For WebSocket upgrades (GET, so not covered above): only a 101 to our own pages, which blocks cross-site
 * WebSocket hijacking of a signed-in user's live feed.
 */
export function assertSameOriginUpgrade(c: Context<AppEnv>) {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    throw new ApiError(426, "upgrade_required", "This endpoint speaks WebSocket.");
  }
  const origin = c.req.header("Origin");
  if (origin && !allowedOrigins(new URL(c.req.url).origin, c.env.APP_ORIGINS).has(origin)) throw new ApiError(403, "forbidden_origin", "This request came from another site and was refused.");
}
