import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Imports run one way: web → domain; worker → durable-objects → platform → domain. A layer may import
 * itself and the layers below it, never one above (README, "Layout").
 */
const root = resolve(import.meta.dirname, "../..");
const ALLOWED: Record<string, string[]> = {
  domain: ["domain"],
  platform: ["platform", "domain"],
  "durable-objects": ["durable-objects", "platform", "domain"],
  worker: ["worker", "durable-objects", "platform", "domain"],
  web: ["web", "domain", ".tmp"],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : sources(path);
    return /\.(ts|tsx)$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const layerOf = (path: string) => relative(root, path).split("/")[0]!;

function violations(layer: string): string[] {
  const out: string[] = [];
  for (const file of sources(join(root, layer))) {
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      // Raw fixtures (`?raw`) are data for tests, not code.
      if (m[1]!.endsWith("?raw")) continue;
      const target = layerOf(resolve(dirname(file), m[1]!));
      if (!ALLOWED[layer]!.includes(target)) out.push(`${relative(root, file)} → ${m[1]}`);
    }
  }
  return out;
}

describe("layers", () => {
  it.each(Object.keys(ALLOWED))("%s imports only itself and the layers below it", (layer) => {
    expect(violations(layer)).toEqual([]);
  });
});
