import { hc } from "hono/client";
import type { AppType } from "../../../.tmp/rpc/worker/api";
import { isPlainKey, t } from "../i18n";
import { locale } from "../i18n/state";

/**
 * The typed client for every /api route (types come from the Worker's route table). It says the language picked in
 * the app, not only the browser's: the server answers a signed-out visitor's refusals in it (a signed-in account's
 * stored language comes first there).
 */
export const api = hc<AppType>("/api", { init: { credentials: "same-origin" }, headers: () => ({ "Accept-Language": locale() }) });

export type FieldIssue = { path: string; message: string };

/** A failed API call, carrying the server's error envelope. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * Awaits an `hc` call and returns its JSON, or throws `ApiFailure` with the envelope's code and message. The
 * result type is read off the response's `json()`, so a route whose responses are a union (a handler plus a
 * middleware that may answer 429) still types as its success body.
 */
export async function call<R extends { json(): Promise<unknown> }>(request: Promise<R>): Promise<Awaited<ReturnType<R["json"]>>> {
  return (await callWithAge(request)).body;
}

/** The service worker's header on a saved copy it answered with while offline (web/src/sw/sw.ts). */
export const SAVED_AT_HEADER = "X-Tutorly-Saved-At";

/**
 * `call`, also saying when the answer is a saved copy the service worker gave while offline (`savedAt`, the
 * instant it was saved), so a page can say so and turn off what needs the server.
 */
export async function callWithAge<R extends { json(): Promise<unknown> }>(request: Promise<R>): Promise<{ body: Awaited<ReturnType<R["json"]>>; savedAt: string | null }> {
  type T = Awaited<ReturnType<R["json"]>>;
  let res: Response;
  try {
    res = (await request) as unknown as Response;
  } catch {
    throw new ApiFailure(0, "network_error", t("core.errors.network"));
  }
  const savedAt = res.headers.get(SAVED_AT_HEADER);
  if (res.status === 204) return { body: undefined as T, savedAt };
  const body = (await res.json().catch(() => null)) as any;
  if (!res.ok) {
    const err = body?.error;
    throw new ApiFailure(res.status, err?.code ?? "unknown_error", err?.message ?? t("core.errors.requestFailed", { status: res.status }), err?.issues ?? []);
  }
  return { body: body as T, savedAt };
}

/** What the SPA says for a server error code (an answer's or a socket's), or `fallback` while the catalog is on its way. */
export function codeMessage(code: string, fallback: string): string {
  const key = `errors.codes.${code}`;
  return isPlainKey(key) ? t(key) : fallback;
}

/**
 * A sentence fit to show a user for any thrown value, in the viewer's language: a server error is said from its
 * code (the `errors` catalog, fetched after the first paint; test/unit/errorCodes.test.ts keeps it complete
 * against the server's source). The server's English stands in only while that catalog is on its way.
 */
export const messageOf = (e: unknown) => {
  if (e instanceof ApiFailure) return e.code === "network_error" ? t("core.errors.network") : codeMessage(e.code, e.message);
  return e instanceof Error ? e.message : t("core.errors.generic");
};
