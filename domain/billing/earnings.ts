import { type AllocationSlice, apportionCents } from "../credits/ledger";
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

/**
 * What a seat still pays for when only `keptMinutes` of it stay spent: the wallet gives the rest back from the
 * slices taken last (domain/credits/ledger.ts `refundable`), so the first slices stay; a slice cut in two keeps the
 * value the wallet leaves it.
 */
export function keptSlices(spent: readonly SpentSlice[], keptMinutes: number): SpentSlice[] {
  const total = spent.reduce((sum, s) => sum + s.minutes, 0);
  let back = Math.max(0, total - keptMinutes);
  const kept = [...spent];
  for (let i = kept.length - 1; i >= 0 && back > 0; i--) {
    const s = kept[i]!;
    const take = Math.min(back, s.minutes);
    kept[i] = { ...s, minutes: s.minutes - take, paidCents: s.paidCents - apportionCents(s.minutes, s.paidCents, take) };
    back -= take;
  }
  return kept.filter((s) => s.minutes > 0);
}

/**
 * A seat's earning when its session ended early: its fixed earning pro rata, and never more than the slices the
 * student keeps are worth to the tutor (the refund returns the slices taken last, which can be worth more per minute
 * than the ones kept: paid credit after promotional credit).
 */
export function endedEarlyEarningCents(seat: { fixedCents: number; spent: readonly SpentSlice[] | null; credits: number }, taughtMinutes: number, bookedMinutes: number, commissionPercent: number): number {
  const proRata = proRataCents(seat.fixedCents, taughtMinutes, bookedMinutes);
  if (!seat.spent) return proRata;
  const kept = keptSlices(seat.spent, keptCreditMinutes(seat.credits, taughtMinutes, bookedMinutes));
  return Math.min(proRata, seatEarningCents(kept, commissionPercent));
}
