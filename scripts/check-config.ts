// `npx tsx scripts/check-config.ts --env production`: refuses a deploy whose configuration the Worker would refuse
// at start-up. Both apply the one list in platform/deployRequirements.ts, here over the environment's vars and
// bindings from wrangler.toml plus the names of the secrets Cloudflare holds for it (`wrangler secret list`). Run by
// `npm run deploy` and by CI before every deploy.
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { unstable_readConfig } from "wrangler";
import { z } from "zod";
import { planVideo } from "../domain/video/config";
import { deployProblems } from "../platform/deployRequirements";
import { isLocalEnvironment } from "../platform/environment";

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
  const settings: Record<string, string> = { ...vars, ...Object.fromEntries(names.map((name) => [name, "(set)"])) };
  const problems = deployProblems(settings, { emailBinding: (config.send_email ?? []).some((b: { name: string }) => b.name === "EMAIL") });
  const plan = planVideo(settings);
  // A local environment starts whatever its video settings, but one it cannot use (a typo) is still no deploy.
  if (!plan.ok && !problems.length) problems.push({ missing: plan.missing, message: plan.message });
  if (problems.length) {
    const how = `(vars go in the environment's vars in wrangler.toml; secrets: npx wrangler secret put <NAME>${opts.env ? ` --env ${opts.env}` : ""})`;
    return { ok: false, missing: problems.flatMap((p) => p.missing), message: `Refusing to deploy ${where}. ${problems.map((p) => p.message).join(" ")} ${how}` };
  }
  const video = !plan.ok ? "(not configured)" : plan.provider === "realtimekit" ? "Cloudflare RealtimeKit" : `peer-to-peer${plan.turn ? " with TURN" : " (host candidates only)"}`;
  return { ok: true, summary: `${where}: video over ${video}${isLocalEnvironment(settings) ? "" : `, email over ${settings.EMAIL_PROVIDER}`}` };
}

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
