import type { Duration } from "../../../domain/schemas/availability";

/**
 * Session lengths a student can book. The schema module that defines them also loads zod, which the first-load
 * routes must not; the checks below fail the build if this list and `Duration` ever disagree.
 */
export const DURATIONS = [30, 45, 60, 90, 120] as const satisfies readonly Duration[];
type Missing = Exclude<Duration, (typeof DURATIONS)[number]>;
const complete: [Missing] extends [never] ? true : never = true;
void complete;

export const isDuration = (n: number): n is Duration => (DURATIONS as readonly number[]).includes(n);
