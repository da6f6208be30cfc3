// `npm test`: typecheck, build the SPA, then every suite — domain (Node), worker (workerd), e2e (Chromium).
import { spawnSync } from "node:child_process";

const step = (title, cmd, args) => {
  console.log(`\n▶ ${title}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`✖ ${title} failed`);
    process.exit(r.status ?? 1);
  }
};

step("typecheck", "npm", ["run", "typecheck", "--silent"]);
step("build the SPA", "npx", ["vite", "build", "--logLevel", "warn"]);
const extra = process.argv.slice(2);
if (extra.length) step("tests", "npx", ["vitest", "run", ...extra]);
else {
  // The browser suite runs on its own: media and WebSocket timing suffer when it shares two cores with workerd.
  step("domain and worker tests", "npx", ["vitest", "run", "--project", "domain", "--project", "worker"]);
  step("browser tests", "npx", ["vitest", "run", "--project", "e2e"]);
}
