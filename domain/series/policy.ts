/**
 * The numbers of weekly lessons (a series): the server enforces them and the SPA shows them.
 */
export const SERIES_POLICY = {
  /** A series repeats for 1 to this many weeks. */
  maxWeeks: 52,
  /** Each occurrence's credits are taken this many days before it starts (the calendar's alarm does it). */
  chargeDaysBefore: 7,
  /** An occurrence still unpaid this many hours before it starts is released (its time freed, nothing spent). */
  releaseHoursBefore: 24,
  /** After a charge the balance could not cover, it is tried again this often until the release. */
  retryHours: 6,
} as const;

const HOUR = 3_600_000;

/** When an occurrence starting at `startMs` is paid for. */
export const chargeAt = (startMs: number) => startMs - SERIES_POLICY.chargeDaysBefore * 24 * HOUR;
/** When an occurrence starting at `startMs` is released if still unpaid. */
export const releaseAt = (startMs: number) => startMs - SERIES_POLICY.releaseHoursBefore * HOUR;
/** The next try after a charge that failed at `nowMs`: a retry, or the release, whichever comes first. */
export const nextChargeTry = (startMs: number, nowMs: number) => Math.min(nowMs + SERIES_POLICY.retryHours * HOUR, releaseAt(startMs));
