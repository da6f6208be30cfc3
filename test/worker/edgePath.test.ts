import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { backfillTutorFacts } from "../../worker/features/tutors/facts";
import { app } from "../../worker/index";
import { calendarOf } from "../../worker/lib/stubs";
import { ALL_WEEK, Client, adminClient, approvedTutor, balance, drained, fundedStudent, slotAhead } from "./helpers";

/** The D1 binding, recording every statement the Worker prepares through it (sessions included). */
function recording(db: D1Database, seen: string[]): D1Database {
  const watch = (source: { prepare(q: string): D1PreparedStatement }) => (q: string) => {
    seen.push(q);
    return source.prepare(q);
  };
  return {
    prepare: watch(db),
    batch: (s) => db.batch(s),
    exec: (q) => db.exec(q),
    dump: () => db.dump(),
    withSession: (c) => {
      const session = db.withSession(c);
      return { prepare: watch(session), batch: (s) => session.batch(s), getBookmark: () => session.getBookmark() };
    },
  };
}

/** The same user's client, answered by the Worker over a D1 that records what it is asked. */
function watched(of: Client, seen: string[]) {
  const client = new Client(undefined, (req) => Promise.resolve(app.fetch(req, { ...env, DB: recording(env.DB, seen) }, createExecutionContext())));
  client.cookie = of.cookie;
  return client;
}

/** What reached D1 besides finding the signed-in user (which the signed session credential takes off the path). */
const beyondAuth = (seen: string[]) => seen.filter((q) => !q.includes("auth_sessions"));

describe("the booking path", () => {
  it("books, retries, moves and cancels without the Worker reading or writing D1 (the tutor's calendar answers)", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(240);
    const seen: string[] = [];
    const as = watched(student.client, seen);
    const body = { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" };
    const first = await as.post("/api/bookings", body, { "Idempotency-Key": "edge-1" });
    expect(first.status).toBe(201);
    const retry = await as.post("/api/bookings", body, { "Idempotency-Key": "edge-1" });
    expect(retry.status).toBe(201);
    expect(retry.json.booking.id).toBe(first.json.booking.id);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
    const id = first.json.booking.id as string;
    expect((await as.post(`/api/bookings/${id}/reschedule`, { start: slotAhead(50 * 60) }, { "Idempotency-Key": "edge-2" })).status).toBe(200);
    const cancelled = await as.post(`/api/bookings/${id}/cancel`, {}, { "Idempotency-Key": "edge-3" });
    expect(cancelled.json.booking.status).toBe("cancelled");
    const again = await as.post(`/api/bookings/${id}/cancel`, {}, { "Idempotency-Key": "edge-3" });
    expect(again.headers.get("Idempotent-Replayed")).toBe("true");
    expect(await balance(student.client)).toBe(240);
    expect(beyondAuth(seen)).toEqual([]);
  });

  it("refuses a reused Idempotency-Key for a different move (422), from the calendar's memory", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(120);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    const move = (start: string) => student.client.post(`/api/bookings/${json.booking.id}/reschedule`, { start }, { "Idempotency-Key": "move-1" });
    expect((await move(slotAhead(50 * 60))).status).toBe(200);
    const reused = await move(slotAhead(52 * 60));
    expect(reused.status).toBe(422);
    expect(reused.json.error.code).toBe("idempotency_key_reused");
  });

  it("lists a booking within a second of its confirmation (the projection drains after the answer)", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(res.status).toBe(201);
    await expect
      .poll(async () => (await tutor.client.get("/api/bookings")).json.bookings.map((b: { id: string }) => b.id), { timeout: 1000, interval: 10 })
      .toContain(res.json.booking.id);
  });
});

describe("tutor facts in the calendar", () => {
  it("are pushed on every change: approval, profile edit (rate, subjects, name)", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 3000 });
    const calendar = calendarOf(env, tutor.user.id);
    expect(await calendar.tutorFacts()).toMatchObject({ tutorId: tutor.user.id, name: "Test Tutor", approved: true, subjects: ["mathematics"], hourlyRateCents: 3000 });
    await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["physics", "mathematics"], hourlyRateCents: 4200, timezone: "UTC" });
    expect(await calendar.tutorFacts()).toMatchObject({ subjects: ["mathematics", "physics"], hourlyRateCents: 4200 });
  });

  it("carry whether the tutor is listed: a suspended tutor is refused by the calendar alone, and bookable again once restored", async () => {
    const tutor = await approvedTutor();
    const admin = await adminClient();
    const student = await fundedStudent(120);
    expect((await admin.post(`/api/admin/users/${tutor.user.id}/suspend`, { reason: "Under review" })).status).toBe(200);
    expect(await calendarOf(env, tutor.user.id).tutorFacts()).toMatchObject({ listed: false, suspended: true });
    const seen: string[] = [];
    const body = { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" };
    const refused = await watched(student.client, seen).post("/api/bookings", body);
    expect(refused.status).toBe(404);
    expect(refused.json.error.code).toBe("not_found");
    expect(beyondAuth(seen)).toEqual([]);
    expect((await admin.post(`/api/admin/users/${tutor.user.id}/restore`, {})).status).toBe(200);
    expect((await student.client.post("/api/bookings", body)).status).toBe(201);
    expect(await balance(student.client)).toBe(60);
  });

  it("keep the newest push when two arrive out of order", async () => {
    const tutor = await approvedTutor();
    const calendar = calendarOf(env, tutor.user.id);
    const held = (await calendar.tutorFacts())!;
    expect(await calendar.setFacts({ ...held, hourlyRateCents: 9000, version: held.version - 1 })).toBe(false);
    expect((await calendar.tutorFacts())!.hourlyRateCents).toBe(held.hourlyRateCents);
  });

  it("reach a calendar that predates them: read once on first use, and backfilled by the daily job", async () => {
    const tutorId = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash, email_verified_at) VALUES (?, ?, 'Old Tutor', 'tutor', 'UTC', 'x', ?)").bind(tutorId, `old-${tutorId}@example.com`, new Date().toISOString()),
      env.DB.prepare("INSERT INTO tutor_profiles (user_id, bio, hourly_rate_cents, timezone, approved_at) VALUES (?, '', 3000, 'UTC', ?)").bind(tutorId, new Date().toISOString()),
      env.DB.prepare("INSERT INTO tutor_subjects (tutor_id, subject) VALUES (?, 'mathematics')").bind(tutorId),
    ]);
    const calendar = calendarOf(env, tutorId);
    await calendar.setAvailability(tutorId, ALL_WEEK());
    expect(await calendar.tutorFacts()).toBeNull();
    await env.DB.prepare("DELETE FROM app_meta WHERE key = 'tutor_facts_backfill'").run();
    const run = await backfillTutorFacts(env);
    expect(run.done).toBe(true);
    expect(await calendar.tutorFacts()).toMatchObject({ tutorId, name: "Old Tutor", approved: true, hourlyRateCents: 3000 });

    // A tutor made after the backfill ran and never pushed (here: by hand) is still bookable: the calendar reads D1 once.
    const late = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash, email_verified_at) VALUES (?, ?, 'Late Tutor', 'tutor', 'UTC', 'x', ?)").bind(late, `late-${late}@example.com`, new Date().toISOString()),
      env.DB.prepare("INSERT INTO tutor_profiles (user_id, bio, hourly_rate_cents, timezone, approved_at) VALUES (?, '', 3000, 'UTC', ?)").bind(late, new Date().toISOString()),
      env.DB.prepare("INSERT INTO tutor_subjects (tutor_id, subject) VALUES (?, 'mathematics')").bind(late),
    ]);
    await calendarOf(env, late).setAvailability(late, ALL_WEEK());
    const student = await fundedStudent(60);
    const res = await student.client.post("/api/bookings", { tutorId: late, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(res.status).toBe(201);
    await drained(late);
  });
});

describe("reads through D1 sessions", () => {
  it("answers with the caller's newest bookmark (cookie and header); carrying it back reads one's own writes", async () => {
    const tutor = await approvedTutor();
    const write = await tutor.client.put("/api/tutors/me/profile", { bio: "Now with bookmarks", subjects: ["mathematics"], hourlyRateCents: 3100, timezone: "UTC" });
    expect(write.status).toBe(200);
    const bookmark = write.headers.get("x-d1-bookmark");
    expect(bookmark).toMatch(/^[0-9A-Za-z-]+$/);
    const cookie = write.headers.getSetCookie().find((c) => c.startsWith("tutorly_d1="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Path=\/api/);
    const read = await tutor.client.get("/api/tutors/me/profile", { "x-d1-bookmark": bookmark! });
    expect(read.json.tutor).toMatchObject({ bio: "Now with bookmarks", hourlyRateCents: 3100 });
    // Bookmarks only move forward.
    expect((read.headers.get("x-d1-bookmark") ?? bookmark!) >= bookmark!).toBe(true);
  });

  it("ignores a bookmark that is not one", async () => {
    const res = await new Client().get("/api/plans", { "x-d1-bookmark": "'; DROP TABLE users; --" });
    expect(res.status).toBe(200);
  });
});
