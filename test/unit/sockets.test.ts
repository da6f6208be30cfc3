import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * A socket's attachment carries its rate counter beside the object's own state (durable-objects/lib/socketLimits.ts).
 * An object that wrote the attachment itself would drop the counter (a flood of room `media` messages once went
 * unlimited that way), so only that module may.
 */
const root = resolve(import.meta.dirname, "../..");
const OWNER = "durable-objects/lib/socketLimits.ts";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("socket attachments", () => {
  it("are written and read only through durable-objects/lib/socketLimits.ts", () => {
    const offenders = ["durable-objects", "worker", "platform"]
      .flatMap((layer) => sources(join(root, layer)))
      .filter((file) => relative(root, file) !== OWNER && /\b(serializeAttachment|deserializeAttachment)\s*\(/.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
