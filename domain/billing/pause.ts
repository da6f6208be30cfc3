/**
 * Pausing a plan (issue 15 part 3): the numbers and the arithmetic, pure. A pause is a span of exact instants
 * (UTC milliseconds): N weeks are N × 7 × 24 hours, so a clock change inside the pause neither lengthens nor
 * shortens it, and the renewal and every affected credit expiry move by exactly the same number of milliseconds.
 */
export const PAUSE_POLICY = {
  minWeeks: 1,
  maxWeeks: 4,
  /** A plan can be paused at most this many times per billing period. */
  perPeriod: 1,
} as const;

export const WEEK_MS = 7 * 24 * 3_600_000;

export type PauseWindow = { from: number; until: number; shiftMs: number };

/** A pause of `weeks` starting at `from`: it ends `weeks` whole weeks later, and moves dates by that much. */
export function pauseWindow(from: number, weeks: number): PauseWindow {
  if (!Number.isInteger(weeks) || weeks < PAUSE_POLICY.minWeeks || weeks > PAUSE_POLICY.maxWeeks) throw new RangeError(`A pause is ${PAUSE_POLICY.minWeeks} to ${PAUSE_POLICY.maxWeeks} weeks.`);
  const shiftMs = weeks * WEEK_MS;
  return { from, until: from + shiftMs, shiftMs };
}

/**
 * Resuming at `at` ends the pause early: dates move only by the time actually paused. Answers the new shift
 * (what the dates move by in all, from before the pause) and the correction to apply to dates already moved by the
 * full pause (never positive). Resuming after the planned end changes nothing.
 */
export function resumeShift(w: PauseWindow, at: number): { shiftMs: number; correctionMs: number } {
  const paused = Math.min(Math.max(at, w.from), w.until) - w.from;
  return { shiftMs: paused, correctionMs: paused - w.shiftMs };
}

/** An ISO instant moved by `ms`. */
export const shiftIso = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** Whether a lot expiring at `expiresAt` is affected by a pause starting at `from`: it was still usable then. */
export const expiryAffected = (expiresAt: string, from: number) => Date.parse(expiresAt) > from;
