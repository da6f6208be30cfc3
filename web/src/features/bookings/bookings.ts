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
  if (!(e instanceof ApiFailure)) return messageOf(e);
  switch (e.code) {
    case "slot_unavailable":
      return "Someone else just took that time. The free times have been refreshed; please pick another.";
    case "insufficient_credits":
      return "You don't have enough credits for this session.";
    case "student_busy":
      return "You already have a session at that time. Pick a time that doesn't overlap.";
    case "too_late_to_reschedule":
      return "It's too close to the start to move this session.";
    case "not_reschedulable":
      return "This session can't be moved.";
    case "trial_used":
      return t("core.trial.used");
    case "trial_not_offered":
      return t("core.trial.notOffered");
    case "booking_in_progress":
      return "This booking is still being made. Try again in a moment.";
    case "unauthenticated":
      return "Your session has ended. Please log in again.";
    default:
      return e.message;
  }
}
