import { canonicalTimeZone } from "../../../domain/time/zoneNames";

/** The browser's own IANA zone, e.g. "Asia/Kathmandu" (Chromium reports some by old ICU names). */
export const browserTimeZone = () => canonicalTimeZone(Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC");

/** Every IANA zone the browser knows, canonical names, sorted. */
export const allTimeZones = (): string[] => {
  const list = ((Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.("timeZone") ?? []).map(canonicalTimeZone);
  return [...new Set(["UTC", ...list])].sort();
};

/** "America/Argentina/Buenos_Aires" → "Buenos Aires". */
export const cityOf = (zone: string) => (zone.split("/").pop() ?? zone).replace(/_/g, " ");
