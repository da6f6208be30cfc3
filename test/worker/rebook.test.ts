import { env } from "cloudflare:workers";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { MyTutor } from "../../domain/rebook";
import { calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, type Client, approvedTutor, balance, drained, fundedStudent, settleWallet, signup, slotAhead } from "./helpers";

const HOUR = 3_600_000;
type Tutor = Awaited<ReturnType<typeof approvedTutor>>;
type Student = Awaited<ReturnType<typeof fundedStudent>>;

/**
 * A lesson the student had with the tutor at `start` (in the past): booked ahead as usual, then moved to that time
 * (a development-only calendar call) and completed by the system once over.
 */
async function hadLesson(tutor: Tutor, student: Student, start: string, minutes = 60): Promise<string> {
  const from = slotAhead(24 * 60);
  const to = new Date(Date.parse(from) + 14 * 86_400_000).toISOString();
  const free = await student.client.get(`/api/tutors/${tutor.user.id}/slots?from=${from}&to=${to}&duration=${minutes}`);
  const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: free.json.slots[0].start, durationMinutes: minutes, subject: "mathematics" });
  if (booked.status !== 201) throw new Error(booked.text);
  const id: string = booked.json.booking.id;
  const calendar = calendarOf(env, tutor.user.id);
  const at = Date.parse(start);
  expect((await calendar.moveSessionForTesting({ tutorId: tutor.user.id, sessionId: id, start: at, end: at + minutes * 60_000, now: Date.now() })).ok).toBe(true);
  expect((await calendar.complete({ tutorId: tutor.user.id, sessionId: id, actor: "system", now: at + minutes * 60_000 + HOUR })).ok).toBe(true);
  await drained(tutor.user.id);
  return id;
}

const myTutors = async (client: Client) => {
  const res = await client.get("/api/me/tutors");
  expect(res.status).toBe(200);
  return res.json.tutors as MyTutor[];
};

const daysAgo = (days: number) => new Date(Math.floor((Date.now() - days * 86_400_000) / HOUR) * HOUR).toISOString();

describe("My tutors: GET /api/me/tutors", () => {
  it("lists only the tutors the student has had a completed lesson with, the most recent first", async () => {
    const [olivia, lucas, upcomingOnly, someoneElses] = await Promise.all([approvedTutor(), approvedTutor(), approvedTutor(), approvedTutor()]);
    const student = await fundedStudent(600);
    const other = await fundedStudent(600);
    await hadLesson(olivia, student, daysAgo(20));
    const lastLesson = daysAgo(13);
    await hadLesson(olivia, student, lastLesson);
    await hadLesson(lucas, student, daysAgo(3));
    // Booked but not yet taught: not "met" yet.
    expect((await student.client.post("/api/bookings", { tutorId: upcomingOnly.user.id, start: slotAhead(2 * 24 * 60), durationMinutes: 60, subject: "mathematics" })).status).toBe(201);
    await drained(upcomingOnly.user.id);
    // Another student's tutor.
    await hadLesson(someoneElses, other, daysAgo(2));

    const mine = await myTutors(student.client);
    expect(mine.map((m) => m.tutor.id)).toEqual([lucas.user.id, olivia.user.id]);
    expect(mine[1]!.completed).toBe(2);
    expect(mine[1]!.last.start).toBe(lastLesson);
    expect((await myTutors(other.client)).map((m) => m.tutor.id)).toEqual([someoneElses.user.id]);

    // Students only: a tutor, or nobody, is refused.
    expect((await olivia.client.get("/api/me/tutors")).status).toBe(403);
    expect((await (await signup("student")).client.get("/api/me/tutors")).json.tutors).toEqual([]);
  });

  it("offers the same weekday and time next week at the tutor's wall-clock time, across their DST change", async () => {
    const zone = "America/New_York";
    // Wednesdays 09:00–12:00 in New York only.
    const tutor = await approvedTutor({ timezone: zone, availability: { ...ALL_WEEK(zone), weekly: [{ weekday: 3, start: "09:00", end: "12:00" }] } });
    const student = await fundedStudent(600);
    // Wednesday October 28 2026, 09:00 EDT (13:00Z): before New York's clocks went back on November 1.
    await hadLesson(tutor, student, "2026-10-28T13:00:00.000Z");

    const [mine] = await myTutors(student.client);
    const ny = DateTime.now().setZone(zone);
    let expected = ny.set({ weekday: 3, hour: 9, minute: 0, second: 0, millisecond: 0 });
    if (expected <= ny) expected = expected.plus({ weeks: 1 });
    // 09:00 in New York still, which is now 14:00Z (EST), not 13:00Z.
    expect(mine!.nextWeek.start).toBe(expected.toUTC().toISO({ suppressMilliseconds: false }));
    expect(DateTime.fromISO(mine!.nextWeek.start, { zone }).toFormat("ccc HH:mm")).toBe("Wed 09:00");
    expect(mine!.nextWeek.free).toBe(true);
    expect(mine!.price.creditMinutes).toBe(60);
    // The soonest free slots come from the calendar: Wednesdays from 09:00 New York time.
    expect(mine!.nextFree.length).toBe(3);
    for (const s of mine!.nextFree) expect(DateTime.fromISO(s.start, { zone }).toFormat("ccc")).toBe("Wed");
    // The first is the next Wednesday 09:00, unless it is a Wednesday morning in New York now, after 09:00: a later
    // start that morning then.
    const first = DateTime.fromISO(mine!.nextFree[0]!.start, { zone });
    const laterThisMorning = first.hasSame(ny, "day") && first > ny && first < expected;
    if (!laterThisMorning) expect(mine!.nextFree[0]!.start).toBe(expected.toUTC().toISO());
  });

  it("says when the same time next week is taken, offers the nearest free slots, and a booking there is refused", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const rival = await fundedStudent(600);
    await hadLesson(tutor, student, daysAgo(4));
    const before = (await myTutors(student.client))[0]!;
    expect(before.nextWeek.free).toBe(true);

    expect((await rival.client.post("/api/bookings", { tutorId: tutor.user.id, start: before.nextWeek.start, durationMinutes: 60, subject: "mathematics" })).status).toBe(201);
    const after = (await myTutors(student.client))[0]!;
    expect(after.nextWeek.start).toBe(before.nextWeek.start);
    expect(after.nextWeek.free).toBe(false);
    expect(after.nextWeek.alternatives).toHaveLength(3);
    const target = Date.parse(after.nextWeek.start);
    for (const s of after.nextWeek.alternatives) {
      // Free, clear of the rival's hour, and within a few hours of it.
      expect(Date.parse(s.start) >= target + HOUR || Date.parse(s.end) <= target).toBe(true);
      expect(Math.abs(Date.parse(s.start) - target)).toBeLessThanOrEqual(2 * HOUR);
    }
    const refused = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: after.nextWeek.start, durationMinutes: 60, subject: "mathematics" });
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe("slot_unavailable");
  });

  it("books the same time next week in one click, once however often the click is sent", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 4500 });
    const student = await fundedStudent(600);
    await hadLesson(tutor, student, daysAgo(2));
    const start = await balance(student.client);
    const [card] = await myTutors(student.client);
    expect(card!.price.creditMinutes).toBe(90);
    const body = { tutorId: tutor.user.id, start: card!.nextWeek.start, durationMinutes: card!.last.durationMinutes, subject: card!.last.subject };
    const key = "rebook-next-week-1";
    const [a, b] = await Promise.all([1, 2].map(() => student.client.post("/api/bookings", body, { "Idempotency-Key": key })));
    const again = await student.client.post("/api/bookings", body, { "Idempotency-Key": key });
    for (const r of [a!, b!, again]) expect(r.status).toBe(201);
    expect(new Set([a!.json.booking.id, b!.json.booking.id, again.json.booking.id]).size).toBe(1);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    await settleWallet(student.user.id);
    expect(await balance(student.client)).toBe(start - 90);
    await drained(tutor.user.id);
    // The card now shows it as booked (the student's next session with this tutor).
    const [booked] = await myTutors(student.client);
    expect(booked!.upcoming).toEqual({ id: a!.json.booking.id, start: card!.nextWeek.start, end: card!.nextWeek.end });
  });
});
