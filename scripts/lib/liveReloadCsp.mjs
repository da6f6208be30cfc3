// The content security policy of `npm run dev`: the production policy (web/public/_headers) plus the hash of the
// one inline script wrangler's `--live-reload` appends to every HTML response, so live reload runs in development
// while production keeps `script-src 'self'` with nothing inline allowed.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The text of the script wrangler injects (wrangler-dist/ProxyWorker.js, `liveReloadScript`), with its two
 * constants filled in as wrangler does. Throws when this wrangler no longer has it, so a wrangler update that
 * changes live reload fails the dev start loudly instead of a silent CSP block in the browser.
 */
export function liveReloadScriptText() {
  const wranglerDir = dirname(createRequire(import.meta.url).resolve("wrangler/package.json"));
  const source = readFileSync(join(wranglerDir, "wrangler-dist", "ProxyWorker.js"), "utf8");
  const constant = (name) => source.match(new RegExp(`var ${name} = "([^"]*)";`))?.[1];
  const template = source.match(/var liveReloadScript = `([\s\S]*?)`;/)?.[1];
  const pathname = constant("LIVE_RELOAD_PATHNAME");
  const protocol = constant("LIVE_RELOAD_PROTOCOL");
  if (!template || !pathname || !protocol) throw new Error("wrangler's live reload script was not found in wrangler-dist/ProxyWorker.js");
  const html = template.replace("${LIVE_RELOAD_PATHNAME}", pathname).replace("${LIVE_RELOAD_PROTOCOL}", protocol);
  const body = html.match(/<script[^>]*>([\s\S]*)<\/script>/)?.[1];
  if (body === undefined) throw new Error("wrangler's live reload snippet has no <script> element");
  return body;
}

/** `'sha256-…'` of a script's text, as a CSP source expression. */
export const cspHash = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The `_headers` file with the live reload script allowed by hash in `script-src` (and nothing else changed). */
export function withLiveReload(headers) {
  const hash = cspHash(liveReloadScriptText());
  let found = false;
  const out = headers.replace(/(Content-Security-Policy:[^\n]*?script-src 'self')/, (m) => {
    found = true;
    return `${m} ${hash}`;
  });
  if (!found) throw new Error("_headers has no Content-Security-Policy with script-src 'self'");
  return out;
}
