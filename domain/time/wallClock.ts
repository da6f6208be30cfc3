/**
 * Wall-clock arithmetic in an IANA zone with `Intl.DateTimeFormat` alone (no luxon: the web app's first-load budget
 * is tight), shared by the web app and the server so their weekly times cannot drift: both place a weekly series'
 * weeks with `weeklyStartsIntl`. `wallToUtc` settles a wall time as the tutor's slots do (domain/time/expand.ts,
 * with luxon), which domain/time/wallClock.test.ts checks against luxon across clock changes.
 */

const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(zone, f);
  }
  return f;
}

/** Local − UTC in ms for `zone` at instant `t`. */
export function zoneOffsetMs(t: number, zone: string): number {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(zone).formatToParts(t)) if (part.type !== "literal") p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
  return wall - (t - (((t % 1000) + 1000) % 1000));
}

/**
 * The instant of a wall time ("local epoch ms": the wall clock read as if it were UTC), trying the offset `guess`
 * first, as luxon settles it: a wall time that exists once is that instant; one that exists twice (the repeated
 * hour when clocks go back) is the occurrence at `guess` when that is one of them; one inside a spring-forward gap
 * moves forward by the gap (02:30 on a 02:00→03:00 night is 03:30), in zones ahead of UTC and behind it alike.
 */
function settle(wall: number, guess: number, zone: string): number {
  const t = wall - guess;
  const o2 = zoneOffsetMs(t, zone);
  if (o2 === guess) return t;
  const t2 = t - (o2 - guess);
  const o3 = zoneOffsetMs(t2, zone);
  if (o3 === o2) return t2;
  // Neither offset reads back as this wall time: it is in a gap.
  return wall - Math.min(o2, o3);
}

/**
 * The instant of a wall time in `zone`: a time inside a spring-forward gap moves forward by the gap (as the server's
 * luxon does), and a time that happens twice when clocks go back is its first occurrence.
 */
export function wallToUtc(wall: number, zone: string): number {
  // The offsets in force a day either side hold every offset this wall time can have (one change a day at most);
  // the larger is the one before clocks go back, so trying it first gives the first of a repeated time.
  return settle(wall, Math.max(zoneOffsetMs(wall - DAY, zone), zoneOffsetMs(wall + DAY, zone)), zone);
}

/**
 * The starts of a weekly series (the server books these: domain/series/weekly.ts `weeklyStarts`; the web app previews
 * them): the first start exactly, then its wall-clock time in the tutor's zone on the same weekday, `weeks` weeks in
 * all, each week placed as the tutor's slots place that wall time (`wallToUtc`): moved forward through a
 * spring-forward gap, and the first pass of an hour the clocks repeat, whichever offset the first week had.
 */
export function weeklyStartsIntl(firstStartMs: number, zone: string, weeks: number): number[] {
  const wall = firstStartMs + zoneOffsetMs(firstStartMs, zone);
  return Array.from({ length: weeks }, (_, k) => (k === 0 ? firstStartMs : wallToUtc(wall + 7 * k * DAY, zone)));
}

/** The first start of the weekly series from `firstStartMs` that comes after `afterMs` (continuing a lesson weekly). */
export function nextWeeklyStartIntl(firstStartMs: number, zone: string, afterMs: number): number {
  const wall = firstStartMs + zoneOffsetMs(firstStartMs, zone);
  const week = (k: number) => (k === 0 ? firstStartMs : wallToUtc(wall + 7 * k * DAY, zone));
  // Whole weeks gone by, less one for a clock change in between; then step until the start is ahead.
  let k = Math.max(0, Math.floor((afterMs - firstStartMs) / (7 * DAY)) - 1);
  let start = week(k);
  while (start <= afterMs) start = week(++k);
  return start;
}
