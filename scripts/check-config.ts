// `npx tsx scripts/check-config.ts --env production`: refuses a deploy whose configuration the Worker would refuse
// at start-up (domain/video/config.ts for video, worker/middleware/startupCheck.ts `emailProblem` for email and
// `REQUIRED_KEYS` for the signing keys): the environment's vars and bindings from wrangler.toml plus the names of the
// secrets Cloudflare holds for it (`wrangler secret list`). Run by `npm run deploy` and by CI before every deploy.
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { unstable_readConfig } from "wrangler";
import { z } from "zod";
import { type VideoSettings, isLocalEnvironment, planVideo } from "../domain/video/config";

export type ConfigCheck = { ok: true; summary: string } | { ok: false; message: string; missing: string[] };

/** Checks one environment's configuration; `secretNames` lists the secrets set for it (values are never read). */
export async function checkDeployConfig(opts: { env: string | undefined; secretNames(env: string | undefined): Promise<string[]>; configPath?: string }): Promise<ConfigCheck> {
  const config = unstable_readConfig({ config: opts.configPath ?? "wrangler.toml", env: opts.env }, {});
  const vars = Object.fromEntries(Object.entries(config.vars ?? {}).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
  const names = await opts.secretNames(opts.env);
  const where = opts.env ?? "the default environment";
  // A secret's value is never read here, and the provider choice must be known: it belongs in wrangler.toml.
  if (names.includes("VIDEO_PROVIDER")) {
    return { ok: false, missing: ["VIDEO_PROVIDER"], message: `Refusing to deploy ${where}. VIDEO_PROVIDER is set as a secret; delete it and set it as a var of the environment in wrangler.toml.` };
  }
  const secrets = Object.fromEntries(names.map((name) => [name, "(set)"]));
  const settings: VideoSettings = { ...vars, ...secrets };
  const plan = planVideo(settings);
  if (!plan.ok) return { ok: false, missing: plan.missing, message: `Refusing to deploy ${where}. ${plan.message} (npx wrangler secret put <NAME>${opts.env ? ` --env ${opts.env}` : ""})` };
  const email = isLocalEnvironment(settings.ENVIRONMENT) ? null : emailProblem({ ...vars, ...secrets }, (config.send_email ?? []).some((b: { name: string }) => b.name === "EMAIL"));
  if (email) return { ok: false, missing: email.missing, message: `Refusing to deploy ${where}. ${email.message}` };
  const keys = isLocalEnvironment(settings.ENVIRONMENT) ? [] : REQUIRED_KEYS.filter((name) => !secrets[name] && !vars[name]?.trim());
  if (keys.length) return { ok: false, missing: keys, message: `Refusing to deploy ${where}. Set the secret${keys.length > 1 ? "s" : ""} ${keys.join(" and ")}: without them no one can sign up or sign in, and no calendar feed opens. (npx wrangler secret put <NAME>${opts.env ? ` --env ${opts.env}` : ""})` };
  const video = plan.provider === "realtimekit" ? "Cloudflare RealtimeKit" : `peer-to-peer${plan.turn ? " with TURN" : " (host candidates only)"}`;
  return { ok: true, summary: `${where}: video over ${video}${email === null && !isLocalEnvironment(settings.ENVIRONMENT) ? `, email over ${vars.EMAIL_PROVIDER}` : ""}` };
}

/**
 * What a deployed environment's email is missing, or null: the Worker's own start-up rule (worker/middleware/
 * startupCheck.ts `emailProblem`, which refuses to start without it), over the names set, never their values. A
 * secret is named, not read, so EMAIL_PROVIDER must be a var.
 */
function emailProblem(settings: Record<string, string>, hasEmailBinding: boolean): { missing: string[]; message: string } | null {
  const provider = settings.EMAIL_PROVIDER?.trim();
  if (provider === "http") {
    const missing = ["EMAIL_HTTP_URL", "EMAIL_HTTP_TOKEN"].filter((n) => !settings[n]?.trim());
    return missing.length ? { missing, message: `Email over HTTP needs ${missing.join(" and ")} (npx wrangler secret put <NAME>).` } : null;
  }
  if (provider === "cloudflare") return hasEmailBinding ? null : { missing: ["EMAIL"], message: 'Email through Cloudflare needs the send_email binding EMAIL (send_email = [{ name = "EMAIL" }]).' };
  return { missing: ["EMAIL_PROVIDER"], message: 'Set EMAIL_PROVIDER = "http" or "cloudflare" in the environment\'s vars: without it no email leaves, so no address can be confirmed.' };
}

/**
 * The signing keys the Worker refuses to start without outside local environments (worker/middleware/startupCheck.ts
 * `REQUIRED_KEYS`). Secrets, so only their names are checked.
 */
const REQUIRED_KEYS = ["SESSION_SIGNING_KEY", "FEED_TOKEN_SECRET"];

const SecretListSchema = z.array(z.object({ name: z.string() }).loose());

/** The names of the secrets Cloudflare holds for the Worker of `env`. */
async function wranglerSecretNames(env: string | undefined): Promise<string[]> {
  const r = spawnSync("npx", ["wrangler", "secret", "list", "--format", "json", ...(env ? ["--env", env] : [])], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`Could not list the secrets (is wrangler logged in, and does the Worker exist?):\n${r.stderr || r.stdout}`);
  return SecretListSchema.parse(JSON.parse(r.stdout.slice(r.stdout.indexOf("[")))).map((s) => s.name);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const at = process.argv.indexOf("--env");
  const env = at > -1 ? process.argv[at + 1] : undefined;
  const result = await checkDeployConfig({ env, secretNames: wranglerSecretNames }).catch((e: unknown) => ({ ok: false as const, message: String(e), missing: [] }));
  if (!result.ok) {
    console.error(`✖ ${result.message}`);
    process.exit(1);
  }
  console.log(`✔ configuration: ${result.summary}`);
}
