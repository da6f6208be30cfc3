import { hc } from "hono/client";
import type { AppType } from "../../../.tmp/rpc/worker/api";
import { type PlainKey, t } from "../i18n";

/** The typed client for every /api route (types come from the Worker's route table). */
export const api = hc<AppType>("/api", { init: { credentials: "same-origin" } });

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

/**
 * What the SPA says for an API error code, in the viewer's language. The server's `message` is English (and may
 * carry details such as a time); a code listed here is said from the catalog instead, so the refusals people meet
 * most read in their language. Codes not listed keep the server's sentence.
 */
const CODE_MESSAGES: Record<string, PlainKey> = {
  network_error: "core.errors.network",
  unauthenticated: "core.errors.codes.unauthenticated",
  rate_limited: "core.errors.codes.rateLimited",
  too_many_requests: "core.errors.codes.rateLimited",
  too_many_attempts: "core.errors.codes.tooManyAttempts",
  invalid_credentials: "core.errors.codes.invalidCredentials",
  account_suspended: "core.errors.codes.accountSuspended",
  email_taken: "core.errors.codes.emailTaken",
  invalid_token: "core.errors.codes.invalidToken",
  email_unverified: "core.errors.codes.emailUnverified",
  slot_unavailable: "core.errors.codes.slotUnavailable",
  insufficient_credits: "core.errors.codes.insufficientCredits",
  student_busy: "core.errors.codes.studentBusy",
  too_late_to_reschedule: "core.errors.codes.tooLateToReschedule",
  not_reschedulable: "core.errors.codes.notReschedulable",
  booking_in_progress: "core.errors.codes.bookingInProgress",
  waitlist_offer_expired: "core.errors.codes.waitlistOfferExpired",
  payments_unavailable: "core.errors.codes.paymentsUnavailable",
  already_subscribed: "core.errors.codes.alreadySubscribed",
  no_subscription: "core.errors.codes.noSubscription",
  same_plan: "core.errors.codes.samePlan",
  already_reviewed: "core.errors.codes.alreadyReviewed",
  not_a_participant: "core.errors.codes.notAParticipant",
  session_cancelled: "core.errors.codes.sessionCancelled",
  session_ended: "core.errors.codes.sessionEnded",
  video_unavailable: "core.errors.codes.videoUnavailable",
  session_not_started: "core.errors.codes.sessionNotStarted",
};

/** A sentence fit to show a user for any thrown value, in the viewer's language where the code is known. */
export const messageOf = (e: unknown) => {
  if (e instanceof ApiFailure && CODE_MESSAGES[e.code]) return t(CODE_MESSAGES[e.code]!);
  return e instanceof Error ? e.message : t("core.errors.generic");
};
