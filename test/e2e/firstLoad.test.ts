import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { firstLoadJs } from "../../scripts/bench/firstLoad";

// The built SPA (npm test builds it before this project runs). Sizes are deterministic, so unlike speed they can
// be asserted; `npm run bench` prints the figure.
const BUDGET_GZIP_BYTES = 60 * 1024;
const js = (files: string[]) => files.filter((f) => f.endsWith(".js")).map((f) => readFileSync(`dist/client/${f}`, "utf8"));
// zod keeps its class names as strings through minification.
const carriesZod = (code: string) => code.includes('"ZodObject"');

describe("the first load (landing, search, a tutor's page)", () => {
  it("stays within 60 KB of JavaScript gzip and brings no zod (the live socket's close codes once pulled it in)", () => {
    const { files, gzip } = firstLoadJs();
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
    expect(js(files).filter(carriesZod)).toEqual([]);
  });

  it("leaves the room and the messages to load with their routes", () => {
    const first = new Set(firstLoadJs().files);
    for (const route of ["src/routes/SessionRoom.tsx", "src/routes/Messages.tsx"]) {
      const own = firstLoadJs("dist/client", [route]).files.filter((f) => !first.has(f));
      expect(own.length, route).toBeGreaterThan(0);
    }
  });
});
