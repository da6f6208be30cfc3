import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Plugin, build } from "vite";

type Chunk = { file: string; imports?: string[]; css?: string[] };

/** Pages whose code the service worker saves at install, so they open offline (others are saved on first use). */
const OFFLINE_ROUTES = ["src/routes/Tutors.tsx", "src/routes/TutorProfile.tsx", "src/routes/NotFound.tsx"];
/** Static files of the app shell (web/public). */
const STATIC = ["/", "/favicon.svg", "/manifest.webmanifest", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/badge-96.png"];

/** The app shell's URLs from the build manifest: the entry and the offline routes, with their imports and CSS. */
export function shellUrls(dist: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8")) as Record<string, Chunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit("index.html");
  for (const r of OFFLINE_ROUTES) visit(r);
  // The words of those pages in every language (a catalog is fetched before the first paint; offline too).
  for (const key of Object.keys(manifest)) if (/^src\/i18n\/catalogs\/\w+\/core\.ts$/.test(key)) visit(key);
  return [...STATIC, ...[...files].filter((f) => f !== "index.html").map((f) => `/${f}`)];
}

/**
 * Builds web/src/sw/sw.ts into dist/client/sw.js after each SPA build (one classic script, no chunks, so every
 * browser can run it), with the app shell's URLs and a version derived from them.
 */
export function serviceWorker(): Plugin {
  let outDir = "";
  return {
    name: "tutorly-service-worker",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle() {
      const shell = shellUrls(outDir);
      const version = createHash("sha256").update(shell.join("\n")).digest("hex").slice(0, 12);
      await build({
        configFile: false,
        logLevel: "warn",
        publicDir: false,
        define: { __SHELL__: JSON.stringify(shell), __VERSION__: JSON.stringify(version) },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: "es2022",
          sourcemap: false,
          minify: true,
          lib: { entry: join(import.meta.dirname, "../web/src/sw/sw.ts"), formats: ["iife"], name: "tutorlyServiceWorker", fileName: () => "sw.js" },
        },
      });
    },
  };
}
