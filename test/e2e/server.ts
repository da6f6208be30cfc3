import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launch } from "./browser";

/** `pid`: the `wrangler dev` process (its runtimes are its children). */
export type DevServer = { url: string; pid: number; stop(): Promise<void>; logs(): string };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/**
 * Starts the real app (`wrangler dev` over the built SPA in dist/client) on a free port with its own
 * empty local state: migrations applied, demo data seeded by the Worker on first request.
 */
export async function startDevServer(vars: Record<string, string> = {}, opts: { seedSqlFile?: string } = {}): Promise<DevServer> {
  const state = mkdtempSync(join(tmpdir(), "tutorly-e2e-"));
  const migrate = spawnSync("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state], { encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
  if (opts.seedSqlFile) {
    const seed = spawnSync("npx", ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", state, "--file", opts.seedSqlFile], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (seed.status !== 0) throw new Error(`seeding failed:\n${seed.stdout}\n${seed.stderr}`);
  }
  const port = await freePort();
  const varArgs = Object.entries({ DEMO_ADMIN_EMAIL: "admin@tutorly.dev", DEMO_ADMIN_PASSWORD: "tutorly-admin", ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  let output = "";
  const child: ChildProcess = spawn(
    "npx",
    ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state, "--inspector-port", String(await freePort()), ...varArgs],
    { env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/api/tutors/none`);
      if (res.status === 404) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`wrangler dev did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 300));
  }
  return {
    url,
    pid: child.pid!,
    logs: () => output,
    async stop() {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        /* already gone */
      }
      await new Promise((r) => setTimeout(r, 300));
      rmSync(state, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the app and a browser before a test file's tests and stops both after them; `ready` receives them.
 * Usage: `let server: DevServer; let browser: Browser; useApp((s, b) => ((server = s), (browser = b)));`
 */
export function useApp(ready: (server: DevServer, browser: Browser) => void, vars: Record<string, string> = {}) {
  let server: DevServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startDevServer(vars);
    browser = await launch();
    ready(server, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
}
