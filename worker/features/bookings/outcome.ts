import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Outcome } from "../../../durable-objects/TutorCalendar";
import { ApiError } from "../../lib/errors";

const STATUS: Record<string, ContentfulStatusCode> = {
  insufficient_credits: 402,
  not_found: 404,
};

/** A calendar outcome's value, or its failure as the error envelope (402 for credits, 404, else 409). */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new ApiError(STATUS[outcome.code] ?? 409, outcome.code, outcome.message);
}
