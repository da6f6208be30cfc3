import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runPayouts } from "../../worker/features/payouts/service";
import { calendarOf } from "../../worker/lib/stubs";
import { Client, adminClient, approvedTutor, balance, drained, freshLimiterMinute, fundedStudent, settleWallet, signup, slotAhead, uniqueEmail, wasInRoom } from "./helpers";
import { deliver, sec, stripeEvent, uid } from "./stripeHelpers";
import { bookedSession, enter } from "./videoHelpers";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const book = (client: Client, tutorId: string, start: string, extra: Record<string, unknown> = {}) =>
  client.post("/api/bookings", { tutorId, start, durationMinutes: 60, subject: "mathematics", ...extra });

/** Completes a booked hour at `start` as the system does once it is over, then lets settlement and accrual run. */
async function finish(tutorId: string, bookingId: string, start: number) {
  const done = await calendarOf(env, tutorId).complete({ tutorId, sessionId: bookingId, actor: "system", now: start + 2 * HOUR });
  expect(done.ok).toBe(true);
  await drained(tutorId);
}

const earningOf = (bookingId: string) =>
  env.DB.prepare("SELECT amount_cents, status, hold_reason, outcome FROM earnings WHERE booking_id = ?").bind(bookingId).first<{ amount_cents: number; status: string; hold_reason: string | null; outcome: string }>();

describe("a price per tutor", () => {
  it("charges what the tutor's rate sets, shown the same in search, slots and the booking", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 4500 }); // $45/h at 50 ¢ a credit-minute: 90 an hour
    const student = await fundedStudent(120);
    const start = slotAhead(48 * 60);
    const found = (await new Client().get(`/api/tutors/${tutor.user.id}`)).json.tutor;
    expect(found).toMatchObject({ hourlyRateCents: 4500, creditMinutesPerHour: 90 });
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + HOUR).toISOString()}&duration=45`);
    expect(slots.json.price).toEqual({ creditMinutes: 68 }); // 67.5 rounds up
    const res = await book(student.client, tutor.user.id, start);
    expect(res.status).toBe(201);
    expect(res.json.booking).toMatchObject({ creditsMinutes: 90, price: { creditMinutes: 90 } });
    expect(res.json.booking.tutorEarningCents).toBeUndefined(); // the student does not see the tutor's side
    expect(await balance(student.client)).toBe(30);
  });

  it("keeps the group discount from the same rule, fixed when the group opens", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 4000 });
    const start = slotAhead(48 * 60);
    const group = await tutor.client.post("/api/tutors/me/group-sessions", { start, durationMinutes: 60, subject: "mathematics", seats: 3 });
    expect(group.json.booking.creditsMinutes).toBe(56); // 80 × 70 %
    await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 9000, timezone: "UTC" });
    const student = await fundedStudent(60);
    const seat = await book(student.client, tutor.user.id, start, { group: true });
    expect(seat.json.booking.creditsMinutes).toBe(56);
    expect(await balance(student.client)).toBe(4);
  });

  it("refuses a booking the student cannot afford at the tutor's price", async () => {
    const dear = await approvedTutor({ hourlyRateCents: 100_000 }); // $1,000/h: 2,000 credit-minutes an hour
    const student = await fundedStudent(60);
    const res = await book(student.client, dear.user.id, slotAhead(48 * 60));
    expect(res.status).toBe(402);
    expect(await balance(student.client)).toBe(60);
  });

  it("lets an admin bound rates: a profile outside the bounds is refused with a clear 400", async () => {
    const admin = await adminClient();
    const tutor = await approvedTutor();
    expect((await admin.put("/api/admin/rate-bounds", { minHourlyRateCents: 1500, maxHourlyRateCents: 8000 })).status).toBe(200);
    try {
      const high = await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 9000, timezone: "UTC" });
      expect(high.status).toBe(400);
      expect(high.json.error).toMatchObject({ code: "rate_out_of_bounds", issues: [{ path: "hourlyRateCents" }] });
      expect(high.json.error.message).toBe("Hourly rates are between $15 and $80.");
      expect((await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 8000, timezone: "UTC" })).status).toBe(200);
      expect((await tutor.client.get("/api/tutors/me/profile")).json.rateBounds).toEqual({ minHourlyRateCents: 1500, maxHourlyRateCents: 8000 });
      expect((await admin.put("/api/admin/rate-bounds", { minHourlyRateCents: 9000, maxHourlyRateCents: 8000 })).status).toBe(400);
    } finally {
      await admin.put("/api/admin/rate-bounds", { minHourlyRateCents: 500, maxHourlyRateCents: 100_000 });
    }
  });
});

describe("earnings fixed at booking", () => {
  it("a tutor raising their rate after booking earns the old amount", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 3000 });
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 10_000, timezone: "UTC" });
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + HOUR);
    await wasInRoom(json.booking.id, student.user.id, "student", Date.parse(start), Date.parse(start) + HOUR);
    await finish(tutor.user.id, json.booking.id, Date.parse(start));
    expect(await earningOf(json.booking.id)).toMatchObject({ amount_cents: 2400, status: "accrued", outcome: "as_booked" });
    const mine = (await tutor.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === json.booking.id);
    expect(mine).toMatchObject({ tutorEarningCents: 2400, price: { creditMinutes: 60 } });
  });

  it("an hour sold for $30 never pays out more than $24, whatever the tutor's rate becomes", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 3000 });
    const student = await fundedStudent(60); // an hour of credit, worth $30
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    const moved = Date.parse(slotAhead(50 * 60));
    const answer = await tutor.client.post(`/api/bookings/${json.booking.id}/reschedule`, { start: new Date(moved).toISOString() });
    expect(answer.json.booking.tutorEarningCents).toBe(2400); // the tutor sees their fixed earning; a move keeps it
    await tutor.client.put("/api/tutors/me/profile", { bio: "", subjects: ["mathematics"], hourlyRateCents: 100_000, timezone: "UTC" });
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", moved, moved + HOUR);
    await wasInRoom(json.booking.id, student.user.id, "student", moved, moved + HOUR);
    await finish(tutor.user.id, json.booking.id, moved);
    const earned = await earningOf(json.booking.id);
    expect(earned!.amount_cents).toBeLessThanOrEqual(2400);
    expect(earned!.amount_cents).toBe(2400);
  });
});

describe("paid for what was taught", () => {
  it("ending at minute 1 pays about nothing and gives the student the untaught credits back", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    const at = Date.parse(start);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", at, at + 60_000 + 20_000);
    await wasInRoom(json.booking.id, student.user.id, "student", at, at + 60_000 + 20_000);
    const ended = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: { id: tutor.user.id, role: "tutor" }, now: at + 60_000 + 20_000 });
    expect(ended.ok).toBe(true);
    await drained(tutor.user.id);
    expect(await earningOf(json.booking.id)).toMatchObject({ amount_cents: 40, outcome: "ended_early" }); // 1 of 60 minutes
    expect(await balance(student.client)).toBe(59);
    const listed = (await student.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === json.booking.id);
    expect(listed).toMatchObject({ status: "completed", outcome: "ended_early" });
  });

  it("a student who only looked into the room before the start is still the no-show", async () => {
    const { tutor, student, bookingId, start } = await bookedSession({ startsInMinutes: 5 });
    const before = await balance(student.client);
    const room = await enter(student.client, bookingId);
    room.send({ type: "leave" });
    await room.closed;
    await wasInRoom(bookingId, tutor.user.id, "tutor", start, start + 15 * MINUTE);
    const ended = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: bookingId, actor: { id: tutor.user.id, role: "tutor" }, now: start + 15 * MINUTE });
    expect(ended.ok).toBe(true);
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    const earning = await env.DB.prepare("SELECT amount_cents, outcome FROM earnings WHERE booking_id = ?").bind(bookingId).first<{ amount_cents: number; outcome: string }>();
    expect({ outcome: earning?.outcome, refunded: (await balance(student.client)) - before }).toEqual({ outcome: "student_no_show", refunded: 0 });
    // The attendance the session page shows says the same: the student did not come to the lesson.
    const attendance = (await tutor.client.get(`/api/bookings/${bookingId}/attendance`)).json.attendance;
    expect(attendance.noShows).toEqual([student.user.id]);
  });

  it("a lesson ended inside its first minute, with its student there, is settled: nothing earned, all of it refunded", async () => {
    const { tutor, student, bookingId, start } = await bookedSession({ startsInMinutes: -5 });
    const before = await balance(student.client);
    await wasInRoom(bookingId, student.user.id, "student", start - 2 * MINUTE, start + 40_000);
    await wasInRoom(bookingId, tutor.user.id, "tutor", start - MINUTE, start + 40_000);
    const ended = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: bookingId, actor: { id: tutor.user.id, role: "tutor" }, now: start + 40_000 });
    expect(ended.ok).toBe(true);
    await drained(tutor.user.id);
    await settleWallet(student.user.id);
    // Both came, and the tutor ended it: ended early, no minute taught, so no earning and every credit back (the
    // session page reads that as "nothing earned", not as an earning still on its way: test/e2e/session-page.test.ts).
    const detail = (await tutor.client.get(`/api/bookings/${bookingId}`)).json.booking;
    expect({ outcome: detail.outcome, taughtMinutes: detail.taughtMinutes }).toEqual({ outcome: "ended_early", taughtMinutes: 0 });
    expect(await earningOf(bookingId)).toBeNull();
    expect((await balance(student.client)) - before).toBe(60);
  });

  it("a session nobody attended pays nothing, is not completed as booked, and refunds the student", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    await finish(tutor.user.id, json.booking.id, Date.parse(start));
    expect(await earningOf(json.booking.id)).toBeNull();
    expect(await balance(student.client)).toBe(60);
    const seen = (await tutor.client.get("/api/bookings")).json.bookings.find((b: { id: string }) => b.id === json.booking.id);
    expect(seen).toMatchObject({ status: "completed", outcome: "not_attended", tutorEarningCents: 0 });
  });

  it("a self-booking from a second account is held for an admin, never paid until approved", async () => {
    const mailbox = uniqueEmail("ann.lee").replace("@example.com", "@gmail.com");
    const tutor = await approvedTutor({ email: mailbox });
    // The same Gmail mailbox: a +tag and dots make a "different" address.
    const [local] = mailbox.split("@");
    const second = await signup("student", { email: `${local!.replaceAll(".", "")}+student@googlemail.com` });
    const admin = await adminClient();
    await admin.post("/api/admin/credits", { userId: second.user.id, minutes: 60, reason: "test credit" });
    const start = slotAhead(48 * 60);
    const { json } = await book(second.client, tutor.user.id, start);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + HOUR);
    await wasInRoom(json.booking.id, second.user.id, "student", Date.parse(start), Date.parse(start) + HOUR);
    await finish(tutor.user.id, json.booking.id, Date.parse(start));
    expect(await earningOf(json.booking.id)).toMatchObject({ amount_cents: 2400, status: "held", hold_reason: "same_email" });
    expect((await tutor.client.get("/api/tutors/me/earnings")).json).toMatchObject({ unpaidCents: 0, heldCents: 2400 });

    const held = (await admin.get("/api/admin/earnings/held")).json.earnings.find((e: { bookingId: string }) => e.bookingId === json.booking.id);
    expect(held).toMatchObject({ tutorId: tutor.user.id, amountCents: 2400, holdReason: "same_email" });
    expect((await admin.post(`/api/admin/earnings/${held.id}/approve`)).status).toBe(200);
    expect((await admin.post(`/api/admin/earnings/${held.id}/reject`)).status).toBe(409);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json).toMatchObject({ unpaidCents: 2400, heldCents: 0 });
    expect((await tutor.client.post(`/api/admin/earnings/${held.id}/approve`)).status).toBe(403);
    await runPayouts(env); // no Connect account yet: nothing leaves
  });

  it("a tutor paid to the same card a student pays with is held too (Stripe card fingerprints)", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const card = `fp_${crypto.randomUUID().slice(0, 12)}`;
    // The tutor's payout debit card arrives with their Connect account; the student's charge names the same card.
    await tutor.client.post("/api/tutors/me/payouts/onboarding");
    const account = (await tutor.client.get("/api/tutors/me/earnings")).json.account.id as string;
    const payout = await deliver(stripeEvent("account.external_account.created", { object: "card", id: uid("card"), fingerprint: card, account }, sec(Date.now()), { account }), { secret: env.STRIPE_CONNECT_WEBHOOK_SECRET });
    expect(payout.json.result).toBe("processed");
    const customer = uid("cus");
    await env.DB.prepare("INSERT INTO students (user_id, stripe_customer_id) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET stripe_customer_id = excluded.stripe_customer_id").bind(student.user.id, customer).run();
    const paid = await deliver(stripeEvent("charge.succeeded", { id: uid("ch"), object: "charge", amount: 3000, amount_refunded: 0, customer, invoice: null, payment_intent: uid("pi"), payment_method_details: { card: { fingerprint: card } } }));
    expect(paid.json.result).toBe("processed");

    const start = slotAhead(48 * 60);
    const { json } = await book(student.client, tutor.user.id, start);
    await wasInRoom(json.booking.id, tutor.user.id, "tutor", Date.parse(start), Date.parse(start) + HOUR);
    await wasInRoom(json.booking.id, student.user.id, "student", Date.parse(start), Date.parse(start) + HOUR);
    await finish(tutor.user.id, json.booking.id, Date.parse(start));
    expect(await earningOf(json.booking.id)).toMatchObject({ status: "held", hold_reason: "same_card" });
  });
});

describe("the booking limit", () => {
  it("counts a burst of retries of one booking once: 30 bookings a minute, then 429", { timeout: 150_000 }, async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(30 * 30);
    await freshLimiterMinute(50_000);
    // Each start worked out once: a retry must send the same body as the first try.
    const starts = Array.from({ length: 31 }, (_, i) => slotAhead(48 * 60 + i * 30));
    const at = (i: number) => starts[i]!;
    const burst = await Promise.all(Array.from({ length: 6 }, () => student.client.post("/api/bookings", { tutorId: tutor.user.id, start: at(0), durationMinutes: 30, subject: "mathematics" }, { "Idempotency-Key": "one-booking" })));
    expect(new Set(burst.map((r) => r.status))).toEqual(new Set([201]));
    for (let i = 1; i < 30; i++) {
      const res = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: at(i), durationMinutes: 30, subject: "mathematics" }, { "Idempotency-Key": `booking-${i}` });
      expect(res.status, `booking ${i + 1}`).toBe(201);
    }
    const over = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: at(30), durationMinutes: 30, subject: "mathematics" }, { "Idempotency-Key": "booking-31" });
    expect(over.status).toBe(429);
    // A retry of a booking already made is still answered (from the calendar's memory), not refused.
    const retry = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: at(5), durationMinutes: 30, subject: "mathematics" }, { "Idempotency-Key": "booking-5" });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("Idempotent-Replayed")).toBe("true");
  });
});
