import { describe, expect, it } from "vitest";
import { AvailabilityInputSchema } from "../schemas/availability";
import { changedOverrideDates, coveredSessions } from "./covered";

const NY = "America/New_York";
const avail = (overrides: { date: string; intervals: { start: string; end: string }[] }[], timezone = NY) =>
  AvailabilityInputSchema.parse({ timezone, weekly: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "09:00", end: "17:00" })), overrides });
// Tuesday 2027-03-16, 10:00–11:00 in New York (EDT, UTC−4).
const session = { id: "s1", start: Date.parse("2027-03-16T14:00:00Z"), end: Date.parse("2027-03-16T15:00:00Z") };

describe("which booked sessions a change of availability covers", () => {
  it("a day off on the session's date covers it", () => {
    expect(coveredSessions(avail([]), avail([{ date: "2027-03-16", intervals: [] }]), [session])).toEqual([session]);
  });

  it("other hours that still hold the session leave it; other hours that miss it cover it", () => {
    expect(coveredSessions(avail([]), avail([{ date: "2027-03-16", intervals: [{ start: "08:00", end: "12:00" }] }]), [session])).toEqual([]);
    expect(coveredSessions(avail([]), avail([{ date: "2027-03-16", intervals: [{ start: "10:30", end: "12:00" }] }]), [session])).toEqual([session]);
  });

  it("the date is the tutor's: a day off on the UTC date of the session but not the local one covers nothing", () => {
    const late = { id: "s2", start: Date.parse("2027-03-17T01:00:00Z"), end: Date.parse("2027-03-17T02:00:00Z") }; // Tue 21:00 in New York
    const night = AvailabilityInputSchema.parse({ timezone: NY, weekly: [{ weekday: 2, start: "20:00", end: "23:00" }], overrides: [] });
    expect(coveredSessions(night, { ...night, overrides: [{ date: "2027-03-17", intervals: [] }] }, [late])).toEqual([]);
    expect(coveredSessions(night, { ...night, overrides: [{ date: "2027-03-16", intervals: [] }] }, [late])).toEqual([late]);
  });

  it("an override saved again unchanged, or one on another date, covers nothing (re-saving the page is not refused)", () => {
    const off = avail([{ date: "2027-03-16", intervals: [] }]);
    expect(coveredSessions(off, off, [session])).toEqual([]);
    expect(coveredSessions(avail([]), avail([{ date: "2027-03-18", intervals: [] }]), [session])).toEqual([]);
  });

  it("removing an override that held a session outside the weekly hours covers it", () => {
    const saturday = { id: "s3", start: Date.parse("2027-03-20T14:00:00Z"), end: Date.parse("2027-03-20T15:00:00Z") };
    expect(coveredSessions(avail([{ date: "2027-03-20", intervals: [{ start: "09:00", end: "12:00" }] }]), avail([]), [saturday])).toEqual([saturday]);
  });

  it("a day off on a date whose hours ran past midnight covers the session booked after midnight, on the next date", () => {
    // Tuesday 22:00–02:00 in New York; the session is Wednesday 00:30–01:30 there.
    const night = { id: "s4", start: Date.parse("2027-03-17T04:30:00Z"), end: Date.parse("2027-03-17T05:30:00Z") };
    const late = avail([{ date: "2027-03-16", intervals: [{ start: "22:00", end: "02:00" }] }]);
    expect(coveredSessions(late, avail([]), [night])).toEqual([night]);
    expect(coveredSessions(late, avail([{ date: "2027-03-16", intervals: [] }]), [night])).toEqual([night]);
    // Hours that still reach past it leave it.
    expect(coveredSessions(late, avail([{ date: "2027-03-16", intervals: [{ start: "23:00", end: "03:00" }] }]), [night])).toEqual([]);
  });

  it("changed dates: added, removed and changed overrides; all of them when the zone moves", () => {
    const before = avail([{ date: "2027-03-16", intervals: [] }, { date: "2027-03-17", intervals: [] }]);
    const after = avail([{ date: "2027-03-17", intervals: [{ start: "09:00", end: "10:00" }] }, { date: "2027-03-18", intervals: [] }]);
    expect([...changedOverrideDates(before, after)].sort()).toEqual(["2027-03-16", "2027-03-17", "2027-03-18"]);
    expect([...changedOverrideDates(before, { ...before, timezone: "Europe/Paris" })].sort()).toEqual(["2027-03-16", "2027-03-17"]);
    expect([...changedOverrideDates(null, after)].sort()).toEqual(["2027-03-17", "2027-03-18"]);
  });
});
