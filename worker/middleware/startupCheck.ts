import type { MiddlewareHandler } from "hono";
import { startupProblem } from "../../platform/deployRequirements";
import type { AppEnv } from "../app";
import { ApiError } from "../lib/errors";

/**
 * The configuration a deployed Worker cannot run without: platform/deployRequirements.ts, the one list the deploy
 * check (scripts/check-config.ts) applies too, so a deploy it lets through is one that starts.
 */
export { startupProblem };

/** Answers every request with 503 while the deployment's configuration is incomplete (names only, never values). */
export const startupCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  const problem = startupProblem(c.env);
  if (problem) throw new ApiError(503, "misconfigured", `This Tutorly deployment is not configured. ${problem.message}`);
  await next();
};
