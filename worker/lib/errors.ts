import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorBody } from "../../domain/schemas/common";

export type Issue = { path: string; message: string };

/** An expected failure that becomes the error envelope with its status; never logged as a fault. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: Issue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = "That resource") => new ApiError(404, "not_found", `${what} was not found.`);
export const forbidden = (message = "You are not allowed to do that.") => new ApiError(403, "forbidden", message);

export function errorBody(code: string, message: string, requestId?: string, issues?: Issue[]): ErrorBody {
  return { error: { code, message, ...(requestId ? { requestId } : {}), ...(issues ? { issues } : {}) } };
}

/** Zod-style issues flattened to `{path, message}` pairs the SPA can put next to fields. */
export function toIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): Issue[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
}
