import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { serviceWorker } from "./scripts/serviceWorker";

// The SPA is built to dist/client and served by Workers static assets (see wrangler.toml [assets]).
export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [solid(), serviceWorker()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
    // dist/client/.vite/manifest.json: which chunks each route loads (the bench measures first-load JS from it).
    manifest: true,
  },
});
