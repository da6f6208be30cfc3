import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { Client, adminClient, approvedTutor, balance, drained, fund, fundedStudent, settleWallet, signup, slotAhead } from "./helpers";

const book = (client: Client, tutorId: string, start: string, extra: Record<string, unknown> = {}) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics", ...extra });

describe("cancelling", () => {
  it("a student cancelling at least 24 h ahead gets the credits back", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(48 * 60));
    expect(await balance(student.client)).toBe(0);
    const res = await student.client.post(`/api/bookings/${json.booking.id}/cancel`, { reason: "exam moved" });
    expect(res.status).toBe(200);
    expect(res.json.booking.status).toBe("cancelled");
    expect(await balance(student.client)).toBe(60);
    await expect.poll(async () => (await student.client.get("/api/bookings")).json.bookings[0]?.status, { timeout: 1000, interval: 20 }).toBe("cancelled");
  });

  it("a student cancelling less than 24 h ahead gets nothing back", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(6 * 60));
    const res = await student.client.post(`/api/bookings/${json.booking.id}/cancel`, {});
    expect(res.status).toBe(200);
    expect(await balance(student.client)).toBe(0);
  });

  it("a tutor cancelling at the last minute refunds at once (no time left to pick a replacement) and frees the slot", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(40);
    const { json } = await book(student.client, tutor.user.id, start);
    const res = await tutor.client.post(`/api/bookings/${json.booking.id}/cancel`, { reason: "ill" });
    expect(res.status).toBe(200);
    await drained(tutor.user.id); // the student's account decides between offers and a refund after the answer
    expect(await balance(student.client)).toBe(60);
    const other = await fundedStudent(60);
    expect((await book(other.client, tutor.user.id, start)).status).toBe(201);
  });

  it("an admin can cancel any booking and the student is refunded", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(120));
    const admin = await adminClient();
    expect((await admin.post(`/api/bookings/${json.booking.id}/cancel`, {})).status).toBe(200);
    expect(await balance(student.client)).toBe(60);
  });

  it("cancelling twice refunds once", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(48 * 60));
    const results = await Promise.all([1, 2, 3].map(() => student.client.post(`/api/bookings/${json.booking.id}/cancel`, {})));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await balance(student.client)).toBe(60);
    await settleWallet(student.user.id);
    const refunds = await env.DB.prepare("SELECT count(*) AS n FROM credit_ledger WHERE user_id = ? AND kind = 'refund'").bind(student.user.id).first<{ n: number }>();
    expect(refunds!.n).toBe(1);
  });

  it("strangers get 404: another student, another tutor, a visitor", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(48 * 60));
    const otherStudent = await signup("student");
    const otherTutor = await approvedTutor();
    for (const c of [otherStudent.client, otherTutor.client]) {
      const res = await c.post(`/api/bookings/${json.booking.id}/cancel`, {});
      expect(res.status).toBe(404);
    }
    expect((await new Client().post(`/api/bookings/${json.booking.id}/cancel`, {})).status).toBe(401);
    expect(await balance(student.client)).toBe(0);
    expect((await student.client.get("/api/bookings")).json.bookings[0].status).toBe("confirmed");
  });
});

describe("rescheduling", () => {
  it("moves a booking to a free time, keeps the credits spent once, and frees the old time", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const oldStart = slotAhead(48 * 60);
    const newStart = slotAhead(72 * 60);
    const { json } = await book(student.client, tutor.user.id, oldStart);
    const res = await student.client.post(`/api/bookings/${json.booking.id}/reschedule`, { start: newStart });
    expect(res.status).toBe(200);
    expect(res.json.booking).toMatchObject({ id: json.booking.id, start: newStart, status: "confirmed" });
    expect(await balance(student.client)).toBe(0);
    const other = await fundedStudent(60);
    expect((await book(other.client, tutor.user.id, oldStart)).status).toBe(201);
    expect((await book(other.client, tutor.user.id, newStart)).status).toBe(409);
  });

  it("refuses a taken time with 409 slot_unavailable and leaves the booking where it was", async () => {
    const tutor = await approvedTutor();
    const [a, b] = [await fundedStudent(60), await fundedStudent(60)];
    const [t1, t2] = [slotAhead(48 * 60), slotAhead(50 * 60)];
    const first = await book(a.client, tutor.user.id, t1);
    await book(b.client, tutor.user.id, t2);
    const res = await a.client.post(`/api/bookings/${first.json.booking.id}/reschedule`, { start: t2 });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("slot_unavailable");
    expect((await a.client.get("/api/bookings")).json.bookings[0].start).toBe(t1);
  });

  it("refuses a time when the student is busy with another tutor (409 student_busy)", async () => {
    const [t1, t2] = [await approvedTutor(), await approvedTutor()];
    const student = await fundedStudent(120);
    const [a, b] = [slotAhead(48 * 60), slotAhead(72 * 60)];
    const first = await book(student.client, t1.user.id, a);
    await book(student.client, t2.user.id, b);
    const res = await t1.client.post(`/api/bookings/${first.json.booking.id}/reschedule`, { start: b });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("student_busy");
    // The tutor's new time was only held: it is free again.
    const other = await fundedStudent(60);
    expect((await book(other.client, t1.user.id, b)).status).toBe(201);
  });

  it("students may not move a session inside 24 h; the tutor may", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const { json } = await book(student.client, tutor.user.id, slotAhead(6 * 60));
    const late = await student.client.post(`/api/bookings/${json.booking.id}/reschedule`, { start: slotAhead(72 * 60) });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("too_late_to_reschedule");
    expect((await tutor.client.post(`/api/bookings/${json.booking.id}/reschedule`, { start: slotAhead(72 * 60) })).status).toBe(200);
  });

  it("two concurrent reschedules of two bookings onto the same free time: exactly one wins", async () => {
    const tutor = await approvedTutor();
    const [a, b] = [await fundedStudent(60), await fundedStudent(60)];
    const ba = await book(a.client, tutor.user.id, slotAhead(48 * 60));
    const bb = await book(b.client, tutor.user.id, slotAhead(52 * 60));
    const target = slotAhead(80 * 60);
    const results = await Promise.all([
      a.client.post(`/api/bookings/${ba.json.booking.id}/reschedule`, { start: target }),
      b.client.post(`/api/bookings/${bb.json.booking.id}/reschedule`, { start: target }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });
});

describe("group sessions", () => {
  async function openGroup(seats: number, start = slotAhead(48 * 60)) {
    const tutor = await approvedTutor();
    const res = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats });
    expect(res.status).toBe(201);
    return { tutor, start, group: res.json.booking };
  }

  it("a tutor opens a group; students join at the group price until it is full", async () => {
    const { tutor, start, group } = await openGroup(3);
    expect(group).toMatchObject({ kind: "group", seats: 3, seatsTaken: 0, creditsMinutes: 42 });
    const students = await Promise.all([1, 2, 3, 4].map(() => fundedStudent(60)));
    const results = [];
    for (const s of students) results.push(await book(s.client, tutor.user.id, start, { group: true }));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 409]);
    expect(await balance(students[0]!.client)).toBe(18);
    expect(await balance(students[3]!.client)).toBe(60);
    const list = await tutor.client.get("/api/bookings");
    expect(list.json.bookings[0]).toMatchObject({ kind: "group", seatsTaken: 3 });
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + 3_600_000).toISOString()}&duration=60`);
    expect(slots.json.slots).toEqual([]);
    // A full group is still listed, full, so students can join its waitlist.
    expect(slots.json.groups).toEqual([expect.objectContaining({ id: group.id, seats: 3, seatsTaken: 3 })]);
  });

  it("never oversells seats under concurrency: 20 students race for 4 seats", async () => {
    const { tutor, start } = await openGroup(4);
    const students = await Promise.all(Array.from({ length: 20 }, () => fundedStudent(60)));
    const results = await Promise.all(students.map((s) => book(s.client, tutor.user.id, start, { group: true })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    const balances = await Promise.all(students.map((s) => balance(s.client)));
    expect(balances.filter((b) => b === 30)).toHaveLength(4);
    expect(balances.filter((b) => b === 60)).toHaveLength(16);
  });

  it("blocks the tutor's 1:1 time, and 1:1 bookings block group openings", async () => {
    const { tutor, start } = await openGroup(2);
    const student = await fundedStudent(60);
    expect((await book(student.client, tutor.user.id, start)).status).toBe(409);
    const later = slotAhead(60 * 60);
    expect((await book(student.client, tutor.user.id, later)).status).toBe(201);
    const clash = await tutor.client.post("/api/tutors/me/group-sessions", { start: later, durationMinutes: 60, subject: "mathematics", seats: 4 });
    expect(clash.status).toBe(409);
  });

  it("a student leaving a group frees the seat and is refunded ≥ 24 h ahead; the tutor cancelling refunds everyone", async () => {
    const { tutor, start, group } = await openGroup(2);
    const [a, b, c] = await Promise.all([fundedStudent(60), fundedStudent(60), fundedStudent(60)]);
    await book(a.client, tutor.user.id, start, { group: true });
    await book(b.client, tutor.user.id, start, { group: true });
    expect((await book(c.client, tutor.user.id, start, { group: true })).status).toBe(409);
    const left = await a.client.post(`/api/bookings/${group.id}/cancel`, {});
    expect(left.status).toBe(200);
    expect(left.json.booking.status).toBe("cancelled");
    expect(await balance(a.client)).toBe(60);
    expect((await book(c.client, tutor.user.id, start, { group: true })).status).toBe(201);
    expect((await tutor.client.post(`/api/bookings/${group.id}/cancel`, {})).status).toBe(200);
    await drained(tutor.user.id);
    // The tutor cancelled ahead of time. A group seat's share pays for no 1:1 lesson at no extra cost, so no
    // replacement is offered and each student's credits come straight back.
    for (const s of [b, c]) {
      const offers = (await s.client.get("/api/offers")).json.offers;
      expect(offers).toMatchObject([{ status: "refunded", candidates: [] }]);
      expect(await balance(s.client)).toBe(60);
    }
  });

  it("validates seats (2–8) and that the tutor teaches the subject", async () => {
    const tutor = await approvedTutor();
    const start = slotAhead(48 * 60);
    for (const seats of [1, 9]) {
      const res = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats });
      expect(res.status).toBe(400);
    }
    const wrong = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "art", seats: 3 });
    expect(wrong.json.error.code).toBe("subject_not_taught");
  });

  it("cannot be rescheduled", async () => {
    const { tutor, group } = await openGroup(3);
    const res = await tutor.client.post(`/api/bookings/${group.id}/reschedule`, { start: slotAhead(96 * 60) });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("not_reschedulable");
  });
});

describe("credits", () => {
  it("GET /api/billing/credits lists lots first-expiring first with the policy", async () => {
    const student = await signup("student");
    const admin = await adminClient();
    await fund(student.user.id, 120, { expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() });
    await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 60, reason: "goodwill", expiresInDays: 10 });
    const res = await student.client.get("/api/billing/credits");
    expect(res.json.balanceMinutes).toBe(180);
    expect(res.json.grants.map((g: { minutes: number; funding: string }) => [g.minutes, g.funding])).toEqual([
      [60, "promo"],
      [120, "paid"],
    ]);
    expect(res.json.promoMinutes).toBe(60);
    expect(res.json.policy.studentRefundHours).toBe(24);
  });

  it("holds promotional credit (admin gifts) to the cap: a gift beyond it is refused with what still fits", async () => {
    const student = await fundedStudent(300);
    const admin = await adminClient();
    expect((await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 90, reason: "goodwill" })).status).toBe(201);
    const over = await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 31, reason: "more goodwill" });
    expect(over.status).toBe(409);
    expect(over.json.error.code).toBe("promo_cap");
    expect(over.json.error.message).toMatch(/at most 120 promotional minutes.*30 more/);
    expect((await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 30, reason: "what fits" })).status).toBe(201);
    const credits = (await student.client.get("/api/billing/credits")).json;
    expect([credits.balanceMinutes, credits.promoMinutes]).toEqual([420, 120]);
  });

  it("spends the lot that expires first", async () => {
    const tutor = await approvedTutor();
    const student = await signup("student");
    const admin = await adminClient();
    await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 60, reason: "later", expiresInDays: 30 });
    await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 45, reason: "sooner", expiresInDays: 5 });
    await book(student.client, tutor.user.id, slotAhead(48 * 60));
    const res = await student.client.get("/api/billing/credits");
    expect(res.json.grants).toMatchObject([{ minutes: 60, remainingMinutes: 45 }]);
  });

  it("an admin takes credits back with a negative adjustment, never below zero", async () => {
    const student = await fundedStudent(60);
    const admin = await adminClient();
    const res = await admin.post("/api/admin/credits", { userId: student.user.id, minutes: -40, reason: "duplicate grant" });
    expect(res.status).toBe(201);
    expect(res.json.balanceMinutes).toBe(20);
    const tooMuch = await admin.post("/api/admin/credits", { userId: student.user.id, minutes: -21, reason: "oops" });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.json.error.code).toBe("insufficient_credits");
    expect(await balance(student.client)).toBe(20);
  });

  it("admin adjustments: only admins, only students, a reason required", async () => {
    const student = await signup("student");
    const tutor = await signup("tutor");
    const admin = await adminClient();
    expect((await student.client.post("/api/admin/credits", { userId: student.user.id, minutes: 60, reason: "free money" })).status).toBe(403);
    expect((await tutor.client.post("/api/admin/credits", { userId: student.user.id, minutes: 60, reason: "free money" })).status).toBe(403);
    expect((await admin.post("/api/admin/credits", { userId: tutor.user.id, minutes: 60, reason: "tutor" })).status).toBe(404);
    expect((await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 60, reason: "" })).status).toBe(400);
    expect((await admin.post("/api/admin/credits", { userId: student.user.id, minutes: 0, reason: "zero" })).status).toBe(400);
    expect(await balance(student.client)).toBe(0);
  });

  it("tutors and visitors have no credit balance route", async () => {
    const tutor = await signup("tutor");
    expect((await tutor.client.get("/api/billing/credits")).status).toBe(403);
    expect((await new Client().get("/api/billing/credits")).status).toBe(401);
  });
});
