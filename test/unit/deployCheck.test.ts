import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDeployConfig } from "../../scripts/check-config";
import { startupProblem } from "../../platform/deployRequirements";

const BASE_SECRETS = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICES", "FEED_TOKEN_SECRET", "SESSION_SIGNING_KEY", "EMAIL_HTTP_TOKEN"];
const check = (env: string | undefined, secrets: string[]) => checkDeployConfig({ env, secretNames: async () => secrets });

describe("npm run deploy's configuration check", () => {
  it("refuses a production deploy without video, naming the secrets to set", async () => {
    const result = await check("production", BASE_SECRETS);
    expect(result).toMatchObject({ ok: false, missing: ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"] });
    expect(!result.ok && result.message).toMatch(/^Refusing to deploy production\. Video is not configured: set REALTIME_ACCOUNT_ID, REALTIME_APP_ID and REALTIME_API_TOKEN .* --env production\)$/);
  });

  it("refuses staging with RealtimeKit half set", async () => {
    expect(await check("staging", [...BASE_SECRETS, "REALTIME_ACCOUNT_ID", "REALTIME_API_TOKEN"])).toMatchObject({ ok: false, missing: ["REALTIME_APP_ID"] });
  });

  it("accepts production with the RealtimeKit secrets", async () => {
    expect(await check("production", [...BASE_SECRETS, "REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"])).toEqual({ ok: true, summary: "production: video over Cloudflare RealtimeKit, email over http" });
  });

  it("accepts production choosing peer-to-peer (a var in wrangler.toml) with a TURN key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tutorly-config-"));
    const path = join(dir, "wrangler.toml");
    writeFileSync(path, `name = "t"\nmain = "worker.ts"\ncompatibility_date = "2026-10-01"\n[env.production]\nvars = { ENVIRONMENT = "production", APP_URL = "https://tutorly.example", VIDEO_PROVIDER = "p2p", EMAIL_PROVIDER = "cloudflare", EMAIL_FROM = "Tutorly <no-reply@tutorly.example>" }\nsend_email = [{ name = "EMAIL" }]\n`);
    const result = await checkDeployConfig({ env: "production", configPath: path, secretNames: async () => [...BASE_SECRETS, "REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"] });
    expect(result).toEqual({ ok: true, summary: "production: video over peer-to-peer with TURN, email over cloudflare" });
    const withoutTurn = await checkDeployConfig({ env: "production", configPath: path, secretNames: async () => BASE_SECRETS });
    expect(withoutTurn).toMatchObject({ ok: false, missing: ["REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"] });
  });

  it("refuses VIDEO_PROVIDER set as a secret (its value cannot be checked)", async () => {
    expect(await check("production", [...BASE_SECRETS, "VIDEO_PROVIDER", "REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"])).toMatchObject({ ok: false, missing: ["VIDEO_PROVIDER"] });
  });

  it("refuses a deployed environment whose email provider is missing or incomplete (no address could be confirmed)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tutorly-config-"));
    const at = (vars: string) => {
      const path = join(dir, `${Math.random().toString(36).slice(2)}.toml`);
      writeFileSync(path, `name = "t"\nmain = "worker.ts"\ncompatibility_date = "2026-10-01"\n[env.production]\nvars = { ENVIRONMENT = "production", APP_URL = "https://tutorly.example", EMAIL_FROM = "Tutorly <no-reply@tutorly.example>"${vars} }\n`);
      return path;
    };
    const VIDEO = ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"];
    const STRIPE = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICES", "FEED_TOKEN_SECRET", "SESSION_SIGNING_KEY"];
    const run = (vars: string, secrets: string[]) => checkDeployConfig({ env: "production", configPath: at(vars), secretNames: async () => [...STRIPE, ...VIDEO, ...secrets] });
    const none = await run("", []);
    expect(none).toMatchObject({ ok: false, missing: ["EMAIL_PROVIDER"] });
    expect(!none.ok && none.message).toMatch(/^Refusing to deploy production\. .*EMAIL_PROVIDER/);
    expect(await run(', EMAIL_PROVIDER = "outbox"', [])).toMatchObject({ ok: false, missing: ["EMAIL_PROVIDER"] });
    expect(await run(', EMAIL_PROVIDER = "http"', [])).toMatchObject({ ok: false, missing: ["EMAIL_HTTP_URL", "EMAIL_HTTP_TOKEN"] });
    expect(await run(', EMAIL_PROVIDER = "http", EMAIL_HTTP_URL = "https://api.resend.com/emails"', ["EMAIL_HTTP_TOKEN"])).toMatchObject({ ok: true });
    expect(await run(', EMAIL_PROVIDER = "cloudflare"', [])).toMatchObject({ ok: false, missing: ["EMAIL"] });
  });

  it("refuses a deployed environment without its signing keys (no one could sign up or in, no calendar feed would open)", async () => {
    const VIDEO = ["REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"];
    const without = (name: string) => check("production", [...BASE_SECRETS, ...VIDEO].filter((n) => n !== name));
    expect(await without("SESSION_SIGNING_KEY")).toMatchObject({ ok: false, missing: ["SESSION_SIGNING_KEY"] });
    const feeds = await without("FEED_TOKEN_SECRET");
    expect(feeds).toMatchObject({ ok: false, missing: ["FEED_TOKEN_SECRET"] });
    expect(!feeds.ok && feeds.message).toMatch(/^Refusing to deploy production\. .*FEED_TOKEN_SECRET.*--env production\)$/);
  });

  it("accepts the repository's staging and production environments once their secrets are set", async () => {
    const secrets = [...BASE_SECRETS, "REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN", "DATA_ENCRYPTION_KEY", "SESSION_SIGNING_KEY"];
    for (const env of ["staging", "production"]) expect(await check(env, secrets)).toMatchObject({ ok: true });
  });

  it("lets the local (development) configuration through without secrets", async () => {
    expect(await check(undefined, [])).toEqual({ ok: true, summary: "the default environment: video over peer-to-peer (host candidates only)" });
  });

  it("runs before anything is built or deployed, in npm run deploy and in CI", () => {
    const script = readFileSync("scripts/deploy.mjs", "utf8");
    expect(script.indexOf("scripts/check-config.ts")).toBeGreaterThan(-1);
    expect(script.indexOf("scripts/check-config.ts")).toBeLessThan(script.indexOf('"build"'));
    const ci = readFileSync(".github/workflows/ci.yml", "utf8");
    for (const env of ["staging", "production"]) {
      const check = ci.indexOf(`npx tsx scripts/check-config.ts --env ${env}`);
      expect(check).toBeGreaterThan(-1);
      expect(check).toBeLessThan(ci.indexOf(`npx wrangler deploy --env ${env}`));
      expect(check).toBeLessThan(ci.indexOf(`npx wrangler d1 migrations apply DB --remote --env ${env}`));
    }
  });
});

describe("the deploy check and the Worker's start-up check agree", () => {
  const SECRETS = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICES", "FEED_TOKEN_SECRET", "DATA_ENCRYPTION_KEY", "SESSION_SIGNING_KEY", "EMAIL_HTTP_TOKEN", "REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"];
  /**
   * Both checks over the same production settings: the Worker's start-up verdict (worker/middleware/startupCheck.ts
   * answers 503 with it) over values, and the deploy check over wrangler.toml plus the secrets' names.
   */
  const both = async (vars: Record<string, string>) => {
    const path = join(mkdtempSync(join(tmpdir(), "tutorly-config-")), "wrangler.toml");
    writeFileSync(path, `name = "t"\nmain = "worker.ts"\ncompatibility_date = "2026-10-01"\n[env.production]\nvars = { ${Object.entries(vars).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join(", ")} }\n`);
    const workerEnv: Record<string, string> = { ...vars, ...Object.fromEntries(SECRETS.map((s) => [s, "set"])) };
    return { worker: startupProblem(workerEnv)?.missing ?? null, deploy: await checkDeployConfig({ env: "production", configPath: path, secretNames: async () => SECRETS }) };
  };
  const VARS = { ENVIRONMENT: "production", APP_URL: "https://tutorly.example", EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: "https://api.resend.com/emails", EMAIL_FROM: "Tutorly <no-reply@tutorly.example>" };

  it("refuses a deployed environment without APP_URL, which the Worker would answer 503 misconfigured", async () => {
    const { APP_URL: _url, ...vars } = VARS;
    const { worker, deploy } = await both(vars);
    expect(worker).toEqual(["APP_URL"]);
    expect(deploy).toMatchObject({ ok: false, missing: ["APP_URL"] });
  });

  it("refuses a deployed environment without EMAIL_FROM (providers refuse the unverified built-in sender), in both checks", async () => {
    const { EMAIL_FROM: _from, ...vars } = VARS;
    const { worker, deploy } = await both(vars);
    expect(worker).toEqual(["EMAIL_FROM"]);
    expect(deploy).toMatchObject({ ok: false, missing: ["EMAIL_FROM"] });
  });

  it("passes the same complete settings in both", async () => {
    const { worker, deploy } = await both(VARS);
    expect({ worker, deploy: deploy.ok }).toEqual({ worker: null, deploy: true });
  });
});
