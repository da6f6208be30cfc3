import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkDeployConfig } from "../../scripts/check-config";

const BASE_SECRETS = ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_PRICES", "FEED_TOKEN_SECRET"];
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
    expect(await check("production", [...BASE_SECRETS, "REALTIME_ACCOUNT_ID", "REALTIME_APP_ID", "REALTIME_API_TOKEN"])).toEqual({ ok: true, summary: "production: video over Cloudflare RealtimeKit" });
  });

  it("accepts production choosing peer-to-peer (a var in wrangler.toml) with a TURN key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tutorly-config-"));
    const path = join(dir, "wrangler.toml");
    writeFileSync(path, `name = "t"\nmain = "worker.ts"\ncompatibility_date = "2026-10-01"\n[env.production]\nvars = { ENVIRONMENT = "production", VIDEO_PROVIDER = "p2p" }\n`);
    const result = await checkDeployConfig({ env: "production", configPath: path, secretNames: async () => [...BASE_SECRETS, "REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"] });
    expect(result).toEqual({ ok: true, summary: "production: video over peer-to-peer with TURN" });
    const withoutTurn = await checkDeployConfig({ env: "production", configPath: path, secretNames: async () => BASE_SECRETS });
    expect(withoutTurn).toMatchObject({ ok: false, missing: ["REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"] });
  });

  it("refuses VIDEO_PROVIDER set as a secret (its value cannot be checked)", async () => {
    expect(await check("production", [...BASE_SECRETS, "VIDEO_PROVIDER", "REALTIME_TURN_KEY_ID", "REALTIME_TURN_KEY_API_TOKEN"])).toMatchObject({ ok: false, missing: ["VIDEO_PROVIDER"] });
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
