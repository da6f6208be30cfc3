/** Session lengths on offer, in minutes, and the slot grid's step (zod-free for the SPA's first load). */
export const DURATIONS = [30, 45, 60, 90, 120] as const;
export const DEFAULT_SLOT_STEP_MINUTES = 30;
