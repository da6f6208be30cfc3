import type { MiddlewareHandler } from "hono";
import { isLocalEnvironment } from "../../domain/video/config";
import { videoPlan } from "../../platform/integrations/realtime/config";
import { log } from "../../platform/log";
import type { AppEnv } from "../app";
import { ApiError } from "../lib/errors";

/** What keeps this deployment from starting, or null; computed once per `env` (an isolate keeps its own). */
const problems = new WeakMap<object, { missing: string[]; message: string } | null>();

/**
 * What a deployed Worker's email is missing, or null. Without a provider every message stays in the local outbox
 * (platform/integrations/email/sender.ts refuses it outside development), so no address could ever be confirmed and
 * no password reset would arrive. scripts/check-config.ts applies the same rule before a deploy.
 */
export function emailProblem(env: Pick<Env, "EMAIL_PROVIDER" | "EMAIL_HTTP_URL" | "EMAIL_HTTP_TOKEN" | "EMAIL">): { missing: string[]; message: string } | null {
  const provider = env.EMAIL_PROVIDER?.trim();
  if (provider === "http") {
    const missing = [env.EMAIL_HTTP_URL?.trim() ? null : "EMAIL_HTTP_URL", env.EMAIL_HTTP_TOKEN?.trim() ? null : "EMAIL_HTTP_TOKEN"].filter((n): n is string => n !== null);
    return missing.length ? { missing, message: `Email over HTTP needs ${missing.join(" and ")}.` } : null;
  }
  if (provider === "cloudflare") return env.EMAIL ? null : { missing: ["EMAIL"], message: "Email through Cloudflare needs the send_email binding EMAIL." };
  return { missing: ["EMAIL_PROVIDER"], message: 'Set EMAIL_PROVIDER to "http" or "cloudflare": without it no email leaves, so no address can be confirmed.' };
}

/**
 * The signing keys a deployed Worker has no stand-in for: without SESSION_SIGNING_KEY no session can be started (a
 * signup would create its account, then fail), without FEED_TOKEN_SECRET no calendar feed opens. Outside local
 * environments each is a secret (`wrangler secret put`); scripts/check-config.ts applies the same rule before a deploy.
 */
export const REQUIRED_KEYS = ["SESSION_SIGNING_KEY", "FEED_TOKEN_SECRET"] as const;

export function keysProblem(env: Pick<Env, (typeof REQUIRED_KEYS)[number]>): { missing: string[]; message: string } | null {
  const missing = REQUIRED_KEYS.filter((name) => !env[name]?.trim());
  return missing.length ? { missing, message: `Set the secret${missing.length > 1 ? "s" : ""} ${missing.join(" and ")} (each a long random string, e.g. openssl rand -base64 32).` } : null;
}

/**
 * The configuration a deployed Worker cannot run without. Staging and production never fall back to a local
 * stand-in: an incomplete video setup would silently leave calls working only inside one network, and the local
 * outbox would keep every email (address confirmations, password resets) from leaving. Locally the same problems
 * are reported where they matter (the room says so when someone joins; the dev mailbox shows the mail).
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
    const email = emailProblem(env);
    if (email) {
      missing.push(...email.missing);
      messages.push(email.message);
    }
    const keys = keysProblem(env);
    if (keys) {
      missing.push(...keys.missing);
      messages.push(keys.message);
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
