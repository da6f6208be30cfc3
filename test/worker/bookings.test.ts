import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ALL_WEEK, Client, adminClient, approvedTutor, balance, fundedStudent, settleWallet, signup, slotAhead } from "./helpers";

const book = (client: Client, body: Record<string, unknown>, key?: string) =>
  client.post("/api/bookings", { subject: "mathematics", durationMinutes: 60, ...body }, key ? { "Idempotency-Key": key } : {});

describe("POST /api/bookings", () => {
  it("books a free slot, spends the credits and lists it for student and tutor", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const res = await book(student.client, { tutorId: tutor.user.id, start });
    expect(res.status).toBe(201);
    expect(res.json.booking).toMatchObject({
      tutorId: tutor.user.id,
      studentIds: [student.user.id],
      start,
      end: new Date(Date.parse(start) + 3_600_000).toISOString(),
      subject: "mathematics",
      kind: "one_on_one",
      status: "confirmed",
      source: "app",
      creditsMinutes: 60,
    });
    expect(await balance(student.client)).toBe(60);
    // Listings read the D1 projection, written after the answer: the booking shows there within a second.
    await expect.poll(async () => (await student.client.get("/api/bookings")).json.bookings.map((b: { id: string }) => b.id), { timeout: 1000, interval: 20 }).toEqual([res.json.booking.id]);
    await expect.poll(async () => (await tutor.client.get("/api/bookings")).json.bookings[0], { timeout: 1000, interval: 20 }).toMatchObject({ id: res.json.booking.id, studentIds: [student.user.id] });
  });

  it("removes the booked slot from the tutor's free slots", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const before = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + 4 * 3_600_000).toISOString()}&duration=60`);
    expect(before.json.slots.map((s: { start: string }) => s.start)).toContain(start);
    await book(student.client, { tutorId: tutor.user.id, start });
    const after = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + 4 * 3_600_000).toISOString()}&duration=60`);
    const starts = after.json.slots.map((s: { start: string }) => s.start);
    expect(starts).not.toContain(start);
    expect(starts).not.toContain(new Date(Date.parse(start) + 30 * 60_000).toISOString());
    expect(starts).toContain(new Date(Date.parse(start) + 60 * 60_000).toISOString());
  });

  it("answers 409 slot_unavailable when the time is taken", async () => {
    const tutor = await approvedTutor();
    const [a, b] = [await fundedStudent(120), await fundedStudent(120)];
    const start = slotAhead(48 * 60);
    expect((await book(a.client, { tutorId: tutor.user.id, start })).status).toBe(201);
    const res = await book(b.client, { tutorId: tutor.user.id, start: new Date(Date.parse(start) + 30 * 60_000).toISOString() });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("slot_unavailable");
    expect(await balance(b.client)).toBe(120);
  });

  it("answers 402 insufficient_credits and releases the hold", async () => {
    const tutor = await approvedTutor();
    const poor = await fundedStudent(30);
    const rich = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const res = await book(poor.client, { tutorId: tutor.user.id, start });
    expect(res.status).toBe(402);
    expect(res.json.error.code).toBe("insufficient_credits");
    expect(await balance(poor.client)).toBe(30);
    expect((await book(rich.client, { tutorId: tutor.user.id, start })).status).toBe(201);
  });

  it("answers 409 student_busy when the student has another session then, with another tutor", async () => {
    const [t1, t2] = [await approvedTutor(), await approvedTutor()];
    const student = await fundedStudent(240);
    const start = slotAhead(48 * 60);
    expect((await book(student.client, { tutorId: t1.user.id, start })).status).toBe(201);
    const res = await book(student.client, { tutorId: t2.user.id, start: new Date(Date.parse(start) + 30 * 60_000).toISOString() });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("student_busy");
    expect(await balance(student.client)).toBe(180);
    // t2's slot was held and is free again.
    const other = await fundedStudent(60);
    expect((await book(other.client, { tutorId: t2.user.id, start: new Date(Date.parse(start) + 30 * 60_000).toISOString() })).status).toBe(201);
  });

  it("refuses what the UI would never offer: off-grid starts, inside the buffer, too soon, beyond the horizon", async () => {
    const tutor = await approvedTutor({ availability: ALL_WEEK("UTC", { bufferMinutes: 15, minNoticeMinutes: 120, horizonDays: 7 }) });
    const student = await fundedStudent(600);
    const base = slotAhead(48 * 60);
    expect((await book(student.client, { tutorId: tutor.user.id, start: base })).status).toBe(201);
    const cases = [
      new Date(Date.parse(base) + 24 * 3_600_000 + 7 * 60_000).toISOString(), // 09:07-style off-grid
      new Date(Date.parse(base) + 60 * 60_000).toISOString(), // right after: inside the 15 min buffer
      slotAhead(30), // inside the 2 h notice
      slotAhead(8 * 24 * 60), // beyond 7 days
    ];
    for (const start of cases) {
      const res = await book(student.client, { tutorId: tutor.user.id, start });
      expect(res.status, start).toBe(409);
      expect(res.json.error.code).toBe("slot_unavailable");
    }
    expect(await balance(student.client)).toBe(540);
  });

  it("refuses unapproved tutors (404), subjects they do not teach (400) and durations not on offer (400)", async () => {
    const unapproved = await signup("tutor");
    const tutor = await approvedTutor();
    const student = await fundedStudent(600);
    const start = slotAhead(48 * 60);
    expect((await book(student.client, { tutorId: unapproved.user.id, start })).status).toBe(404);
    const wrongSubject = await book(student.client, { tutorId: tutor.user.id, start, subject: "chemistry" });
    expect(wrongSubject.status).toBe(400);
    expect(wrongSubject.json.error.code).toBe("subject_not_taught");
    const wrongDuration = await book(student.client, { tutorId: tutor.user.id, start, durationMinutes: 50 });
    expect(wrongDuration.status).toBe(400);
    expect(wrongDuration.json.error.issues[0].path).toBe("durationMinutes");
  });

  it("is for students only", async () => {
    const tutor = await approvedTutor();
    const other = await approvedTutor();
    const start = slotAhead(48 * 60);
    expect((await book(other.client, { tutorId: tutor.user.id, start })).status).toBe(403);
    expect((await book(new Client(), { tutorId: tutor.user.id, start })).status).toBe(401);
  });

  it("returns the first result for a retried Idempotency-Key and spends once", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const first = await book(student.client, { tutorId: tutor.user.id, start }, "key-1");
    const again = await book(student.client, { tutorId: tutor.user.id, start }, "key-1");
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json.booking.id).toBe(first.json.booking.id);
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await balance(student.client)).toBe(60);
    const reused = await book(student.client, { tutorId: tutor.user.id, start: slotAhead(72 * 60) }, "key-1");
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe("idempotency_key_reused");
  });

  it("concurrent retries with one Idempotency-Key create one booking and spend once", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const results = await Promise.all(Array.from({ length: 8 }, () => book(student.client, { tutorId: tutor.user.id, start }, "same-key")));
    const ids = new Set(results.filter((r) => r.status === 201).map((r) => r.json.booking.id));
    expect(ids.size).toBe(1);
    expect(await balance(student.client)).toBe(60);
    await settleWallet(student.user.id);
    const rows = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND kind = 'debit'").bind(student.user.id).first<{ n: number }>();
    expect(rows!.n).toBe(1);
  });
});

describe("one Idempotency-Key reused with two tutors", () => {
  const openGroup = async (tutor: Awaited<ReturnType<typeof approvedTutor>>, start: string) =>
    expect((await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 4 })).status).toBe(201);
  const expectReused = (res: { status: number; json: { error?: { code: string } } }) => {
    expect(res.status).toBe(422);
    expect(res.json.error?.code).toBe("idempotency_key_reused");
  };

  it("refuses a 1:1 booking with the second tutor (422): one booking, paid once; the first one's retry still answers", async () => {
    const [a, b] = [await approvedTutor(), await approvedTutor()];
    const s = await fundedStudent(600);
    const first = await book(s.client, { tutorId: a.user.id, start: slotAhead(72 * 60) }, "lesson-key");
    expect(first.status).toBe(201);
    expectReused(await book(s.client, { tutorId: b.user.id, start: slotAhead(96 * 60) }, "lesson-key"));
    expectReused(await book(s.client, { tutorId: b.user.id, start: slotAhead(96 * 60) }, "lesson-key"));
    expect(await balance(s.client)).toBe(540);
    const retry = await book(s.client, { tutorId: a.user.id, start: slotAhead(72 * 60) }, "lesson-key");
    expect(retry.status).toBe(201);
    expect(retry.json.booking.id).toBe(first.json.booking.id);
    // The second tutor's time was only held for the refused request: it is free again.
    expect((await book(s.client, { tutorId: b.user.id, start: slotAhead(96 * 60) }, "another-key")).status).toBe(201);
    expect(await balance(s.client)).toBe(480);
  });

  it("refuses a group seat with the second tutor (422), nothing spent", async () => {
    const [a, b] = [await approvedTutor(), await approvedTutor()];
    const [atA, atB] = [slotAhead(72 * 60), slotAhead(96 * 60)];
    await openGroup(a, atA);
    await openGroup(b, atB);
    const s = await fundedStudent(600);
    expect((await book(s.client, { tutorId: a.user.id, start: atA, group: true }, "seat-key")).status).toBe(201);
    const paidOnce = await balance(s.client);
    expect(paidOnce).toBeLessThan(600);
    expectReused(await book(s.client, { tutorId: b.user.id, start: atB, group: true }, "seat-key"));
    expect(await balance(s.client)).toBe(paidOnce);
    expect((await book(s.client, { tutorId: b.user.id, start: atB, group: true }, "seat-key-2")).status).toBe(201);
  });

  it("refuses a weekly series with the second tutor, and a booking of another kind under the key (422)", async () => {
    const [a, b] = [await approvedTutor(), await approvedTutor()];
    const s = await fundedStudent(600);
    expect((await book(s.client, { tutorId: a.user.id, start: slotAhead(72 * 60), repeat: { weeks: 3 } }, "weekly-key")).status).toBe(201);
    const afterFirstWeek = await balance(s.client);
    expectReused(await book(s.client, { tutorId: b.user.id, start: slotAhead(96 * 60), repeat: { weeks: 3 } }, "weekly-key"));
    // The same key for a 1:1 lesson with the first tutor is another request too.
    expectReused(await book(s.client, { tutorId: a.user.id, start: slotAhead(120 * 60) }, "weekly-key"));
    expect(await balance(s.client)).toBe(afterFirstWeek);
    // Nothing of the refused series stays with the second tutor: its first week's time is free.
    expect((await book(s.client, { tutorId: b.user.id, start: slotAhead(96 * 60) }, "one-lesson")).status).toBe(201);
  });

  it("lets one of two concurrent requests under one key with two tutors through: one booking, paid once", async () => {
    const [a, b] = [await approvedTutor(), await approvedTutor()];
    const s = await fundedStudent(600);
    const answers = await Promise.all([
      book(s.client, { tutorId: a.user.id, start: slotAhead(72 * 60) }, "racing-key"),
      book(s.client, { tutorId: b.user.id, start: slotAhead(96 * 60) }, "racing-key"),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 422]);
    expect(await balance(s.client)).toBe(540);
  });
});

describe("instants from before there were lessons", () => {
  it("are a 400 with the envelope on every route that takes one, not a 500", async () => {
    const tutor = await approvedTutor();
    const s = await fundedStudent(600);
    const lesson = { tutorId: tutor.user.id, durationMinutes: 60, subject: "mathematics" };
    const booking = (await s.client.post("/api/bookings", { ...lesson, start: slotAhead(72 * 60) })).json.booking;
    const series = (await s.client.post("/api/bookings", { ...lesson, start: slotAhead(100 * 60), repeat: { weeks: 2 } })).json.series;
    for (const old of ["1969-12-31T23:00:00Z", "1970-01-01T00:00:00Z", "1999-12-31T23:59:59Z"]) {
      const answers = [
        await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${old}&to=2000-01-02T00:00:00Z&duration=60`),
        await s.client.post("/api/bookings", { ...lesson, start: old }),
        await s.client.post("/api/bookings", { ...lesson, start: old, group: true }),
        await s.client.post("/api/bookings", { ...lesson, start: old, repeat: { weeks: 2 } }),
        await s.client.post(`/api/bookings/${booking.id}/reschedule`, { start: old }),
        await s.client.post(`/api/series/${series.id}/cancel`, { from: old }),
        await s.client.post(`/api/series/${series.id}/move`, { from: old, start: old }),
        await tutor.client.post("/api/tutors/me/group-sessions", { start: old, durationMinutes: 60, subject: "mathematics", seats: 4 }),
      ];
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(400));
      for (const r of answers) expect(r.json.error).toMatchObject({ code: "invalid_request", message: expect.any(String) });
    }
    expect(await balance(s.client)).toBe(600 - 60 - 60);
  });
});

describe("concurrency at one slot", () => {
  it("lets exactly one of 30 students win the same slot; the others keep their credits", async () => {
    const tutor = await approvedTutor();
    const students = await Promise.all(Array.from({ length: 30 }, () => fundedStudent(60)));
    const start = slotAhead(48 * 60);
    const results = await Promise.all(students.map((s) => book(s.client, { tutorId: tutor.user.id, start })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.json.error.code === "slot_unavailable")).toBe(true);
    const balances = await Promise.all(students.map((s) => balance(s.client)));
    expect(balances.filter((b) => b === 0)).toHaveLength(1);
    expect(balances.filter((b) => b === 60)).toHaveLength(29);
  });

  it("never lets one student's concurrent bookings with different tutors overlap or overspend", async () => {
    const tutors = await Promise.all(Array.from({ length: 6 }, () => approvedTutor()));
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const later = slotAhead(72 * 60);
    const results = await Promise.all(tutors.map((t, i) => book(student.client, { tutorId: t.user.id, start: i % 2 ? start : later })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(await balance(student.client)).toBe(0);
  });
});

describe("lists of many sessions", () => {
  /** `count` past one-to-one sessions of `tutorId` with `studentId`, as the calendar projects them into D1. */
  async function pastSessions(tutorId: string, studentId: string, count: number) {
    const start = Date.now() - 200 * 86_400_000;
    const rows = Array.from({ length: count }, (_, i) => {
      const id = `${tutorId}:past-${i}`;
      const at = new Date(start + i * 86_400_000).toISOString();
      const end = new Date(start + i * 86_400_000 + 3_600_000).toISOString();
      return [
        env.DB.prepare("INSERT INTO bookings (id, tutor_id, kind, status, subject, start_at, end_at, credits_minutes, created_at, updated_at) VALUES (?, ?, 'one_on_one', 'completed', 'mathematics', ?, ?, 60, ?, ?)").bind(id, tutorId, at, end, at, end),
        env.DB.prepare("INSERT INTO booking_participants (booking_id, student_id, reservation_id, status, credits_minutes) VALUES (?, ?, ?, 'confirmed', 60)").bind(id, studentId, id),
      ];
    });
    for (let i = 0; i < rows.length; i += 25) await env.DB.batch(rows.slice(i, i + 25).flat());
  }

  it("a tutor, their student and an admin each list 150 sessions, every one with its seat", async () => {
    const tutor = await signup("tutor");
    const student = await signup("student");
    await pastSessions(tutor.user.id, student.user.id, 150);
    const admin = await adminClient();
    for (const [client, path] of [
      [tutor.client, "/api/bookings"],
      [student.client, "/api/bookings"],
      [admin, `/api/bookings?tutorId=${tutor.user.id}`],
      [admin, `/api/bookings?studentId=${student.user.id}`],
    ] as const) {
      const res = await client.get(path);
      expect(res.status, path).toBe(200);
      expect(res.json.bookings).toHaveLength(150);
      for (const b of res.json.bookings) expect(b.studentIds).toEqual([student.user.id]);
    }
  });
});
