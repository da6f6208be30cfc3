import type { AllocationSlice } from "../credits/ledger";
import { nominalCents } from "../credits/pricing";

/**
 * What a seat actually spent, as the student's wallet answers a spend: one slice per lot taken from, with that
 * slice's exact share of the lot's paid value (0 for promotional credit). See the money contract.
 */
export type SpentSlice = AllocationSlice;

/**
 * The tutor's earning for one confirmed seat, fixed when the seat is confirmed, from what was spent on it:
 * paid slices earn their revenue less commission; promotional slices earn their nominal value less commission
 * (booked as the platform's promotional cost). Each part rounds down, so for paid credits the tutor never earns
 * more than the revenue less commission, by construction. The tutor's rate is not an input: it only set the price.
 */
export function seatEarningCents(spent: readonly SpentSlice[], commissionPercent: number): number {
  if (!Number.isInteger(commissionPercent) || commissionPercent < 0 || commissionPercent > 100) throw new RangeError(`Commission ${commissionPercent} % is not a whole percent.`);
  const paidCents = spent.filter((s) => s.funding === "paid").reduce((sum, s) => sum + s.paidCents, 0);
  const promoMinutes = spent.filter((s) => s.funding === "promo").reduce((sum, s) => sum + s.minutes, 0);
  const keep = 100 - commissionPercent;
  return Math.floor((paidCents * keep) / 100) + Math.floor((nominalCents(promoMinutes) * keep) / 100);
}

/** `cents` scaled to `taughtMinutes` of `bookedMinutes`, rounded down (a pro rata earning never rounds up). */
export function proRataCents(cents: number, taughtMinutes: number, bookedMinutes: number): number {
  if (bookedMinutes <= 0) return 0;
  const taught = Math.max(0, Math.min(taughtMinutes, bookedMinutes));
  return Math.floor((cents * taught) / bookedMinutes);
}

/**
 * Credit-minutes a student keeps paying for `taughtMinutes` of `bookedMinutes` (rounded up: the tutor's share
 * is never refunded from under them); the rest of `creditMinutes` goes back to the student.
 */
export function keptCreditMinutes(creditMinutes: number, taughtMinutes: number, bookedMinutes: number): number {
  if (bookedMinutes <= 0) return 0;
  const taught = Math.max(0, Math.min(taughtMinutes, bookedMinutes));
  return Math.ceil((creditMinutes * taught) / bookedMinutes);
}
