export { SERIES_POLICY, chargeAt, releaseAt, nextChargeTry } from "./policy";
export { movedWeekStart, weeklyStarts } from "./weekly";
export { localShifts, type LocalShift } from "./shifts";
