import { env } from "cloudflare:workers";
import { DateTime } from "luxon";
import { getDb } from "../../platform/db/client";
import { namesOf } from "../../worker/features/video/repo";
import { calendarOf } from "../../worker/lib/stubs";
import { describe, expect, it } from "vitest";
import { ALL_WEEK, Client, approvedTutor, balance, drained, fundedStudent, signup, fund, slotAhead } from "./helpers";

const NY = "America/New_York";
const localDate = (iso: string) => DateTime.fromISO(iso, { zone: NY }).toISODate()!;
const book = (client: Client, tutorId: string, start: string) => client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics" });

/**
 * The tutor's first free start at least `minutesAhead` from now, as their calendar lists it: on the day New York's
 * clocks go back, a repeated wall-clock time is offered once, so a start on the UTC half-hour grid may not be one.
 */
async function freeStartAhead(tutorId: string, minutesAhead: number): Promise<string> {
  const from = slotAhead(minutesAhead);
  const to = new Date(Date.parse(from) + 6 * 3_600_000).toISOString();
  const { slots } = (await new Client().get(`/api/tutors/${tutorId}/slots?from=${from}&to=${to}&duration=60`)).json as { slots: { start: string }[] };
  return slots[0]!.start;
}

/** A New York tutor open all week, and a student called Maya Quinn with one session booked three days out. */
async function bookedDay() {
  const tutor = await approvedTutor({ timezone: NY, availability: ALL_WEEK(NY) });
  const maya = await signup("student", { name: "Maya Quinn" });
  await fund(maya.user.id, 120);
  const start = await freeStartAhead(tutor.user.id, 3 * 24 * 60);
  const booked = await book(maya.client, tutor.user.id, start);
  expect(booked.status).toBe(201);
  return { tutor, maya, start, date: localDate(start), booking: booked.json.booking as { id: string } };
}

/** The session as its calendar holds it (the one writer of the tutor's time). */
const bookingOf = async (tutorId: string, id: string) => (await calendarOf(env, tutorId).getSession(id))!.booking;

describe("a day off or override over a booked session is refused first", () => {
  it("a day off over a booked session is a 409 naming it (time in the tutor's zone, the student); nothing changes", async () => {
    const { tutor, date, start, booking } = await bookedDay();
    const res = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date, intervals: [] }] }));
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("sessions_in_the_way");
    const time = DateTime.fromISO(start, { zone: NY }).toFormat("h:mm");
    expect(res.json.error.issues).toEqual([{ path: `sessions.${booking.id}`, message: expect.stringContaining("Maya Quinn") }]);
    expect(res.json.error.issues[0].message).toContain(time);
    expect(res.json.error.issues[0].message).toContain("(America/New York)");
    expect(res.json.error.issues[0].message).toContain("Mathematics");
    expect(res.json.error.message).toContain("Maya Quinn");
    // Neither the rules nor the session moved.
    expect((await tutor.client.get("/api/tutors/me/availability")).json.availability.overrides).toEqual([]);
    expect((await bookingOf(tutor.user.id, booking.id)).status).toBe("confirmed");
  });

  it("other hours that miss the session are refused too; other hours that keep it, and a day off elsewhere, are saved", async () => {
    const { tutor, date, start } = await bookedDay();
    const hour = DateTime.fromISO(start, { zone: NY });
    const before = { start: "00:00", end: hour.toFormat("HH:mm") };
    // From an hour before (or the day's start, for a session in its first hour) to two hours after.
    const from = hour.minus({ hours: 1 });
    const around = { start: from.toISODate() === hour.toISODate() ? from.toFormat("HH:mm") : "00:00", end: hour.plus({ hours: 2 }).toFormat("HH:mm") };
    const missing = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date, intervals: before.end === "00:00" ? [] : [before] }] }));
    expect(missing.status).toBe(409);
    // A session near midnight: "around" may run past it, which the rules allow (an end before the start).
    const keeping = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date, intervals: [around] }] }));
    expect(keeping.status).toBe(200);
    expect(keeping.json.cancelled).toEqual([]);
    const elsewhere = DateTime.fromISO(date).plus({ days: 2 }).toISODate()!;
    const off = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date, intervals: [around] }, { date: elsewhere, intervals: [] }] }));
    expect(off.status).toBe(200);
  });

  it("confirmed, the session is cancelled by the tutor under the normal rules: the student is offered replacements, then refunded on declining", async () => {
    const subject = `subject-${crypto.randomUUID().slice(0, 8)}`;
    const tutor = await approvedTutor({ timezone: NY, availability: ALL_WEEK(NY), subjects: [subject] });
    const other = await approvedTutor({ subjects: [subject] });
    const maya = await signup("student", { name: "Maya Quinn" });
    await fund(maya.user.id, 120);
    const start = await freeStartAhead(tutor.user.id, 3 * 24 * 60);
    const date = localDate(start);
    const booked = await maya.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject });
    expect(booked.status).toBe(201);
    const booking = booked.json.booking as { id: string };
    const res = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date, intervals: [] }], confirm: true, reason: "Family wedding" }));
    expect(res.status).toBe(200);
    expect(res.json.availability.overrides).toEqual([{ date, intervals: [] }]);
    expect(res.json.cancelled.map((b: { id: string; status: string }) => [b.id, b.status])).toEqual([[booking.id, "cancelled"]]);
    expect((await bookingOf(tutor.user.id, booking.id)).status).toBe("cancelled");
    await drained(tutor.user.id);
    const offers = (await maya.client.get("/api/offers")).json.offers as { id: string; status: string; candidates: { tutorId: string }[] }[];
    expect(offers).toHaveLength(1);
    expect(offers[0]).toMatchObject({ status: "open", candidates: [{ tutorId: other.user.id }] });
    expect((await maya.client.post(`/api/offers/${offers[0]!.id}/decline`)).status).toBe(200);
    expect(await balance(maya.client)).toBe(120);
    // Maya hears who cancelled and why.
    const notices = (await maya.client.get("/api/notifications")).json.notifications as { body: string }[];
    expect(notices.some((n) => n.body.includes("Family wedding"))).toBe(true);
  });

  it("a group session's students are all named", async () => {
    const tutor = await approvedTutor({ timezone: NY, availability: ALL_WEEK(NY) });
    const start = await freeStartAhead(tutor.user.id, 3 * 24 * 60);
    const group = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 3 });
    expect(group.status).toBe(201);
    for (const name of ["Ana Ruiz", "Ben Okafor"]) {
      const s = await signup("student", { name });
      await fund(s.user.id, 120);
      expect((await s.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics", group: true })).status).toBe(201);
    }
    const res = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date: localDate(start), intervals: [] }] }));
    expect(res.status).toBe(409);
    expect(res.json.error.issues[0].message).toMatch(/Ana Ruiz, Ben Okafor|Ben Okafor, Ana Ruiz/);
  });

  it("a booking racing a day off never lands on it: either the day off is refused naming it, or the booking is refused", async () => {
    for (let round = 0; round < 4; round++) {
      const tutor = await approvedTutor({ timezone: NY, availability: ALL_WEEK(NY) });
      const student = await fundedStudent(120);
      const start = slotAhead((3 + round) * 24 * 60);
      const date = localDate(start);
      const [booked, dayOff] = await Promise.all([
        book(student.client, tutor.user.id, start),
        tutor.client.put("/api/tutors/me/availability", ALL_WEEK(NY, { overrides: [{ date, intervals: [] }] })),
      ]);
      expect([booked.status, dayOff.status]).not.toEqual([201, 200]);
      if (booked.status === 201) expect(dayOff.json.error.code).toMatch(/^(sessions_in_the_way|booking_in_progress)$/);
      const saved = (await tutor.client.get("/api/tutors/me/availability")).json.availability.overrides as unknown[];
      if (booked.status === 201) {
        expect(saved).toEqual([]);
        expect((await bookingOf(tutor.user.id, booked.json.booking.id)).status).toBe("confirmed");
      }
    }
  });
});

describe("the sessions in the way, in the tutor's language", () => {
  it.each([
    // Spanish: the weekday in full, as wherever Spanish puts a date after "el"; the zone in Spanish.
    { locale: "es-MX", zone: "America/Mexico_City", when: /^(lunes|martes|miércoles|jueves|viernes|sábado|domingo) \d+ de \S+, [^,]+ \(hora estándar central\)$/ },
    // Arabic: its own comma between the date and the time, never a Latin one; the zone in Arabic.
    { locale: "ar", zone: "Asia/Riyadh", when: /^(الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|الأحد)، [^,]+ \(التوقيت العربي الرسمي\)$/ },
  ])("names each session's time as a $locale reader writes it, the zone by its name in that language", async ({ locale, zone, when }) => {
    const tutor = await approvedTutor({ timezone: zone, availability: ALL_WEEK(zone) });
    expect((await tutor.client.request("PATCH", "/api/me", { locale })).status).toBe(200);
    const maya = await signup("student", { name: "Maya Quinn" });
    await fund(maya.user.id, 120);
    const start = await freeStartAhead(tutor.user.id, 3 * 24 * 60);
    expect((await book(maya.client, tutor.user.id, start)).status).toBe(201);
    const date = DateTime.fromISO(start, { zone }).toISODate()!;
    const res = await tutor.client.put("/api/tutors/me/availability", ALL_WEEK(zone, { overrides: [{ date, intervals: [] }] }));
    expect(res.status).toBe(409);
    const [time, , who] = (res.json.error.issues[0].message as string).split(" · ");
    expect(time).toMatch(when);
    expect(who).toBe("Maya Quinn");
  });
});

describe("overlapping weekly hours", () => {
  it("are refused with a message naming both ranges, on the later one", async () => {
    const tutor = await approvedTutor({ timezone: NY, availability: ALL_WEEK(NY) });
    const res = await tutor.client.put("/api/tutors/me/availability", {
      ...ALL_WEEK(NY),
      weekly: [{ weekday: 1, start: "09:00", end: "12:00" }, { weekday: 1, start: "11:00", end: "14:00" }],
    });
    expect(res.status).toBe(400);
    expect(res.json.error.issues).toContainEqual({ path: "weekly.1", message: "Monday 11:00–14:00 overlaps Monday 09:00–12:00. Join them into one range or change one of them." });
    expect((await tutor.client.get("/api/tutors/me/availability")).json.availability.weekly).toHaveLength(7);
  });
});

describe("new hours over a busy tutor's sessions", () => {
  // A change of hours over months of group classes can cover sessions of more students than D1 binds to one
  // statement (100): the 409 names them all from `namesOf` (booking the classes one by one here would take minutes).
  it("names every one of 150 students whose sessions a change would cover", async () => {
    const ids = Array.from({ length: 150 }, () => crypto.randomUUID());
    await env.DB.batch(ids.map((id, i) => env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash) VALUES (?, ?, ?, 'student', 'UTC', 'x')").bind(id, `${id}@example.com`, `Student ${i}`)));
    const names = await namesOf(getDb(env), ids);
    expect(names.size).toBe(150);
    expect(names.get(ids[149]!)).toBe("Student 149");
  });
});
