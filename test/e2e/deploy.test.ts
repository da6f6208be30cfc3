import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

/** Runs `wrangler deploy --dry-run` (no network): the bundle must build and every binding must resolve. */
function dryRun(env?: string) {
  const outdir = mkdtempSync(join(tmpdir(), "tutorly-dry-run-"));
  const r = spawnSync("npx", ["wrangler", "deploy", "--dry-run", "--outdir", outdir, ...(env ? ["--env", env] : [])], {
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
  });
  const bindings = new Set([...r.stdout.matchAll(/^env\.([A-Z_]+)/gm)].map((m) => m[1]!));
  const bytes = readdirSync(outdir).reduce((sum, f) => sum + statSync(join(outdir, f)).size, 0);
  return { status: r.status, output: r.stdout + r.stderr, bindings, bytes };
}

describe("deploying", () => {
  const base = dryRun();

  it.each(["staging", "production"])("the %s bundle builds and has every binding of the base config", (env) => {
    const run = dryRun(env);
    expect(run.status, run.output).toBe(0);
    for (const b of base.bindings) expect(run.bindings, `${env} lacks ${b}`).toContain(b);
    expect(run.output).toMatch(new RegExp(`ENVIRONMENT \\("${env}"\\)`));
    expect(run.bytes).toBeLessThan(10 * 1024 * 1024);
  });

  it("the CI workflow tests with the README's command, then migrates and deploys staging before production", () => {
    const wf = parse(readFileSync(".github/workflows/ci.yml", "utf8")) as { on: unknown; jobs: Record<string, { needs?: string; steps: { run?: string; env?: Record<string, string> }[]; environment?: string }> };
    expect(Object.keys(wf.jobs)).toEqual(["test", "deploy-staging", "deploy-production"]);
    const runs = (job: string) => wf.jobs[job]!.steps.map((s) => s.run ?? "").join("\n");
    expect(runs("test")).toMatch(/^npm ci$/m);
    expect(runs("test")).toMatch(/^npm test$/m);
    for (const [job, env] of [["deploy-staging", "staging"], ["deploy-production", "production"]] as const) {
      const text = runs(job);
      const migrate = text.indexOf(`npx wrangler d1 migrations apply DB --remote --env ${env}`);
      const deploy = text.indexOf(`npx wrangler deploy --env ${env}`);
      expect(migrate).toBeGreaterThan(-1);
      expect(deploy).toBeGreaterThan(migrate);
      const secrets = wf.jobs[job]!.steps.filter((s) => s.run?.includes("wrangler")).map((s) => s.env?.CLOUDFLARE_API_TOKEN);
      expect(secrets.every((s) => s === "${{ secrets.CLOUDFLARE_API_TOKEN }}")).toBe(true);
    }
    expect(wf.jobs["deploy-production"]!.needs).toBe("deploy-staging");
    expect(wf.jobs["deploy-production"]!.environment).toBe("production");
  });

  it("the README gives the commands CI runs", () => {
    const readme = readFileSync("README.md", "utf8");
    expect(readme).toContain("npm install && npm run dev");
    expect(readme).toContain("npm test");
    expect(readFileSync(".ci/run", "utf8")).toMatch(/^npm test$/m);
  });
});
