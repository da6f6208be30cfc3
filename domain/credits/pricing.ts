import { GROUP_PRICING, POLICY, type SessionKind } from "./policy";

/**
 * One rule turns a tutor's hourly rate into what their sessions cost in credits, the same for the student (shown
 * before booking, charged exactly) and for the books (see ../shared money contract):
 *
 * - a credit-minute is worth CREDIT_MINUTE_CENTS ($30 an hour, the Starter plan's price);
 * - a 1:1 session of D minutes costs ceil(hourlyRateCents × D / 60 / CREDIT_MINUTE_CENTS) credit-minutes;
 * - a group seat costs ceil(that 1:1 cost × tier percent / 100), the tier by the session's seat count.
 *
 * Rounding is always up to whole credit-minutes, so a price never undercharges the tutor's rate.
 */
export const CREDIT_MINUTE_CENTS = 50;

/** Credit-minutes a 1:1 session of `durationMinutes` with a tutor at `hourlyRateCents` costs. */
export function oneOnOneCost(hourlyRateCents: number, durationMinutes: number): number {
  if (!Number.isInteger(hourlyRateCents) || hourlyRateCents <= 0) throw new RangeError(`No price for a rate of ${hourlyRateCents} cents.`);
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) throw new RangeError(`No price for ${durationMinutes} minutes.`);
  // Integer arithmetic: ceil(a / b) as (a + b − 1) / b, so no float ever rounds a price.
  const cents = hourlyRateCents * durationMinutes;
  const per = 60 * CREDIT_MINUTE_CENTS;
  return Math.floor((cents + per - 1) / per);
}

/**
 * The highest hourly rate whose 1:1 session of `durationMinutes` costs at most `creditMinutes` (what a cancelled
 * booking holds bounds the replacements offered for it): ⌈r × D / P⌉ ≤ c exactly when r × D ≤ c × P, P being an
 * hour's worth of credit-minute cents.
 */
export function maxHourlyRateCents(creditMinutes: number, durationMinutes: number): number {
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) throw new RangeError(`No price for ${durationMinutes} minutes.`);
  return Math.floor((Math.max(0, Math.floor(creditMinutes)) * 60 * CREDIT_MINUTE_CENTS) / durationMinutes);
}

/** The group tier (share of the 1:1 price) for a session of `seats` seats. */
export function groupTier(seats: number) {
  const tier = GROUP_PRICING.find((t) => seats >= t.minSeats && seats <= t.maxSeats);
  if (!tier) throw new RangeError(`A group session has ${POLICY.groupMinSeats} to ${POLICY.groupMaxSeats} seats, not ${seats}.`);
  return tier;
}

/** Credit-minutes one seat costs: the 1:1 price for 1:1, the tier's share of it (rounded up) for a group seat. */
export function seatPrice(input: { kind: SessionKind; hourlyRateCents: number; durationMinutes: number; seats?: number }): number {
  const full = oneOnOneCost(input.hourlyRateCents, input.durationMinutes);
  if (input.kind === "one_on_one") return full;
  return Math.ceil((full * groupTier(input.seats ?? 0).percent) / 100);
}

/** Credit-minutes a trial lesson with a tutor at `hourlyRateCents` costs: POLICY.trialPercent of its 1:1 price, rounded up. */
export function trialPrice(hourlyRateCents: number): number {
  return Math.ceil((oneOnOneCost(hourlyRateCents, POLICY.trialMinutes) * POLICY.trialPercent) / 100);
}

/** The nominal money value of `minutes` credit-minutes, in cents (what promotional credit costs the platform). */
export const nominalCents = (minutes: number) => minutes * CREDIT_MINUTE_CENTS;

/** A price as booking answers and slot listings carry it (API.md "Additions"). */
export type Price = { creditMinutes: number };
