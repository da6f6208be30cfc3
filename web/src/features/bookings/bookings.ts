import type { Booking, CreateBookingInput } from "../../../../domain/schemas/booking";
import { ApiFailure, api, call, messageOf } from "../../lib/api";
import { t } from "../../i18n";

/** One key per user action: reused when that same action is retried, so it cannot happen twice. */
export const newIdempotencyKey = () => crypto.randomUUID();
/**
 * Keys for a form whose request may change between tries: the same request again reuses its key (a retry cannot
 * happen twice), a changed one (another student, another reason) gets a new key; `settled()` starts afresh.
 */
export function keyPerRequest() {
  let key = newIdempotencyKey();
  let last = "";
  return {
    for(request: unknown) {
      const body = JSON.stringify(request);
      if (last && body !== last) key = newIdempotencyKey();
      last = body;
      return key;
    },
    settled() {
      key = newIdempotencyKey();
      last = "";
    },
  };
}

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

/** The caller's own bookings, soonest first. */
export const listBookings = async (): Promise<Booking[]> => (await call(api.bookings.$get({ query: {} }))).bookings;

export const bookSlot = async (json: CreateBookingInput, key: string): Promise<Booking> => {
  const answer = await call(api.bookings.$post({ json }, keyed(key)));
  if (!("booking" in answer)) throw new Error("Expected a single booking.");
  return answer.booking as Booking;
};

export const cancelBooking = async (id: string, key: string, reason?: string): Promise<Booking> =>
  (await call(api.bookings[":id"].cancel.$post({ param: { id }, json: reason ? { reason } : {} }, keyed(key)))).booking as Booking;

export const rescheduleBooking = async (id: string, start: string, key: string): Promise<Booking> =>
  (await call(api.bookings[":id"].reschedule.$post({ param: { id }, json: { start } }, keyed(key)))).booking as Booking;

/** What went wrong with a booking action, in words for the student (codes from API.md). */
export function bookingErrorText(e: unknown): string {
  // Booking refusals are said from the catalogs: the common ones in lib/api.ts's CODE_MESSAGES, trials here.
  if (e instanceof ApiFailure && e.code === "trial_used") return t("core.trial.used");
  if (e instanceof ApiFailure && e.code === "trial_not_offered") return t("core.trial.notOffered");
  return messageOf(e);
}
