import { describe, expect, it } from "vitest";
import { weeklyStartsIntl } from "../../domain/time/wallClock";
import { ALL_WEEK, approvedTutor, fundedStudent } from "./helpers";

const iso = (ms: number) => new Date(ms).toISOString();

describe("the weekly booking dialog's preview (domain/time/wallClock.ts) and the booked series", () => {
  it("agree on a New York Sunday 02:30 lesson in the week of the spring-forward gap: 03:30 EDT, 07:30Z", async () => {
    const zone = "America/New_York";
    const tutor = await approvedTutor({ timezone: zone, availability: ALL_WEEK(zone, { horizonDays: 365, weekly: [{ weekday: 7, start: "02:00", end: "04:00" }] }) });
    const student = await fundedStudent(600);
    const first = "2027-03-07T07:30:00.000Z";
    const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: first, durationMinutes: 30, subject: "mathematics", repeat: { weeks: 2 } });
    expect(res.status).toBe(201);
    const booked = res.json.series.occurrences.map((o: { start: string }) => o.start);
    expect(booked).toEqual(["2027-03-07T07:30:00.000Z", "2027-03-14T07:30:00.000Z"]);
    expect(weeklyStartsIntl(Date.parse(first), zone, 2).map(iso)).toEqual(booked);
  });
});
