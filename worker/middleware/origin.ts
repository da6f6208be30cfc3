import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { ApiError } from "../lib/errors";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence for cookie-authenticated JSON routes (Hono's csrf() only looks at form posts): a
 * state-changing request that a browser marks as coming from another site is refused. Non-browser clients
 * send neither header and carry no ambient cookie risk. Webhooks authenticate by signature instead.
 */
export const originCheck = createMiddleware<AppEnv>(async (c, next) => {
  if (SAFE.has(c.req.method) || c.req.path.startsWith("/api/webhooks/")) return next();
  const origin = c.req.header("Origin");
  const selfOrigin = new URL(c.req.url).origin;
  const allowed = new Set([selfOrigin, ...(c.env.APP_ORIGINS ?? "").split(",").filter(Boolean)]);
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
  const allowed = [new URL(c.req.url).origin, ...(c.env.APP_ORIGINS ?? "").split(",").filter(Boolean)];
  if (origin && !allowed.includes(origin)) throw new ApiError(403, "forbidden_origin", "This request came from another site and was refused.");
}
