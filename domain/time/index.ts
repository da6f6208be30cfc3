export { merge, intersect, subtract, overlapsAny, expand, type Interval } from "./intervals";
export { expandAvailability } from "./expand";
export { computeSlots, isSlotAvailable, type SlotQuery, type Slot } from "./slots";
export { weeklyMinutesUtc, overlapMinutesOfWeek, WEEK_MINUTES } from "./weekly";
export { changedOverrideDates, coveredSessions, isOpen } from "./covered";
