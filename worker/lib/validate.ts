import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { ApiError, toIssues } from "./errors";

/**
 * `zValidator` that answers every failure with the 400 `invalid_request` envelope and the zod issues,
 * so handlers only ever see parsed, typed input.
 */
export const validate = <T extends ZodType, Target extends keyof ValidationTargets>(target: Target, schema: T) =>
  zValidator(target, schema, (result) => {
    if (!result.success) {
      throw new ApiError(400, "invalid_request", `The request ${target} is not valid.`, toIssues(result.error.issues));
    }
  });
