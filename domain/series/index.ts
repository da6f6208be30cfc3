export { SERIES_POLICY, chargeAt, releaseAt, nextChargeTry } from "./policy";
export { weeklyStarts } from "./weekly";
export { localShifts, type LocalShift } from "./shifts";
