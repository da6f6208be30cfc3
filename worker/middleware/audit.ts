import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import type { AppEnv } from "../app";
import { getDb } from "../../platform/db/client";
import { auditLog } from "../../platform/db/schema";
import { log, redact } from "../../platform/log";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** `/api/admin/users/:id/suspend` → `users.suspend`, `/api/bookings/:id/cancel` → `bookings.cancel`; the route's first parameter is the target. */
export function auditAction(pattern: string, path: string): { action: string; targetId: string | null } {
  const prefix = /^\/api\/(admin\/)?/;
  const parts = pattern.replace(prefix, "").split("/");
  const actual = path.replace(prefix, "").split("/");
  const param = parts.findIndex((p) => p.startsWith(":"));
  return {
    action: parts.filter((p) => !p.startsWith(":")).join(".") || "admin",
    targetId: param >= 0 && actual[param] !== undefined ? decodeURIComponent(actual[param]!) : null,
  };
}

/**
 * Every admin action that changed something (a non-read request by an admin that succeeded, under /api/admin or
 * on a session or series) is written to the audit log with who, what, which record and the request body
 * (credential-like fields redacted). Mounted once per path prefix, so a new admin route is audited without remembering to.
 */
export const auditAdminActions = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const actor = c.get("user");
  if (READS.has(c.req.method) || !actor || actor.role !== "admin" || c.res.status >= 400) return;
  // The route that answered (middleware registrations are method ALL).
  const pattern = matchedRoutes(c).filter((r) => r.method !== "ALL").at(-1)?.path ?? c.req.path;
  const { action, targetId } = auditAction(pattern, c.req.path);
  let body: unknown = null;
  try {
    const text = await c.req.text();
    body = text ? redact(JSON.parse(text)) : null;
  } catch {
    body = null;
  }
  const detail = body === null ? null : JSON.stringify(body).slice(0, 2000);
  try {
    await getDb(c.env)
      .insert(auditLog)
      .values({ id: crypto.randomUUID(), at: new Date().toISOString(), actorId: actor.id, action, targetId: targetId ?? (typeof body === "object" && body && "userId" in body ? String(body.userId) : null), detail, requestId: c.get("requestId") });
  } catch (e) {
    // The action happened; a lost audit row is logged loudly rather than turning the answer into an error.
    log.error("audit log write failed", { requestId: c.get("requestId"), action, actorId: actor.id, error: String(e) });
  }
});
