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
step("tests", "npx", ["vitest", "run", ...process.argv.slice(2)]);
