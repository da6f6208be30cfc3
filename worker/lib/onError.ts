import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app";
import { ApiError, errorBody } from "./errors";
import { log } from "../../platform/log";

const CODES: Record<number, string> = {
  400: "invalid_request",
  401: "unauthenticated",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "too_many_requests",
};

/** The one place errors become responses: expected ones as their envelope, faults as a logged 500. */
export function onError(err: Error, c: Context<AppEnv>) {
  const requestId = c.get("requestId");
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, requestId, err.issues), err.status, err.headers);
  }
  if (err instanceof HTTPException && err.status < 500) {
    const malformed = /malformed json/i.test(err.message);
    const code = malformed ? "invalid_json" : (CODES[err.status] ?? "invalid_request");
    const message = malformed ? "The request body is not valid JSON." : err.message || "The request was refused.";
    return c.json(errorBody(code, message, requestId), err.status);
  }
  log.error("unhandled error", {
    requestId,
    method: c.req.method,
    path: c.req.path,
    error: err instanceof Error ? err.message : String(err),
    stack: err instanceof Error ? err.stack : undefined,
  });
  return c.json(errorBody("internal_error", "Something went wrong on our side. Please try again.", requestId), 500);
}
