/**
 * The free plan's trial: a student without a plan books one trial lesson (POLICY.trialMinutes) a calendar month with
 * any tutor who offers trials, paid by a promotional grant made for that booking and spent at once. The month is the
 * UTC calendar month of the booking; the grant's id names it, so the wallet applies it once a month.
 */
export const freeTrialMonth = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 7);

const PREFIX = "free-trial:";

/**
 * The grant id of a month's free trial (one grant per id in the wallet: the month's counter). A trial given back
 * (cancelled in time) lets the month grant another: the `nth` is `free-trial:<month>#<nth>`.
 */
export const freeTrialGrantId = (month: string, nth = 1) => (nth === 1 ? `${PREFIX}${month}` : `${PREFIX}${month}#${nth}`);

/** Whether a grant id is a free trial's: of `month` when given, of any month otherwise. */
export const isFreeTrialGrantId = (ref: string | null, month?: string): boolean =>
  !!ref && (month === undefined ? ref.startsWith(PREFIX) : ref === freeTrialGrantId(month) || ref.startsWith(`${freeTrialGrantId(month)}#`));

/** When a month's free-trial credit lapses if it is not spent (given back by a cancellation): the month's end, UTC. */
export function freeTrialExpiry(nowMs: number): string {
  const d = new Date(nowMs);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)).toISOString();
}
