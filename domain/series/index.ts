export { SERIES_POLICY, chargeAt, releaseAt, nextChargeTry } from "./policy";
export { weeklyStarts, localShifts, type LocalShift } from "./weekly";
