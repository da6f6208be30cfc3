import { sha256Hex } from "./crypto";

/**
 * A stable id for what a request creates: derived from the caller and their Idempotency-Key when there is one
 * (so a retry, even a concurrent one, lands on the same record), random otherwise.
 */
export async function idFor(userId: string, idempotencyKey: string | undefined, purpose: string): Promise<string> {
  if (!idempotencyKey) return crypto.randomUUID();
  const h = await sha256Hex(`${purpose}\u0000${userId}\u0000${idempotencyKey}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
