/**
 * The numbers of Tutorly's credit and cancellation policy, in one place: the server enforces them and the
 * SPA shows them.
 */
export const POLICY = {
  /** A student who cancels at least this long before the start gets the credits back. */
  studentRefundHours: 24,
  /** Students can move a session up to this long before it starts (tutors any time before). */
  rescheduleCutoffHours: 24,
  /** Monthly plan grants expire this many days after they are granted. */
  grantExpiryDays: 60,
  /** A refunded credit stays usable at least this long, even if its original grant would expire sooner. */
  refundMinValidityDays: 14,
  /** Admin adjustments that add credit expire after this many days unless the admin says otherwise. */
  adjustExpiryDays: 60,
  /** A booking hold lives this long while its credits are being spent; the calendar's alarm releases it after. */
  holdSeconds: 60,
  /**
   * Promotional credit (welcome, free tier, admin gifts: the platform pays for it) a student can hold usable at
   * once. Grants beyond it are trimmed (automatic ones) or refused (an admin's), so the platform's exposure per
   * account stays at two hours of tutoring.
   */
  promoCapMinutes: 120,
  /** A trial lesson: a student's first lesson with a tutor who offers trials, once per student and tutor. */
  trialMinutes: 30,
  /** What a trial costs, as a share of the same 30 minutes 1:1 with that tutor (rounded up to whole credit-minutes). */
  trialPercent: 50,
  /** Group sessions hold 2 to 8 students. */
  groupMinSeats: 2,
  groupMaxSeats: 8,
} as const;

/**
 * Why a session can no longer be moved by `role`, or undefined while it can: a student up to
 * `rescheduleCutoffHours` before the start, a tutor until it starts. The calendar refuses with this sentence and
 * the SPA shows it beside a disabled Reschedule.
 */
export function rescheduleClosed(role: "student" | "tutor", startMs: number, nowMs: number): string | undefined {
  if (startMs <= nowMs) return "This session has already started.";
  if (role === "student" && startMs - nowMs < POLICY.rescheduleCutoffHours * 3_600_000) return `Sessions can be moved up to ${POLICY.rescheduleCutoffHours} hours before they start.`;
  return undefined;
}

/**
 * What a group seat costs, as a share of the same session 1:1 with the same tutor, by the session's size (its seat
 * count, fixed when the tutor opens it, so the price never changes after booking). See pricing.ts.
 */
export const GROUP_PRICING = [
  { minSeats: 2, maxSeats: 3, percent: 70 },
  { minSeats: 4, maxSeats: 8, percent: 50 },
] as const;

export type SessionKind = "one_on_one" | "group";

/** Whether a student cancelling at `now` gets their credits back. Tutors and admins always refund. */
export function studentCancellationRefunds(startMs: number, nowMs: number): boolean {
  return startMs - nowMs >= POLICY.studentRefundHours * 3_600_000;
}
