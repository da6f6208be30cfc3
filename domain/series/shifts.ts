/*
 * Intl only (no luxon), so the booking dialog can use it without growing the first load.
 */

/** An occurrence whose local time for the viewer differs from the first one's (a DST change on one side only). */
export type LocalShift = { start: string; localTime: string; usualTime: string };

/**
 * The occurrences that land at another local time in `viewerZone` than the first one does: the series is fixed
 * in the tutor's wall-clock, so when only one of the two zones changes clocks the viewer's time moves by the
 * difference. "HH:mm" in the viewer's zone; instants as ISO strings with Z.
 */
export function localShifts(startsIso: readonly string[], viewerZone: string): LocalShift[] {
  if (!startsIso.length) return [];
  const format = new Intl.DateTimeFormat("en-GB", { timeZone: viewerZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const hm = (iso: string) => format.format(Date.parse(iso));
  const usualTime = hm(startsIso[0]!);
  return startsIso.filter((s) => hm(s) !== usualTime).map((start) => ({ start, localTime: hm(start), usualTime }));
}
