import { type Allocation, type LedgerEntry, freeTrialExpiry, freeTrialGrantId, freeTrialMonth, isFreeTrialGrantId } from "../../domain/credits";
import type { Wallet } from "./wallet";

/** Why the credit of a cancelled free trial lapses (its ledger entry's reason). */
export const FREE_TRIAL_BACK_REASON = "free trial cancelled: the month's trial comes back, not its credit";


/**
 * The free plan's trial lesson of a month, in the student's wallet: a promotional grant made for the booking and spent
 * by it at once. A cancelled free trial comes back as the trial, not as credit: what its cancellation gives back
 * lapses at once, and the month's trial can be booked again (under the month's next grant id, `free-trial:<month>#2`…).
 * Every method is synchronous, run inside the wallet's operation.
 */
export class FreeTrials {
  constructor(private readonly wallet: Wallet) {}

  /** Whether this month's trial can still be booked free: no trial this month, or every one was given back. */
  available(now: Date): boolean {
    return this.grants(freeTrialMonth(now.getTime())).every((g) => this.givenBack(g));
  }

  /** Pays a trial with the month's free-trial grant, made for it; null when this month's trial is taken (or the promotional cap is reached). */
  spend(reservationId: string, cost: number, now: Date): Allocation | null {
    const month = freeTrialMonth(now.getTime());
    const earlier = this.grants(month);
    if (!earlier.every((g) => this.givenBack(g))) return null;
    const granted = this.wallet.grant(
      { grantId: freeTrialGrantId(month, earlier.length + 1), kind: "grant", minutes: cost, funding: "promo", paidCents: 0, purchaseRef: null, expiresAt: freeTrialExpiry(now.getTime()), reason: `free plan: trial lesson (${month})`, overPromoCap: "refuse" },
      now,
    );
    if (!granted.ok || granted.duplicate || !granted.lotId) return null;
    return this.wallet.spendFromLot(reservationId, granted.lotId, cost, now);
  }

  /** Whether a reservation was paid by a free trial. */
  paid(reservationId: string): boolean {
    const lots = this.lots();
    return this.wallet.allocationOf(reservationId).some((s) => lots.has(s.lotId));
  }

  /** What came back to a free trial's lot (its lesson cancelled, or ended early) lapses at once. */
  lapse(refunded: Allocation, reservationId: string, now: Date) {
    const lots = this.lots();
    const back = refunded.filter((s) => lots.has(s.lotId));
    this.wallet.append(
      back.map((s) => ({ kind: "expire", minutes: s.minutes, paidCents: s.paidCents, lotId: s.lotId, expiresAt: null, funding: null, purchaseRef: null, ref: reservationId, reason: FREE_TRIAL_BACK_REASON })),
      now,
    );
  }

  /** This month's free-trial grants, oldest first. */
  private grants(month: string): LedgerEntry[] {
    return this.wallet.entries().filter((e) => e.kind === "grant" && isFreeTrialGrantId(e.ref, month));
  }

  /** Every free trial's lot, of any month. */
  private lots(): Set<string> {
    return new Set(this.wallet.entries().filter((e) => e.kind === "grant" && isFreeTrialGrantId(e.ref)).map((g) => g.id));
  }

  /** A trial given back: everything spent from its grant came back. */
  private givenBack(grant: LedgerEntry): boolean {
    let spent = 0;
    let back = 0;
    for (const e of this.wallet.entries()) {
      if (e.lotId !== grant.id) continue;
      if (e.kind === "debit") spent += Math.abs(e.minutes);
      else if (e.kind === "refund") back += Math.abs(e.minutes);
    }
    return spent > 0 && back >= spent;
  }
}
