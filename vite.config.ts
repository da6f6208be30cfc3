import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Plugin, defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { serviceWorker } from "./scripts/serviceWorker";
import { withLiveReload } from "./scripts/lib/liveReloadCsp.mjs";

/**
 * `npm run dev` builds with TUTORLY_LIVE_RELOAD=1: the copied `_headers` then also allows wrangler's live reload
 * script (by its hash). Every other build, and so every deploy, keeps the production policy untouched.
 */
function devHeaders(): Plugin {
  let outDir = "";
  return {
    name: "tutorly-dev-headers",
    apply: "build",
    configResolved: (c) => void (outDir = resolve(c.root, c.build.outDir)),
    writeBundle() {
      if (process.env.TUTORLY_LIVE_RELOAD !== "1") return;
      const file = `${outDir}/_headers`;
      writeFileSync(file, withLiveReload(readFileSync(file, "utf8")));
    },
  };
}

// The SPA is built to dist/client and served by Workers static assets (see wrangler.toml [assets]).
export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [solid(), devHeaders(), serviceWorker()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // dist/client/.vite/manifest.json: which chunks each route loads (the bench measures first-load JS from it).
    manifest: true,
  },
});
