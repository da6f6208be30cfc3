import { and, eq } from "drizzle-orm";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app";
import { getDb } from "../../platform/db/client";
import { idempotencyKeys } from "../../platform/db/schema";
import { ApiError } from "../lib/errors";
import { sha256Hex } from "../lib/crypto";

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Honours `Idempotency-Key` on a POST that creates or spends: the first response (any status below 500) is kept
 * per user, path and key, and a retry gets it back unchanged with `Idempotent-Replayed: true`. Reusing a key
 * with a different body is refused with 422. Concurrent first attempts are made safe one level down: what
 * they create gets an id derived from the key (see lib/ids.ts), so they meet on the same record.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("Idempotency-Key");
  const user = c.get("user");
  if (key === undefined || !user) return next();
  if (!KEY.test(key)) throw new ApiError(400, "invalid_request", "Idempotency-Key must be 1 to 255 printable ASCII characters.");
  const db = getDb(c.env);
  const scope = `${c.req.method} ${c.req.path}`;
  const requestHash = await sha256Hex(await c.req.text());
  const where = and(eq(idempotencyKeys.userId, user.id), eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key));
  const first = await db.select().from(idempotencyKeys).where(where).get();
  if (first) {
    if (first.requestHash !== requestHash) {
      throw new ApiError(422, "idempotency_key_reused", "This Idempotency-Key was already used with a different request.");
    }
    return new Response(first.body, { status: first.status, headers: { "Content-Type": "application/json", "Idempotent-Replayed": "true" } });
  }
  await next();
  if (c.res.status < 500) {
    await db
      .insert(idempotencyKeys)
      .values({ userId: user.id, scope, key, requestHash, status: c.res.status, body: await c.res.clone().text(), createdAt: new Date().toISOString() })
      .onConflictDoNothing();
  }
});
