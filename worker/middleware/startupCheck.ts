import type { MiddlewareHandler } from "hono";
import { isLocalEnvironment } from "../../domain/video/config";
import { videoPlan } from "../../platform/integrations/realtime/config";
import { log } from "../../platform/log";
import type { AppEnv } from "../app";
import { ApiError } from "../lib/errors";

/** What keeps this deployment from starting, or null; computed once per `env` (an isolate keeps its own). */
const problems = new WeakMap<object, { missing: string[]; message: string } | null>();

/**
 * The configuration a deployed Worker cannot run without. Staging and production never fall back to a local
 * stand-in: an incomplete video setup would silently leave calls working only inside one network. Locally the
 * same problem is reported where it matters (the room says so when someone joins).
 */
export function startupProblem(env: Env): { missing: string[]; message: string } | null {
  if (isLocalEnvironment(env.ENVIRONMENT)) return null;
  let problem = problems.get(env);
  if (problem === undefined) {
    const plan = videoPlan(env);
    const missing = plan.ok ? [] : [...plan.missing];
    const messages = plan.ok ? [] : [plan.message];
    // Mailed links (password resets, address confirmations) must not take their host from a request's Host header.
    if (!env.APP_URL) {
      missing.push("APP_URL");
      messages.push("Set APP_URL to the site's address: mailed links are built from it.");
    }
    problem = missing.length ? { missing, message: messages.join(" ") } : null;
    problems.set(env, problem);
    if (problem) log.error("refusing to start: incomplete configuration", { environment: env.ENVIRONMENT, missing: problem.missing });
  }
  return problem;
}

/** Answers every request with 503 while the deployment's configuration is incomplete (names only, never values). */
export const startupCheck: MiddlewareHandler<AppEnv> = async (c, next) => {
  const problem = startupProblem(c.env);
  if (problem) throw new ApiError(503, "misconfigured", `This Tutorly deployment is not configured. ${problem.message}`);
  await next();
};
