import { zValidator } from "@hono/zod-validator";
import type { Context, ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { ApiError, toIssues } from "./errors";

const JSON_MEDIA = /^application\/([\w.-]+\+)?json$/i;

/**
 * A JSON route reads only JSON: a body sent as a form, text or anything else is refused (415), where the
 * validator underneath would read it as `{}` and let an all-optional schema accept a request nobody wrote as such.
 * A request with no body and no Content-Type is an empty object, as before.
 */
function assertJsonBody(c: Context) {
  const type = c.req.header("Content-Type");
  const refused = type !== undefined ? !JSON_MEDIA.test(type.split(";")[0]!.trim()) : c.req.raw.body !== null;
  if (refused) throw new ApiError(415, "unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).");
}

/**
 * `zValidator` that answers every failure with the 400 `invalid_request` envelope and the zod issues,
 * so handlers only ever see parsed, typed input.
 */
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) => {
  const validator = zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError(400, "invalid_request", `The request ${target} is not valid.`, toIssues(result.error.issues));
    }
  });
  if (target !== "json") return validator;
  const jsonOnly: typeof validator = async (c, next) => {
    assertJsonBody(c);
    return validator(c, next);
  };
  return jsonOnly;
};
