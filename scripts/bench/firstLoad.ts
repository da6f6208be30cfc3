import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

type Chunk = { file: string; imports?: string[]; isEntry?: boolean; isDynamicEntry?: boolean; src?: string };

/**
 * JavaScript a visitor downloads to see the landing, search and tutor pages: the entry chunk and, for each
 * route module, its chunk — each with its static imports (lazy `import()`s are not counted).
 */
export function firstLoadJs(dist = "dist/client", routes = ["src/routes/Tutors.tsx", "src/routes/TutorProfile.tsx"]) {
  const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8")) as Record<string, Chunk>;
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const dep of chunk.imports ?? []) visit(dep);
  };
  visit("index.html");
  for (const r of routes) visit(r);
  let raw = 0;
  let gzip = 0;
  for (const f of files) {
    if (!f.endsWith(".js")) continue;
    const bytes = readFileSync(join(dist, f));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: [...files], raw, gzip };
}
