const MINUTE = 60_000;

/** A session room opens this long before the booked start… */
export const JOIN_OPENS_BEFORE_START_MS = 10 * MINUTE;
/** …and closes this long after the booked end. */
export const JOIN_CLOSES_AFTER_END_MS = 10 * MINUTE;

/** A booked session's instants in epoch milliseconds (UTC). */
export type SessionTimes = { start: number; end: number };

/** When participants may enter the room: [opensAt, closesAt], both edges included. */
export function joinWindow(s: SessionTimes): { opensAt: number; closesAt: number } {
  return { opensAt: s.start - JOIN_OPENS_BEFORE_START_MS, closesAt: s.end + JOIN_CLOSES_AFTER_END_MS };
}

/** Where `now` falls relative to the join window. */
export function windowPhase(s: SessionTimes, now: number): "before" | "open" | "after" {
  const { opensAt, closesAt } = joinWindow(s);
  if (now < opensAt) return "before";
  if (now > closesAt) return "after";
  return "open";
}
