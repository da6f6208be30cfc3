/*
 * Intl only (no luxon), so the booking dialog can use it without growing the first load.
 */

/** An occurrence whose local time for the viewer differs from the first one's (a DST change on one side only). */
export type LocalShift = { start: string; localTime: string; usualTime: string };

/**
 * The occurrences that land at another local time in `viewerZone` than the first one does: the series is fixed
 * in the tutor's wall-clock, so when only one of the two zones changes clocks the viewer's time moves by the
 * difference. "HH:mm" in the viewer's zone; instants as ISO strings with Z. With `tutorZone`, a week someone moved
 * by hand (another time on the tutor's clock too) is no clock change and is left out; `reference`: the week whose
 * time is the usual one (the first, when not given).
 */
export function localShifts(startsIso: readonly string[], viewerZone: string, opts: { tutorZone?: string; reference?: string } = {}): LocalShift[] {
  const reference = opts.reference ?? startsIso[0];
  if (!reference) return [];
  const hm = clock(viewerZone);
  const tutorHm = opts.tutorZone ? clock(opts.tutorZone) : null;
  const usualTime = hm(reference);
  const tutorTime = tutorHm?.(reference);
  return startsIso.filter((s) => hm(s) !== usualTime && (!tutorHm || tutorHm(s) === tutorTime)).map((start) => ({ start, localTime: hm(start), usualTime }));
}

/** "HH:mm" of an instant in `zone`. */
function clock(zone: string): (iso: string) => string {
  const format = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return (iso) => format.format(Date.parse(iso));
}
