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

/**
 * Text as a search compares it: lower case, without accents or Arabic marks (so a hamza's seat, أ إ آ, is a bare ا),
 * ى as ي, ة as ه, "_" as a space. What people type rarely carries the marks a name is written with.
 */
export const foldForSearch = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/ى/g, "ي").replace(/ة/g, "ه").replace(/_/g, " ");

/**
 * The zones with every word typed somewhere in their label (the city, Intl's name for the zone in the reader's
 * language, the offset) or their id, in the list's order: "Pacífico" or "pacifico" finds Los Angeles in Spanish,
 * "المحيط الهادي" in Arabic. Each choice's folded text is kept on it, worked out the first time it is searched.
 */
export function zonesMatching<T extends { zone: string; label: string; folded?: string }>(typed: string, choices: T[]): T[] {
  const words = foldForSearch(typed).split(/\s+/).filter(Boolean);
  return choices.filter((c) => words.every((w) => (c.folded ??= foldForSearch(`${c.label} ${c.zone}`)).includes(w)));
}
