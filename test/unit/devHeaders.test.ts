import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cspHash, liveReloadScriptText, withLiveReload } from "../../scripts/lib/liveReloadCsp.mjs";

const production = readFileSync("web/public/_headers", "utf8");
const csp = (headers: string) => headers.match(/Content-Security-Policy: (.*)/)![1]!;

describe("the content security policy of npm run dev", () => {
  it("allows exactly wrangler's live reload script by its hash, and changes nothing else", () => {
    const dev = withLiveReload(production);
    const hash = cspHash(liveReloadScriptText());
    expect(csp(dev)).toContain(`script-src 'self' ${hash};`);
    expect(dev.replace(` ${hash}`, "")).toBe(production);
  });

  it("is never what production serves: the shipped _headers allow no inline script", () => {
    expect(csp(production)).toMatch(/script-src 'self';/);
    expect(csp(production)).not.toMatch(/unsafe-inline'[^;]*;?\s*$|script-src[^;]*(sha256|unsafe-inline)/);
  });
});
