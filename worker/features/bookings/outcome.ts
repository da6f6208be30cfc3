import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../app";
import type { Outcome } from "../../../durable-objects/TutorCalendar";
import { ApiError } from "../../lib/errors";

const STATUS: Record<string, ContentfulStatusCode> = {
  insufficient_credits: 402,
  not_found: 404,
  tutor_not_found: 404,
  subject_not_taught: 400,
  series_is_group: 400,
  idempotency_key_reused: 422,
  account_closed: 403,
};

/** A calendar outcome's value, or its failure as the error envelope (402 for credits, 403 for a closed account, 404, 400 — a subject not taught, a group series moved —, 422, else 409). */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const code = outcome.code === "tutor_not_found" ? "not_found" : outcome.code;
  throw new ApiError(STATUS[outcome.code] ?? 409, code, outcome.message, outcome.issues);
}

/** The outcome's value; a retry answered from the object's memory says so (`Idempotent-Replayed: true`). */
export function unwrapReplay<T>(c: Context<AppEnv>, outcome: Outcome<T>): T {
  if (outcome.ok && outcome.replayed) c.header("Idempotent-Replayed", "true");
  return unwrap(outcome);
}
