import { describe, expect, it } from "vitest";
import { Client, adminClient, approvedTutor, fundedStudent, signup, slotAhead } from "./helpers";

describe("GET /api/auth/session", () => {
  it("answers a visitor with 200 and no user (the SPA asks on every load; a 401 would be logged as a browser error)", async () => {
    const res = await new Client().get("/api/auth/session");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ user: null });
  });

  it("answers a signed-in user with who they are", async () => {
    const { client, user } = await signup("student");
    const res = await client.get("/api/auth/session");
    expect(res.status).toBe(200);
    expect(res.json.user).toMatchObject({ id: user.id, email: user.email, role: "student" });
  });
});

describe("POST /api/dev/bookings/:id/move (development and tests only)", () => {
  it("moves a booking for its tutor, its student and admins, and is a 404 for everyone else", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(72 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(booked.status).toBe(201);
    const id = booked.json.booking.id as string;
    const move = (c: Client, minutesAhead: number) =>
      c.post(`/api/dev/bookings/${id}/move`, { start: slotAhead(minutesAhead), end: slotAhead(minutesAhead + 60) });

    const stranger = await fundedStudent(0);
    const otherTutor = await approvedTutor();
    for (const outsider of [stranger.client, otherTutor.client]) {
      const res = await move(outsider, 10);
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
    const unchanged = (await student.client.get("/api/bookings")).json.bookings[0];
    expect(unchanged.start).toBe(booked.json.booking.start);

    for (const [who, client] of [["student", student.client], ["tutor", tutor.client], ["admin", await adminClient()]] as const) {
      const res = await move(client, who === "student" ? 20 : who === "tutor" ? 30 : 40);
      expect(res.status, who).toBe(200);
    }
  });
});
