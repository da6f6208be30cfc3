import { checkUrl } from "../../../domain/ical/calendarAddress";
import { log } from "../../../platform/log";

/** What the server will spend on one outside calendar: bytes read, time for the whole download, redirect hops. */
export const DOWNLOAD_LIMITS = { maxBytes: 5 * 1024 * 1024, timeoutMs: 15_000, maxRedirects: 5 } as const;
export type DownloadLimits = { maxBytes: number; timeoutMs: number; maxRedirects: number };

/** What the last full download said about its version, sent back so that an unchanged calendar costs a 304. */
export type Validators = { etag: string | null; lastModified: string | null };

export type Download = { changed: false } | { changed: true; text: string; validators: Validators };

/**
 * A failure the tutor may read. Messages are fixed sentences: what the other server answered (its status, its
 * body, its headers) is never shown, so the sync cannot be used to read or probe other servers.
 */
export class DownloadError extends Error {}

const FAILED = {
  unreachable: "The calendar address could not be reached.",
  timeout: "The calendar address did not answer in time.",
  refused: "The calendar's server did not hand over the calendar. If you reset or unshared it, add its new address.",
  redirect: "The calendar address sends us somewhere else; add the address it finally leads to.",
  tooLarge: `The calendar is larger than ${DOWNLOAD_LIMITS.maxBytes / 1024 / 1024} MB.`,
  notAllowed: "This address is not allowed (it is not a public https address); add the calendar again with its public address.",
} as const;

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/**
 * Downloads an outside calendar. Redirects are followed by hand, each hop checked like the address itself and
 * kept on the same host over https; the body is read as a stream and abandoned past `maxBytes`; one deadline
 * covers connecting, redirects and the body. A 304 to the conditional request means "unchanged".
 */
export async function downloadCalendar(address: string, validators: Validators | null, limits: DownloadLimits = DOWNLOAD_LIMITS): Promise<Download> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const first = checkUrl(address);
  if (!first.ok) throw new DownloadError(FAILED.notAllowed);
  let url = first.url;
  for (let hop = 0; ; hop++) {
    const res = await request(url, validators, deadline);
    if (res.status === 304 && validators) return { changed: false };
    if (REDIRECT.has(res.status)) {
      await res.body?.cancel();
      const next = nextHop(url, res.headers.get("Location"));
      if (!next || hop >= limits.maxRedirects) {
        log.warn("outside calendar redirect refused", { host: url.hostname, to: next ? "too many hops" : "another host or scheme" });
        throw new DownloadError(FAILED.redirect);
      }
      url = next;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      log.info("outside calendar refused", { host: url.hostname, status: res.status });
      throw new DownloadError(FAILED.refused);
    }
    const text = await readCapped(res, limits.maxBytes, deadline);
    return { changed: true, text, validators: { etag: header(res, "ETag"), lastModified: header(res, "Last-Modified") } };
  }
}

async function request(url: URL, validators: Validators | null, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: "text/calendar, */*;q=0.5", "User-Agent": "Tutorly calendar sync" };
  if (validators?.etag) headers["If-None-Match"] = validators.etag;
  if (validators?.lastModified) headers["If-Modified-Since"] = validators.lastModified;
  try {
    return await fetch(url.href, { headers, redirect: "manual", signal });
  } catch (e) {
    throw new DownloadError(signal.aborted ? FAILED.timeout : FAILED.unreachable);
  }
}

/** Where a redirect leads, when it stays on the same host over https and passes the address check; else null. */
function nextHop(from: URL, location: string | null): URL | null {
  if (!location || !URL.canParse(location, from.href)) return null;
  const to = checkUrl(new URL(location, from).href);
  return to.ok && to.url.hostname === from.hostname ? to.url : null;
}

/** The body as text, read chunk by chunk: past `max` bytes (or the deadline) the stream is cancelled. */
async function readCapped(res: Response, max: number, deadline: AbortSignal): Promise<string> {
  if (Number(res.headers.get("Content-Length") ?? 0) > max) {
    await res.body?.cancel();
    throw new DownloadError(FAILED.tooLarge);
  }
  if (!res.body) return "";
  const reader = res.body.getReader();
  const timedOut = new Promise<never>((_, reject) => {
    const fail = () => reject(new DownloadError(FAILED.timeout));
    if (deadline.aborted) fail();
    else deadline.addEventListener("abort", fail, { once: true });
  });
  timedOut.catch(() => {});
  const decoder = new TextDecoder("utf-8");
  let text = "";
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), timedOut]);
      if (done) return text + decoder.decode();
      size += value.byteLength;
      if (size > max) throw new DownloadError(FAILED.tooLarge);
      text += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    await reader.cancel().catch(() => {});
    if (e instanceof DownloadError) throw e;
    throw new DownloadError(deadline.aborted ? FAILED.timeout : FAILED.unreachable);
  }
}

/** A validator header, kept only when it is short and printable (it is sent back verbatim). */
function header(res: Response, name: string): string | null {
  const v = res.headers.get(name);
  return v && v.length <= 200 && /^[\x20-\x7e]+$/.test(v) ? v : null;
}
