// `npm run dev`: the whole product on this machine — local D1 with migrations, demo data (seeded by the
// Worker on its first request), Durable Objects, and the SPA rebuilt on change, served by `wrangler dev`.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example");
}
run("npx", ["tsc", "-p", "tsconfig.rpc.json"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);
run("npx", ["vite", "build", "--logLevel", "warn"]);

const port = process.env.PORT ?? "8787";
const children = [
  // Rebuilds in place (never emptying dist/client), so wrangler always has the SPA to serve while it rebuilds.
  spawn("npx", ["vite", "build", "--watch", "--emptyOutDir=false", "--logLevel", "warn"], { stdio: "inherit" }),
  spawn("npx", ["wrangler", "dev", "--port", port, "--ip", "127.0.0.1", "--live-reload"], {
    stdio: "inherit",
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  }),
];
console.log(`\nTutorly is starting on http://localhost:${port} (demo accounts are listed in README.md)\n`);
const stop = () => children.forEach((c) => c.kill("SIGTERM"));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const c of children) c.on("exit", (code) => { stop(); process.exitCode = code ?? 0; });
