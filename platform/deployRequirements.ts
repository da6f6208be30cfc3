import { type VideoSettings, planVideo } from "../domain/video/config";
import { isLocalEnvironment } from "./environment";
import { log } from "./log";

/**
 * What a deployed (non-local) environment cannot run without: ONE list, applied by the Worker at start-up
 * (worker/middleware/startupCheck.ts, which answers every request 503 `misconfigured` while anything is missing) and
 * by the deploy check before a deploy (scripts/check-config.ts, over wrangler.toml's vars and the names of the
 * secrets Cloudflare holds), so a deploy the check lets through is one the Worker starts. Each rule asks only
 * whether a setting is set, never its value, except the provider choices, which are vars.
 */
export type DeploySettings = VideoSettings & {
  APP_URL?: string;
  EMAIL_PROVIDER?: string;
  EMAIL_FROM?: string;
  EMAIL_HTTP_URL?: string;
  EMAIL_HTTP_TOKEN?: string;
  SESSION_SIGNING_KEY?: string;
  FEED_TOKEN_SECRET?: string;
};
export type DeployProblem = { missing: string[]; message: string };

/** What keeps a deployment from starting, or null; computed once per `env` (an isolate keeps its own). */
const startupProblems = new WeakMap<object, DeployProblem | null>();

/**
 * The Worker's start-up verdict over its own `env` (worker/middleware/startupCheck.ts answers 503 with it): every
 * problem at once, names only, never values. Staging and production never fall back to a local stand-in: an
 * incomplete video setup would silently leave calls working only inside one network, and the local outbox would keep
 * every email (address confirmations, password resets) from leaving. Locally the same problems are reported where
 * they matter (the room says so when someone joins; the dev mailbox shows the mail).
 */
export function startupProblem(env: DeploySettings & { EMAIL?: unknown }): DeployProblem | null {
  let problem = startupProblems.get(env);
  if (problem === undefined) {
    const found = deployProblems(env, { emailBinding: !!env.EMAIL });
    problem = found.length ? { missing: found.flatMap((p) => p.missing), message: found.map((p) => p.message).join(" ") } : null;
    startupProblems.set(env, problem);
    if (problem) log.error("refusing to start: incomplete configuration", { environment: env.ENVIRONMENT, missing: problem.missing });
  }
  return problem;
}

/** `emailBinding`: the send_email binding EMAIL exists (a binding, not a setting). */
export function deployProblems(settings: DeploySettings, opts: { emailBinding: boolean }): DeployProblem[] {
  if (isLocalEnvironment(settings)) return [];
  return [videoProblem(settings), appUrlProblem(settings), emailProblem(settings, opts.emailBinding), senderProblem(settings), keysProblem(settings)].filter(
    (p): p is DeployProblem => p !== null,
  );
}

const unset = (value: string | undefined) => !value?.trim();

/** Staging and production never fall back to peer-to-peer without TURN: calls would work only inside one network. */
function videoProblem(s: DeploySettings): DeployProblem | null {
  const plan = planVideo(s);
  return plan.ok ? null : { missing: plan.missing, message: plan.message };
}

/** Mailed links (password resets, address confirmations) must not take their host from a request's Host header. */
function appUrlProblem(s: DeploySettings): DeployProblem | null {
  return unset(s.APP_URL) ? { missing: ["APP_URL"], message: "Set APP_URL to the site's address (a var): mailed links are built from it." } : null;
}

/**
 * Without a provider every message stays in the local outbox (platform/integrations/email/sender.ts refuses it
 * outside development), so no address could ever be confirmed and no password reset would arrive.
 */
function emailProblem(s: DeploySettings, emailBinding: boolean): DeployProblem | null {
  const provider = s.EMAIL_PROVIDER?.trim();
  if (provider === "http") {
    const missing = (["EMAIL_HTTP_URL", "EMAIL_HTTP_TOKEN"] as const).filter((name) => unset(s[name]));
    return missing.length ? { missing, message: `Email over HTTP needs ${missing.join(" and ")}.` } : null;
  }
  if (provider === "cloudflare") return emailBinding ? null : { missing: ["EMAIL"], message: 'Email through Cloudflare needs the send_email binding EMAIL (send_email = [{ name = "EMAIL" }]).' };
  return { missing: ["EMAIL_PROVIDER"], message: 'Set EMAIL_PROVIDER to "http" or "cloudflare" (a var): without it no email leaves, so no address can be confirmed.' };
}

/**
 * The sender. Without it mail goes from the built-in `no-reply@tutorly.dev`, a domain no deployment has verified
 * with its provider: Resend refuses such a send and Cloudflare's send_email sends only from a domain of the account,
 * so every confirmation and reset would fail in the outbox. Named once a provider that sends is chosen.
 */
function senderProblem(s: DeploySettings): DeployProblem | null {
  const provider = s.EMAIL_PROVIDER?.trim();
  if ((provider !== "http" && provider !== "cloudflare") || !unset(s.EMAIL_FROM)) return null;
  return { missing: ["EMAIL_FROM"], message: 'Set EMAIL_FROM (a var) to a sender your email provider has verified, e.g. "Tutorly <no-reply@your domain>".' };
}

/**
 * The signing keys a deployed Worker has no stand-in for: without SESSION_SIGNING_KEY no session can be started (a
 * signup would create its account, then fail), without FEED_TOKEN_SECRET no calendar feed opens. Each is a secret.
 */
export const REQUIRED_KEYS = ["SESSION_SIGNING_KEY", "FEED_TOKEN_SECRET"] as const;

function keysProblem(s: DeploySettings): DeployProblem | null {
  const missing = REQUIRED_KEYS.filter((name) => unset(s[name]));
  if (!missing.length) return null;
  const them = missing.length > 1 ? "them" : "it";
  return {
    missing,
    message: `Set the secret${missing.length > 1 ? "s" : ""} ${missing.join(" and ")} (each a long random string, e.g. openssl rand -base64 32): without ${them} no one can sign up or sign in, and no calendar feed opens.`,
  };
}
