import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WAITLIST_POLICY } from "../../domain/waitlist";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, adminClient, approvedTutor, balance, drained, fund, fundedStudent, settleWallet, signup, slotAhead } from "./helpers";

const MINUTE = 60_000;
type Student = Awaited<ReturnType<typeof fundedStudent>>;

/** A tutor's group session of `seats` seats two days ahead, filled by fresh students (each with 600 credit-minutes). */
async function fullGroup(seats: number) {
  const tutor = await approvedTutor();
  const start = slotAhead(48 * 60);
  const opened = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats }, { "Idempotency-Key": crypto.randomUUID() });
  expect(opened.status).toBe(201);
  const id: string = opened.json.booking.id;
  const seated: { student: Student; bookingId: string }[] = [];
  for (let i = 0; i < seats; i++) {
    const student = await fundedStudent(600);
    const res = await takeSeat(student.client, tutor.user.id, start);
    expect(res.status).toBe(201);
    seated.push({ student, bookingId: res.json.booking.id });
  }
  return { tutor, start, id, seated, price: opened.json.booking.creditsMinutes as number };
}

const takeSeat = (client: Client, tutorId: string, start: string, key = crypto.randomUUID()) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics", group: true }, { "Idempotency-Key": key });
const join = (client: Client, id: string) => client.post(`/api/group-sessions/${id}/waitlist`, {}, { "Idempotency-Key": crypto.randomUUID() });
const place = async (client: Client, id: string) => (await client.get(`/api/group-sessions/${id}/waitlist`)).json.waitlist as { status: string; position: number | null; length: number; offerUntil: string | null };
const seatsTaken = async (tutorId: string, id: string) => (await calendarOf(env, tutorId).getSession(id))!.booking.participants!.filter((p) => p.status === "confirmed").length;
const notices = async (client: Client) => (await client.get("/api/notifications")).json.notifications as { title: string; link?: string }[];

describe("group waitlists: POST/DELETE /api/group-sessions/:id/waitlist", () => {
  it("a full group offers a place in line; a freed seat is held for the first in line, who is told and pays only on taking it", async () => {
    const { tutor, start, id, seated, price } = await fullGroup(2);
    const [cleo, dan, eve] = await Promise.all([fundedStudent(600), fundedStudent(600), fundedStudent(600)]);

    // Full: a direct booking is refused, the line is open.
    expect((await takeSeat(cleo.client, tutor.user.id, start)).status).toBe(409);
    const first = await join(cleo.client, id);
    expect(first.status).toBe(201);
    expect(first.json.waitlist).toMatchObject({ sessionId: id, status: "waiting", position: 1, length: 1, offerUntil: null });
    expect((await join(dan.client, id)).json.waitlist).toMatchObject({ status: "waiting", position: 2, length: 2 });
    // Joining again keeps the place.
    expect((await join(cleo.client, id)).json.waitlist).toMatchObject({ status: "waiting", position: 1, length: 2 });
    // Someone with a seat is not put in line.
    const seatedJoin = await join(seated[0]!.student.client, id);
    expect(seatedJoin.status).toBe(409);
    expect(seatedJoin.json.error.code).toBe("already_booked");
    // Nothing is spent by waiting.
    expect(await balance(cleo.client)).toBe(600);

    // A student leaves: the seat is held for Cleo for 30 minutes; Dan moves up; Eve cannot take it.
    const before = Date.now();
    expect((await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {})).status).toBe(200);
    const offered = await place(cleo.client, id);
    expect(offered.status).toBe("offered");
    expect(Date.parse(offered.offerUntil!)).toBeGreaterThanOrEqual(before + WAITLIST_POLICY.holdMinutes * MINUTE);
    expect(Date.parse(offered.offerUntil!)).toBeLessThanOrEqual(Date.now() + WAITLIST_POLICY.holdMinutes * MINUTE);
    expect(await place(dan.client, id)).toMatchObject({ status: "waiting", position: 2 });
    const direct = await takeSeat(eve.client, tutor.user.id, start);
    expect(direct.status).toBe(409);
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + 60 * MINUTE).toISOString()}&duration=60`);
    expect(slots.json.groups[0]).toMatchObject({ id, seats: 2, seatsTaken: 2 });

    // Cleo is told: in her inbox (pushed live) and by email, with the link to take it.
    await drained(tutor.user.id);
    await expect.poll(async () => (await notices(cleo.client)).find((n) => n.title.startsWith("A seat is free for you"))?.link, { timeout: 3000 }).toBe(`/groups/${id}`);
    const mail = (await new Client().get("/api/dev/mailbox")).json.emails as { toEmail: string; subject: string }[];
    expect(mail.some((m) => m.toEmail === cleo.user.email && m.subject.startsWith("A seat is free for you"))).toBe(true);
    expect(await balance(cleo.client)).toBe(600);

    // She takes it through the normal group-seat path: credits are spent now, once.
    const taken = await takeSeat(cleo.client, tutor.user.id, start);
    expect(taken.status).toBe(201);
    await settleWallet(cleo.user.id);
    expect(await balance(cleo.client)).toBe(600 - price);
    expect(await place(cleo.client, id)).toMatchObject({ status: "seated", position: null });
    expect(await place(dan.client, id)).toMatchObject({ status: "waiting", position: 1, length: 1 });
    expect(await seatsTaken(tutor.user.id, id)).toBe(2);
  });

  it("a hold not taken in 30 minutes passes to the next in line; the first may join again at the back", async () => {
    const { tutor, start, id, seated } = await fullGroup(2);
    const [cleo, dan] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    await join(cleo.client, id);
    await join(dan.client, id);
    await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {});
    const held = await place(cleo.client, id);
    expect(held.status).toBe("offered");

    // A minute before the end nothing changes; at the end it passes on.
    await calendarOf(env, tutor.user.id).passOnLapsedOffers(Date.parse(held.offerUntil!) - MINUTE);
    expect((await place(cleo.client, id)).status).toBe("offered");
    await calendarOf(env, tutor.user.id).passOnLapsedOffers(Date.parse(held.offerUntil!));
    expect(await place(cleo.client, id)).toMatchObject({ status: "none", position: null, length: 1 });
    expect(await place(dan.client, id)).toMatchObject({ status: "offered", position: 1 });
    // The seat is Dan's to take now: Cleo is refused; she can queue again, behind him.
    expect((await takeSeat(cleo.client, tutor.user.id, start)).status).toBe(409);
    expect((await join(cleo.client, id)).json.waitlist).toMatchObject({ status: "waiting", position: 2 });
    await drained(tutor.user.id);
    await expect.poll(async () => (await notices(dan.client)).some((n) => n.title.startsWith("A seat is free for you")), { timeout: 3000 }).toBe(true);
    expect((await takeSeat(dan.client, tutor.user.id, start)).status).toBe(201);
    expect(await balance(cleo.client)).toBe(600);
  });

  it("a lapsed hold passes on: the second in line is offered and told, and the first is refused with a clear answer", async () => {
    const { tutor, start, id, seated } = await fullGroup(2);
    const [cleo, dan] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    await join(cleo.client, id);
    await join(dan.client, id);
    // A seat frees up: Cleo, first in line, holds it for 30 minutes; Dan waits.
    expect((await seated[1]!.student.client.post(`/api/bookings/${seated[1]!.bookingId}/cancel`, {})).status).toBe(200);
    const held = await place(cleo.client, id);
    expect(held).toMatchObject({ status: "offered", position: 1 });
    expect(await place(dan.client, id)).toMatchObject({ status: "waiting", position: 2 });

    // The calendar's alarm runs when her 30 minutes are up.
    await calendarOf(env, tutor.user.id).passOnLapsedOffers(Date.parse(held.offerUntil!));
    const passed = await place(dan.client, id);
    expect(passed).toMatchObject({ status: "offered", position: 1, length: 1 });
    expect(Date.parse(passed.offerUntil!)).toBe(Date.parse(held.offerUntil!) + WAITLIST_POLICY.holdMinutes * MINUTE);
    await drained(tutor.user.id);
    await expect.poll(async () => (await notices(dan.client)).find((n) => n.title.startsWith("A seat is free for you"))?.link, { timeout: 3000 }).toBe(`/groups/${id}`);

    // Cleo comes back too late: a 409 in the envelope that says her hold ran out, and nothing is spent.
    const late = await takeSeat(cleo.client, tutor.user.id, start);
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: "waitlist_offer_expired" });
    expect(late.json.error.message).toMatch(/hold .*ran out/i);
    expect(await balance(cleo.client)).toBe(600);
    // Dan takes it; one seat sold, once.
    expect((await takeSeat(dan.client, tutor.user.id, start)).status).toBe(201);
    expect(await seatsTaken(tutor.user.id, id)).toBe(2);
  });

  it("leaving the line while a seat is held passes it on at once", async () => {
    const { id, seated } = await fullGroup(2);
    const [cleo, dan] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    await join(cleo.client, id);
    await join(dan.client, id);
    await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {});
    expect((await place(cleo.client, id)).status).toBe("offered");
    const left = await cleo.client.request("DELETE", `/api/group-sessions/${id}/waitlist`);
    expect(left.status).toBe(200);
    expect(left.json.waitlist).toMatchObject({ status: "none" });
    expect(await place(dan.client, id)).toMatchObject({ status: "offered", position: 1 });
  });

  it("concurrent joins queue in one order, and freed seats are offered in that order", async () => {
    const { tutor, id, seated } = await fullGroup(2);
    const waiting = await Promise.all(Array.from({ length: 8 }, () => fundedStudent(600)));
    const answers = await Promise.all(waiting.map((s) => join(s.client, id)));
    expect(answers.map((a) => a.status)).toEqual(waiting.map(() => 201));
    const positions = answers.map((a) => a.json.waitlist.position as number);
    expect([...positions].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Both seats free up: the first two in line get them.
    await Promise.all(seated.map((s) => s.student.client.post(`/api/bookings/${s.bookingId}/cancel`, {})));
    const places = await Promise.all(waiting.map((s) => place(s.client, id)));
    const offered = places.map((p, i) => (p.status === "offered" ? positions[i] : null)).filter((p) => p !== null);
    expect(offered.sort()).toEqual([1, 2]);
    expect(await seatsTaken(tutor.user.id, id)).toBe(0);
  });

  it("a waitlisted confirmation racing direct bookings for the freed seat: one seat, taken by the one it is held for, paid once", async () => {
    const { tutor, start, id, seated, price } = await fullGroup(2);
    const cleo = await fundedStudent(600);
    const others = await Promise.all(Array.from({ length: 5 }, () => fundedStudent(600)));
    await join(cleo.client, id);
    await seated[1]!.student.client.post(`/api/bookings/${seated[1]!.bookingId}/cancel`, {});
    expect((await place(cleo.client, id)).status).toBe("offered");

    // The direct bookings are sent first: the seat held for Cleo must still be hers.
    const direct = others.map((o) => takeSeat(o.client, tutor.user.id, start));
    const mine = [takeSeat(cleo.client, tutor.user.id, start, "cleo-1"), takeSeat(cleo.client, tutor.user.id, start, "cleo-2"), takeSeat(cleo.client, tutor.user.id, start, "cleo-1")];
    const [[c1, c2, c1again], directResults] = await Promise.all([Promise.all(mine), Promise.all(direct)]);
    expect(c1!.status).toBe(201);
    expect(c1again!.status).toBe(201);
    expect([201, 409]).toContain(c2!.status);
    expect(directResults.map((r) => r.status)).toEqual(others.map(() => 409));
    expect(await seatsTaken(tutor.user.id, id)).toBe(2);
    await settleWallet(cleo.user.id);
    expect(await balance(cleo.client)).toBe(600 - price);
    for (const o of others) expect(await balance(o.client)).toBe(600);
  });

  it("a holder who cannot pay keeps the hold until it lapses: credits are only checked when the seat is taken", async () => {
    const { tutor, start, id, seated, price } = await fullGroup(2);
    const broke = await fundedStudent(0);
    const dan = await fundedStudent(600);
    await join(broke.client, id);
    await join(dan.client, id);
    await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {});
    expect((await place(broke.client, id)).status).toBe("offered");
    const refused = await takeSeat(broke.client, tutor.user.id, start);
    expect(refused.status).toBe(402);
    // Still held for them (they may top up within the 30 minutes); Dan waits.
    expect((await place(broke.client, id)).status).toBe("offered");
    expect((await place(dan.client, id)).status).toBe("waiting");
    expect(price).toBeGreaterThan(0);
  });

  it("only students, for a group session that exists", async () => {
    const { tutor, id, seated } = await fullGroup(2);
    const anonymous = new Client();
    expect((await anonymous.post(`/api/group-sessions/${id}/waitlist`, {})).status).toBe(401);
    expect((await tutor.client.post(`/api/group-sessions/${id}/waitlist`, {})).status).toBe(403);
    const student = await fundedStudent(600);
    expect((await join(student.client, `${tutor.user.id}~nosuchgroup`)).status).toBe(404);
    // A 1:1 booking has no waitlist.
    const one = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(96 * 60), durationMinutes: 60, subject: "mathematics" });
    expect((await join(student.client, one.json.booking.id)).status).toBe(404);
    // A group with a free seat: book it instead.
    await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {});
    const open = await join(student.client, id);
    expect(open.status).toBe(409);
    expect(open.json.error.code).toBe("seats_available");
    // Leaving a line one is not in changes nothing.
    const other = await signup("student");
    expect((await other.client.request("DELETE", `/api/group-sessions/${id}/waitlist`)).json.waitlist).toMatchObject({ status: "none" });
  });
});

/** A full group of two with `line` waiting for a seat, in that order. */
async function fullGroupWithLine(line: Client[]) {
  const group = await fullGroup(2);
  for (const c of line) expect((await join(c, group.id)).status).toBe(201);
  return group;
}

describe("group waitlists hold seats only for those who can take them", () => {
  it("refuses a place in line until the email address is confirmed (as booking does)", async () => {
    const { id } = await fullGroup(2);
    const unconfirmed = await signup("student", { verified: false });
    await fund(unconfirmed.user.id, 600);
    const refused = await join(unconfirmed.client, id);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe("email_unverified");
    expect(await place(unconfirmed.client, id)).toMatchObject({ status: "none", length: 0 });
  });

  it("a suspended student in line is not held the freed seat: it goes to the next in line", async () => {
    const [banned, next] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    const { tutor, start, id, seated } = await fullGroupWithLine([banned.client, next.client]);
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${banned.user.id}/suspend`, { reason: "fraud" })).status).toBe(200);
    expect((await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {})).status).toBe(200);
    expect(await place(next.client, id)).toMatchObject({ status: "offered", position: 1, length: 1 });
    await drained(tutor.user.id);
    expect((await takeSeat(next.client, tutor.user.id, start)).status).toBe(201);
  });

  it("suspending a student whose seat is being held passes it on at once", async () => {
    const [banned, next] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    const { tutor, start, id, seated } = await fullGroupWithLine([banned.client, next.client]);
    await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {});
    expect(await place(next.client, id)).toMatchObject({ status: "waiting", position: 2 });
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${banned.user.id}/suspend`, { reason: "fraud" })).status).toBe(200);
    expect(await place(next.client, id)).toMatchObject({ status: "offered", position: 1, length: 1 });
    expect((await takeSeat(next.client, tutor.user.id, start)).status).toBe(201);
  });

  it("a suspended student's credential still in its 60 s cannot put them in line", async () => {
    const [banned, next] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    const { id, seated } = await fullGroup(2);
    const admin = await adminClient();
    expect((await admin.post(`/api/admin/users/${banned.user.id}/suspend`, { reason: "fraud" })).status).toBe(200);
    expect((await join(banned.client, id)).status).toBe(401);
    expect((await join(next.client, id)).json.waitlist).toMatchObject({ status: "waiting", position: 1, length: 1 });
    await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {});
    expect((await place(next.client, id)).status).toBe("offered");
  });

  it("a deleted account in line is not held the freed seat", async () => {
    const [gone, next] = await Promise.all([fundedStudent(600), fundedStudent(600)]);
    const { tutor, start, id, seated } = await fullGroupWithLine([gone.client, next.client]);
    expect((await gone.client.request("DELETE", "/api/me", { password: "correct horse battery" })).status).toBe(200);
    expect((await seated[0]!.student.client.post(`/api/bookings/${seated[0]!.bookingId}/cancel`, {})).status).toBe(200);
    expect(await place(next.client, id)).toMatchObject({ status: "offered", position: 1, length: 1 });
    expect((await takeSeat(next.client, tutor.user.id, start)).status).toBe(201);
  });
});
