// `npm run deploy [-- --env production]`: check the configuration (the Worker would refuse to start without a
// complete one), build the SPA, apply D1 migrations remotely, deploy the Worker.
import { spawnSync } from "node:child_process";

const extra = process.argv.slice(2);
const run = (cmd, args) => {
  console.log(`\n▶ ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run("npx", ["tsx", "scripts/check-config.ts", ...extra]);
run("npm", ["run", "build"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--remote", ...extra]);
run("npx", ["wrangler", "deploy", ...extra]);
