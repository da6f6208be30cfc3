import type { Availability } from "../schemas/availability";
import type { Interval } from "./intervals";

/**
 * The "tutor with complex rules" of the slots budget (≤ 2 ms for 90 days): split days, a Saturday evening
 * running past midnight, 20 overrides, a 15-minute buffer, in a zone with DST. Meant for a window
 * starting at `benchFrom` (it crosses New York's March change).
 */
export const complexAvailability: Availability = {
  timezone: "America/New_York",
  weekly: [
    { weekday: 1, start: "08:00", end: "12:00" },
    { weekday: 1, start: "13:00", end: "18:30" },
    { weekday: 2, start: "09:00", end: "12:00" },
    { weekday: 2, start: "14:00", end: "20:00" },
    { weekday: 3, start: "07:30", end: "11:30" },
    { weekday: 3, start: "12:30", end: "17:00" },
    { weekday: 3, start: "19:00", end: "22:00" },
    { weekday: 4, start: "09:00", end: "13:00" },
    { weekday: 4, start: "15:00", end: "21:00" },
    { weekday: 5, start: "08:00", end: "12:00" },
    { weekday: 5, start: "13:00", end: "16:00" },
    { weekday: 6, start: "10:00", end: "14:00" },
    { weekday: 6, start: "22:00", end: "02:00" },
    { weekday: 7, start: "16:00", end: "20:00" },
  ],
  overrides: [
    { date: "2027-03-03", intervals: [] },
    { date: "2027-03-09", intervals: [{ start: "10:00", end: "15:00" }] },
    { date: "2027-03-14", intervals: [{ start: "01:00", end: "04:00" }] },
    { date: "2027-03-18", intervals: [] },
    { date: "2027-03-22", intervals: [{ start: "06:00", end: "09:00" }, { start: "18:00", end: "23:30" }] },
    { date: "2027-03-27", intervals: [{ start: "20:00", end: "01:00" }] },
    { date: "2027-04-01", intervals: [] },
    { date: "2027-04-02", intervals: [] },
    { date: "2027-04-07", intervals: [{ start: "09:00", end: "24:00" }] },
    { date: "2027-04-12", intervals: [{ start: "12:00", end: "14:00" }] },
    { date: "2027-04-17", intervals: [] },
    { date: "2027-04-20", intervals: [{ start: "08:00", end: "10:00" }, { start: "11:00", end: "13:00" }] },
    { date: "2027-04-25", intervals: [{ start: "10:00", end: "18:00" }] },
    { date: "2027-05-01", intervals: [] },
    { date: "2027-05-05", intervals: [{ start: "07:00", end: "19:00" }] },
    { date: "2027-05-10", intervals: [{ start: "16:00", end: "21:00" }] },
    { date: "2027-05-14", intervals: [] },
    { date: "2027-05-19", intervals: [{ start: "09:30", end: "12:15" }] },
    { date: "2027-05-23", intervals: [{ start: "13:00", end: "17:00" }] },
    { date: "2027-05-27", intervals: [] },
  ],
  bufferMinutes: 15,
  minNoticeMinutes: 120,
  horizonDays: 120,
};

/** Start of the bench window: 90 days from here cross the 2027-03-14 DST change. */
export const benchFrom = Date.parse("2027-03-01T00:00:00Z");

/**
 * About 150 busy intervals over the 90 days after `from` (bookings of 30–120 min and a few long
 * external blocks), deterministic, unsorted and partly overlapping like real input.
 */
export function benchBusy(from: number): Interval[] {
  const busy: Interval[] = [];
  const minute = 60_000;
  let seed = 7;
  const next = () => (seed = (seed * 48_271) % 2_147_483_647);
  for (let i = 0; i < 150; i++) {
    const day = i % 90;
    const startMinute = 12 * 60 + (next() % 48) * 15; // 12:00–23:45 UTC, the tutor's daytime
    const length = i % 10 === 0 ? 240 : [30, 45, 60, 90, 120][next() % 5]!;
    const start = from + day * 86_400_000 + startMinute * minute;
    busy.push({ start, end: start + length * minute });
  }
  return busy.reverse();
}
