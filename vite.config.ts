import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// The SPA is built to dist/client and served by Workers static assets (see wrangler.toml [assets]).
export default defineConfig({
  root: "web",
  publicDir: "public",
  plugins: [solid()],
  build: {
    outDir: "../dist/client",
    emptyOutDir: true,
    target: "es2022",
    sourcemap: true,
  },
});
