import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { log } from "../../platform/log";

/** Every request gets an id: in the response header, in the error envelope and in its log lines (one access line each). */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", id);
  const started = Date.now();
  await next();
  if (c.res.status !== 101) c.header("X-Request-Id", id);
  // The path only (never the query string, which may carry tokens), the status and who asked.
  log.info("request", { requestId: id, method: c.req.method, path: c.req.path.replace(/^\/ical\/[^/]+/, "/ical/[feed]"), status: c.res.status, ms: Date.now() - started, userId: c.get("user")?.id });
});
