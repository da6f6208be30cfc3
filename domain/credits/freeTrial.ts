/**
 * The free plan's trial: a student without a plan books one trial lesson (POLICY.trialMinutes) a calendar month with
 * any tutor who offers trials, paid by a promotional grant made for that booking and spent at once. The month is the
 * UTC calendar month of the booking; the grant's id names it, so the wallet applies it once a month.
 */
export const freeTrialMonth = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 7);

/** The grant id of a month's free trial (one grant per id in the wallet: the month's counter). */
export const freeTrialGrantId = (month: string) => `free-trial:${month}`;

/** When a month's free-trial credit lapses if it is not spent (given back by a cancellation): the month's end, UTC. */
export function freeTrialExpiry(nowMs: number): string {
  const d = new Date(nowMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString();
}
