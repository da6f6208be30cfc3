import type { Context } from "hono";
import type { AppEnv } from "../../app";
import type { User } from "../../../domain/schemas/auth";
import { ApiError } from "../../lib/errors";
import { sha256Hex } from "../../lib/crypto";

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's Idempotency-Key with a hash of what it asks, for the object that owns the effect to keep with its
 * first answer (booking, cancel, reschedule: the tutor's calendar). No D1: a retry is answered by that object.
 */
export async function requestKeyOf(c: Context<AppEnv>, me: User, input: unknown): Promise<{ userId: string; key: string; hash: string } | undefined> {
  const key = c.req.header("Idempotency-Key");
  if (key === undefined) return undefined;
  if (!KEY.test(key)) throw new ApiError(400, "invalid_request", "Idempotency-Key must be 1 to 255 printable ASCII characters.");
  return { userId: me.id, key, hash: await sha256Hex(`${c.req.method} ${c.req.path}\n${JSON.stringify(input)}`) };
}
