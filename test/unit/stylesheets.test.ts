import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Every stylesheet of the SPA, found under web/src. */
function stylesheets(dir = "web/src"): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? stylesheets(join(dir, e.name)) : e.name.endsWith(".css") ? [join(dir, e.name)] : []));
}

/**
 * Where a stylesheet's blocks do not close: an unclosed rule silently swallows every rule after it (the browser
 * reads them as nested selectors), which no build step reports. Comments and strings are skipped.
 */
function unclosedBlocks(css: string): number[] {
  const open: number[] = [];
  let line = 1;
  for (let i = 0; i < css.length; i++) {
    const ch = css[i]!;
    if (ch === "\n") line++;
    else if (ch === "/" && css[i + 1] === "*") {
      const end = css.indexOf("*/", i + 2);
      line += css.slice(i, end).split("\n").length - 1;
      i = end + 1;
    } else if (ch === '"' || ch === "'") i = css.indexOf(ch, i + 1);
    else if (ch === "{") open.push(line);
    else if (ch === "}" && open.pop() === undefined) return [-line];
  }
  return open;
}

describe("stylesheets", () => {
  it.each(stylesheets())("%s closes every block it opens", (file) => {
    expect(unclosedBlocks(readFileSync(file, "utf8")), "lines of blocks left open (negative: a stray })").toEqual([]);
  });
});
