/**
 * Extra minutes for a mid-cycle upgrade, granted when Stripe's proration invoice is paid.
 *
 * Stripe prorates money by time: a credit line for the unused part of the old price and a charge line for the
 * remaining part of the new price, each with its own period. We prorate minutes the same way, so the minutes
 * follow the money: Σ sign(line) × plan minutes × (line period / billing period), rounded to whole minutes.
 */
export type ProrationLine = { monthlyMinutes: number; amountCents: number; periodStart: number; periodEnd: number };

export function proratedMinutes(lines: readonly ProrationLine[], billingPeriodStart: number, billingPeriodEnd: number): number {
  const period = billingPeriodEnd - billingPeriodStart;
  if (period <= 0) return 0;
  let minutes = 0;
  for (const l of lines) {
    const share = Math.max(0, Math.min(l.periodEnd, billingPeriodEnd) - Math.max(l.periodStart, billingPeriodStart)) / period;
    minutes += Math.sign(l.amountCents) * l.monthlyMinutes * share;
  }
  return Math.max(0, Math.round(minutes));
}

/** What an upgrade costs now, as Stripe would prorate it (for the preview in local mode). */
export function proratedChargeCents(fromPriceCents: number, toPriceCents: number, now: number, periodStart: number, periodEnd: number): number {
  const remaining = Math.max(0, periodEnd - now) / (periodEnd - periodStart);
  return Math.max(0, Math.round((toPriceCents - fromPriceCents) * remaining));
}
