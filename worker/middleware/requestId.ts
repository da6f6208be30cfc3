import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";

/** Every request gets an id: in the response header, in the error envelope and in every log line. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", id);
  await next();
  if (c.res.status !== 101) c.header("X-Request-Id", id);
});
