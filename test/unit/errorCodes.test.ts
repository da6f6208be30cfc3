import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../../domain/i18n/locales";
import { type Tree, lookup } from "../../domain/i18n/translate";

/**
 * Every error `code` the server can answer with has a sentence in every language's `errors` catalog
 * (web/src/i18n/catalogs/<language>/errors.ts), which `messageOf` (web/src/lib/api.ts) says instead of the
 * server's English. The list of codes is read from the source, so a code added anywhere fails here until it is
 * translated: the code argument of `new ApiError(status, code, …)`, `refuse(status, code, …)` (a room's
 * refusals; a `refuse` without a status is a config check, not an answer), `fail(code, …)` (a calendar's outcomes) and `errorBody(code, …)`, and the failures written as
 * `{ ok: false, code: … }` values or types (wallet, offers, notes, whiteboard, conversations), which routes pass on.
 */
const root = resolve(import.meta.dirname, "../..");
const SOURCES = ["worker", "durable-objects", "platform", "domain"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") && !path.endsWith(".test.ts") && !path.endsWith(".d.ts") ? [path] : [];
  });
}

const SNAKE = /"([a-z]+(?:_[a-z]+)*)"/g;

/** The text of argument `index` of the call whose "(" is at `open` (nested brackets and strings skipped). */
function argument(text: string, open: number, index: number): string {
  let depth = 0;
  let arg = 0;
  let start = open + 1;
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      const end = text.indexOf(ch, i + 1);
      i = end < 0 ? text.length : end;
    } else if ("([{".includes(ch)) depth++;
    else if (")]}".includes(ch)) {
      if (depth === 0) return arg === index ? text.slice(start, i) : "";
      depth--;
    } else if (ch === "," && depth === 0) {
      if (arg === index) return text.slice(start, i);
      arg++;
      start = i + 1;
    }
  }
  return "";
}

/** The call forms that carry a code, and which argument it is. */
const CALLS: [RegExp, number][] = [
  [/new ApiError\(/g, 1],
  [/\brefuse\(\s*\d/g, 1],
  [/\bfail\(/g, 0],
  [/\berrorBody\(/g, 0],
];
/** Failures as values or types: `ok: false, code: "x"`, `ok: false; code: "x" | "y"`, `error: { code: "x"`. */
const SHAPES = [/ok: false(?: as const)?[,;]\s*code: ((?:"[a-z_]+"(?: \| )?)+)/g, /error: \{ code: ("[a-z_]+")/g];

function serverErrorCodes(): Map<string, string> {
  const codes = new Map<string, string>();
  const add = (text: string, file: string) => {
    for (const m of text.matchAll(SNAKE)) if (!codes.has(m[1]!)) codes.set(m[1]!, file.slice(root.length + 1));
  };
  for (const file of SOURCES.flatMap((d) => sourceFiles(join(root, d)))) {
    const text = readFileSync(file, "utf8");
    for (const [call, index] of CALLS) for (const m of text.matchAll(call)) add(argument(text, text.indexOf("(", m.index), index), file);
    for (const shape of SHAPES) for (const m of text.matchAll(shape)) add(m[1]!, file);
  }
  return codes;
}

const catalog = async (lang: string): Promise<Tree> => (await import(`../../web/src/i18n/catalogs/${lang}/errors.ts`)).default;

describe("the server's error codes in every language", () => {
  const codes = serverErrorCodes();

  it("reads the codes from the source, each call form and failure shape included", () => {
    // One of each form: ApiError, a failure written over several lines, a ternary inside fail(), refuse(),
    // errorBody(), an `ok: false` union type.
    for (const code of ["rate_limited", "outside_session_window", "too_late_to_reschedule", "already_started", "invalid_ticket", "internal_error", "notes_stale", "promo_cap", "too_many_viewers"]) expect(codes.has(code), code).toBe(true);
    // Not codes: status words and other string arguments.
    for (const other of ["usd", "processed", "missing_in_journal", "realtimekit"]) expect(codes.has(other), other).toBe(false);
  });

  for (const lang of LANGUAGES) {
    it(`has a sentence for every code in ${lang}`, async () => {
      const errors = await catalog(lang);
      const missing = [...codes].filter(([code]) => typeof lookup(errors, `codes.${code}`) !== "string").map(([code, file]) => `${code} (${file})`);
      expect(missing).toEqual([]);
    });
  }
});
