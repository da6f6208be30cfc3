import { env } from "cloudflare:workers";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, approvedTutor, fund, signup } from "./helpers";

const profile = { bio: "Test tutor", subjects: ["mathematics"], hourlyRateCents: 3000 };

/**
 * A UTC tutor open all week, a session booked at 12:00 UTC three days out, and on that date an override of
 * 10:00–14:00 that keeps it. In Tokyo the same wall-clock override is 01:00–05:00 UTC, which would shut the session out.
 */
async function overrideAroundSession() {
  const tutor = await approvedTutor({ timezone: "UTC" });
  const student = await signup("student");
  await fund(student.user.id, 120);
  const day = DateTime.utc().plus({ days: 3 }).startOf("day");
  const start = day.set({ hour: 12 }).toISO({ suppressMilliseconds: true })!;
  const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
  expect(booked.status).toBe(201);
  const override = ALL_WEEK("UTC", { overrides: [{ date: day.toISODate(), intervals: [{ start: "10:00", end: "14:00" }] }] });
  expect((await tutor.client.put("/api/tutors/me/availability", override)).status).toBe(200);
  return { tutor, booking: booked.json.booking as { id: string } };
}

describe("a tutor's time-zone change that a date override would turn against a booked session", () => {
  it.each([
    ["the account (PATCH /api/me)", "PATCH", "/api/me", { timezone: "Asia/Tokyo" }],
    ["the profile (PUT /api/tutors/me/profile)", "PUT", "/api/tutors/me/profile", { ...profile, timezone: "Asia/Tokyo" }],
  ] as const)("is refused with a 409 pointing to the Availability page when saved on %s; nothing changes", async (_where, method, path, body) => {
    const { tutor, booking } = await overrideAroundSession();
    const res = await tutor.client.request(method, path, body);
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("sessions_in_the_way");
    expect(res.json.error.message).toMatch(/Availability page/);
    // The one zone stays where it was, in all three places, and the session stays booked.
    expect((await tutor.client.get("/api/me")).json.user.timezone).toBe("UTC");
    expect((await tutor.client.get("/api/tutors/me/profile")).json.tutor.timezone).toBe("UTC");
    expect((await tutor.client.get("/api/tutors/me/availability")).json.availability.timezone).toBe("UTC");
    expect((await calendarOf(env, tutor.user.id).getSession(booking.id))!.booking.status).toBe("confirmed");
  });

  it("a change that leaves the session open moves the hours to the new zone at the same wall-clock times", async () => {
    const { tutor, booking } = await overrideAroundSession();
    // London in winter or summer: 10:00–14:00 there still holds 12:00 UTC.
    const res = await tutor.client.request("PATCH", "/api/me", { timezone: "Europe/London" });
    expect(res.status).toBe(200);
    const rules = (await tutor.client.get("/api/tutors/me/availability")).json.availability;
    expect(rules.timezone).toBe("Europe/London");
    expect(rules.overrides[0].intervals).toEqual([{ start: "10:00", end: "14:00" }]);
    expect((await calendarOf(env, tutor.user.id).getSession(booking.id))!.booking.status).toBe("confirmed");
  });
});
