/**
 * A tutor's reliability over a rolling 90 days: completed sessions against late cancellations (weighted by how
 * late) and no-shows. 1 = fully reliable. Flagged after 3 late cancellations within 30 days.
 */
export type ReliabilityEvent = { kind: "completed" | "late_cancel" | "no_show"; at: number; weight: number };

export const RELIABILITY = { windowDays: 90, flagWindowDays: 30, flagLateCancellations: 3, lateHours: 24 } as const;

/** How much a tutor's cancellation counts, by how long before the start it came; 0 when it was not late. */
export function lateCancellationWeight(startMs: number, cancelledAtMs: number): number {
  const hours = (startMs - cancelledAtMs) / 3_600_000;
  if (hours >= RELIABILITY.lateHours) return 0;
  if (hours >= 12) return 1;
  if (hours >= 2) return 2;
  return 3;
}

export const NO_SHOW_WEIGHT = 3;

export function reliabilityOf(events: readonly ReliabilityEvent[], now: number): { score: number; flagged: boolean; lateCancellations30d: number } {
  const DAY = 86_400_000;
  const recent = events.filter((e) => e.at > now - RELIABILITY.windowDays * DAY && e.at <= now);
  const good = recent.filter((e) => e.kind === "completed").length;
  const bad = recent.filter((e) => e.kind !== "completed").reduce((s, e) => s + e.weight, 0);
  const lateCancellations30d = events.filter((e) => e.kind === "late_cancel" && e.at > now - RELIABILITY.flagWindowDays * DAY && e.at <= now).length;
  return {
    score: good + bad === 0 ? 1 : Math.round((good / (good + bad)) * 1000) / 1000,
    flagged: lateCancellations30d >= RELIABILITY.flagLateCancellations,
    lateCancellations30d,
  };
}
