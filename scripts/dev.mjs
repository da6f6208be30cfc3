// `npm run dev`: the whole product on this machine — local D1 with migrations, demo data (seeded by the
// Worker on its first request), Durable Objects, and the SPA rebuilt on change, served by `wrangler dev`.
//
// Wrangler restarts the Worker whenever dist/client changes, and a request in flight during a restart is lost
// (a POST gets 503 "Your worker restarted mid-request"). So the SPA watcher makes its first build BEFORE
// wrangler starts: once the app answers, it only restarts when a source file is edited.
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, rmSync } from "node:fs";
import { build } from "vite";

const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("Created .dev.vars from .dev.vars.example");
}
// Where local D1, Durable Objects and R2 keep their data (wrangler's default unless TUTORLY_PERSIST_TO is set).
const persist = process.env.TUTORLY_PERSIST_TO ? ["--persist-to", process.env.TUTORLY_PERSIST_TO] : [];
run("npx", ["tsc", "-p", "tsconfig.rpc.json"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", ...persist]);

// The headers of this build allow wrangler's live reload script (vite.config.ts); deploys never set this.
process.env.TUTORLY_LIVE_RELOAD = "1";
rmSync("dist/client", { recursive: true, force: true });
let firstBuild;
const built = new Promise((resolve) => (firstBuild = resolve));
const watcher = await build({
  logLevel: "warn",
  // Rebuilds write in place (never emptying dist/client), so wrangler always has the SPA to serve.
  build: { watch: {}, emptyOutDir: false },
  plugins: [{ name: "tutorly-first-build", closeBundle: () => firstBuild() }],
});
await built;
console.log("SPA built; starting wrangler…");

const port = process.env.PORT ?? "8787";
const wrangler = spawn("npx", ["wrangler", "dev", "--port", port, "--ip", "127.0.0.1", "--live-reload", ...persist], {
  stdio: "inherit",
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false" },
});
console.log(`\nTutorly is starting on http://localhost:${port} (demo accounts are listed in README.md)\n`);
const stop = () => {
  void watcher.close?.();
  wrangler.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
wrangler.on("exit", (code) => {
  void watcher.close?.();
  process.exit(code ?? 0);
});
