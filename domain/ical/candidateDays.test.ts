import fc from "fast-check";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { candidateDays, walksCandidateDays } from "./candidateDays";

const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];
const DAY = 86_400_000;
const end = { year: 2029, month: 12, day: 31, hour: 23, minute: 59, second: 59 };
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * RFC 5545 read literally, one day at a time: a day is an occurrence when it is in a period INTERVAL reaches from
 * DTSTART's (a day, or a week starting on Monday) and BYMONTH, BYMONTHDAY (negative from the month's end) and
 * BYDAY (DTSTART's weekday for WEEKLY) all name it. DTSTART itself is always the first occurrence.
 */
function dayByDay(r: { freq: string; interval: number; months?: number[]; monthDays?: number[]; days?: string[]; count?: number }, start: number, last: number): string[] {
  const out = [dateOf(start)];
  const week = (ms: number) => Math.floor((ms / DAY - ((new Date(ms).getUTCDay() + 6) % 7)) / 7);
  const weekdays = r.days ?? (r.freq === "WEEKLY" ? [WEEKDAYS[new Date(start).getUTCDay()]!] : WEEKDAYS);
  for (let ms = start + DAY; ms <= last && out.length < (r.count ?? Infinity); ms += DAY) {
    const d = new Date(ms);
    const length = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    const period = r.freq === "DAILY" ? (ms - start) / DAY : week(ms) - week(start);
    if (period % r.interval !== 0) continue;
    if (r.months && !r.months.includes(d.getUTCMonth() + 1)) continue;
    if (r.monthDays && !r.monthDays.some((n) => (n > 0 ? n : length + n + 1) === d.getUTCDate())) continue;
    if (!weekdays.includes(WEEKDAYS[d.getUTCDay()]!)) continue;
    out.push(dateOf(ms));
  }
  return out;
}

describe("candidateDays", () => {
  it("gives the days a day-by-day reading of RFC 5545 gives, for day rules filtered by month, month day and weekday", () => {
    const rule = fc.record(
      {
        freq: fc.constantFrom("DAILY", "WEEKLY"),
        interval: fc.constantFrom(1, 1, 2, 3, 7),
        months: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
        monthDays: fc.uniqueArray(fc.integer({ min: -31, max: 31 }).filter((d) => d !== 0), { minLength: 1, maxLength: 3 }),
        days: fc.uniqueArray(fc.constantFrom(...WEEKDAYS), { minLength: 1, maxLength: 3 }),
        count: fc.integer({ min: 1, max: 30 }),
      },
      { requiredKeys: ["freq", "interval"] },
    );
    const start = fc.integer({ min: Date.UTC(2026, 0, 1) / DAY, max: Date.UTC(2027, 11, 31) / DAY }).map((d) => d * DAY);
    fc.assert(
      fc.property(rule, start, (r, startMs) => {
        if (r.freq === "WEEKLY") delete r.monthDays; // RFC 5545: not with WEEKLY
        const text = [`FREQ=${r.freq}`, `INTERVAL=${r.interval}`, r.months && `BYMONTH=${r.months.join(",")}`, r.monthDays && `BYMONTHDAY=${r.monthDays.join(",")}`, r.days && `BYDAY=${r.days.join(",")}`, r.count && `COUNT=${r.count}`];
        const recur = ICAL.Recur.fromString(text.filter(Boolean).join(";"));
        const d = new Date(startMs);
        const dtstart = ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), isDate: true });
        fc.pre(walksCandidateDays(recur, dtstart));
        let steps = 0;
        const got = [...candidateDays(recur, dtstart, { from: { ...end, year: 2000 }, to: end, tick: () => steps++ })].map((t) => t.toString());
        expect(got).toEqual(dayByDay(r, startMs, Date.UTC(2029, 11, 31)));
        // Months, the days they name and those days' times: fewer steps than the 1,461 days of the four years.
        expect(steps).toBeLessThan(1_461);
      }),
      { numRuns: 300 },
    );
  });

  it("leaves to ical.js the rules it reads well or RFC 5545 forbids", () => {
    const start = ICAL.Time.fromData({ year: 2027, month: 3, day: 1, hour: 9 });
    for (const rule of ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=DAILY;BYDAY=1TU", "FREQ=WEEKLY;BYMONTHDAY=3", "FREQ=HOURLY;BYYEARDAY=3"]) {
      expect(walksCandidateDays(ICAL.Recur.fromString(rule), start)).toBe(false);
    }
  });
});
