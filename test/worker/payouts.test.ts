import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { runPayouts } from "../../worker/features/payouts/service";
import { completePastSessions } from "../../worker/jobs/completeSessions";
import { calendarOf } from "../../worker/lib/stubs";
import { adminClient, approvedTutor, drained, fundedStudent, signup, slotAhead, wasInRoom } from "./helpers";
import { deliver, fake, fakeRequests, sec, stripeEvent, uid } from "./stripeHelpers";

type Transfer = { id: string; amount: number; destination: string; transfer_group: string };

/** An approved tutor ($30/h: an hour costs 60 credit-minutes) whose Connect account finished onboarding. */
async function payableTutor() {
  const tutor = await approvedTutor();
  const res = await tutor.client.post("/api/tutors/me/payouts/onboarding");
  expect(res.status).toBe(200);
  expect(res.json.url).toMatch(/^https:\/\/connect\.stripe\.test\/setup\/e\/acct_fake_/);
  const { json } = await tutor.client.get("/api/tutors/me/earnings");
  const accountId = json.account.id as string;
  /** Stripe's Connect `account.updated` at `at` (seconds): payouts switched on, or off (the account restricted). */
  const enabled = (on: boolean, at: number) =>
    deliver(stripeEvent("account.updated", { id: accountId, object: "account", details_submitted: true, charges_enabled: on, payouts_enabled: on }, at, { account: accountId }), {
      secret: env.STRIPE_CONNECT_WEBHOOK_SECRET,
    });
  await enabled(true, sec(Date.now()));
  return { ...tutor, accountId, enabled };
}

/** A 60-minute session of `tutor` that took place — tutor and student in the room throughout — completed and settled. */
async function taughtSession(tutor: Awaited<ReturnType<typeof payableTutor>>, hoursAhead = 48) {
  const student = await fundedStudent(60);
  const start = slotAhead(hoursAhead * 60);
  const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
  const bookingId = json.booking.id as string;
  await attended(bookingId, tutor.user.id, student.user.id, Date.parse(start));
  const after = Date.parse(start) + 2 * 3_600_000;
  const done = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: bookingId, actor: "system", now: after });
  expect(done.ok).toBe(true);
  await drained(tutor.user.id);
  return bookingId;
}

/** Tutor and student were in the room for the whole hour from `start`. */
const attended = (bookingId: string, tutorId: string, studentId: string, start: number) =>
  Promise.all([wasInRoom(bookingId, tutorId, "tutor", start, start + 3_600_000), wasInRoom(bookingId, studentId, "student", start, start + 3_600_000)]);

beforeEach(async () => {
  // Tests in a file share storage: settle what earlier tests left unpaid so each test counts only its own.
  await runPayouts(env);
  await fake("/__reset", {});
});

describe("tutor payouts", () => {
  it("onboards with a controller-configured Connect account (Express dashboard), created once", async () => {
    const tutor = await approvedTutor();
    await tutor.client.post("/api/tutors/me/payouts/onboarding");
    await tutor.client.post("/api/tutors/me/payouts/onboarding");
    const accounts = await fakeRequests((r) => r.path === "/v1/accounts");
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.params).toMatchObject({
      "controller[stripe_dashboard][type]": "express",
      "controller[fees][payer]": "application",
      "controller[losses][payments]": "application",
      "capabilities[transfers][requested]": "true",
      "metadata[tutorId]": tutor.user.id,
    });
    expect(accounts[0]!.params.type).toBeUndefined();
    expect(accounts[0]!.idempotencyKey).toBe(`account:${tutor.user.id}`);
    const earnings = await tutor.client.get("/api/tutors/me/earnings");
    expect(earnings.json.account).toMatchObject({ payoutsEnabled: false });
  });

  it("accrues earnings when a session is completed, once, from what the student paid less commission", async () => {
    const tutor = await payableTutor();
    const bookingId = await taughtSession(tutor);
    await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: bookingId, actor: "system", now: Date.now() + 7 * 86_400_000 });
    await drained(tutor.user.id);
    const res = await tutor.client.get("/api/tutors/me/earnings");
    expect(res.json.earnings).toHaveLength(1);
    expect(res.json.earnings[0]).toMatchObject({ bookingId, amountCents: 2400, minutes: 60, students: 1, status: "accrued", outcome: "as_booked" });
    expect(res.json.unpaidCents).toBe(2400);
    expect((await tutor.client.get("/api/bookings")).json.bookings[0]).toMatchObject({ status: "completed", tutorEarningCents: 2400, outcome: "as_booked" });
  });

  it("cannot complete a session before it happens, and strangers cannot complete it", async () => {
    const tutor = await payableTutor();
    const student = await fundedStudent(60);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    const early = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: "system", now: Date.now() });
    expect(early).toMatchObject({ ok: false, code: "not_started" });
    const stranger = await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: { id: student.user.id, role: "student" }, now: Date.now() + 3 * 86_400_000 });
    expect(stranger).toMatchObject({ ok: false, code: "not_found" });
  });

  it("the completion job completes sessions that are over", async () => {
    const tutor = await payableTutor();
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
    await drained(tutor.user.id); // the job finds sessions in the D1 projection
    await attended(json.booking.id, tutor.user.id, student.user.id, Date.parse(start));
    expect((await completePastSessions(env, new Date(Date.parse(start) + 30 * 60_000))).completed).toBe(0);
    expect((await completePastSessions(env, new Date(Date.parse(start) + 2 * 3_600_000))).completed).toBeGreaterThanOrEqual(1);
    await drained(tutor.user.id);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.unpaidCents).toBe(2400);
  });

  it("pays each tutor's unpaid earnings as one transfer, and never twice", async () => {
    const tutor = await payableTutor();
    await taughtSession(tutor, 48);
    await taughtSession(tutor, 50);
    expect(await runPayouts(env)).toEqual({ paid: 1, failed: 0 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 0 });
    const transfers = (await fake<Transfer[]>("/__transfers")).filter((t) => t.destination === tutor.accountId);
    expect(transfers).toHaveLength(1);
    expect(transfers[0]!.amount).toBe(4800);
    const view = await tutor.client.get("/api/tutors/me/earnings");
    expect(view.json).toMatchObject({ unpaidCents: 0, paidCents: 4800 });
    expect(view.json.payouts[0]).toMatchObject({ status: "paid", amountCents: 4800 });
  });

  it("two overlapping payout runs pay every earning exactly once", async () => {
    const tutors = await Promise.all([payableTutor(), payableTutor(), payableTutor()]);
    for (const t of tutors) await taughtSession(t);
    await Promise.all([runPayouts(env), runPayouts(env), runPayouts(env)]);
    const transfers = await fake<Transfer[]>("/__transfers");
    for (const t of tutors) {
      const mine = transfers.filter((x) => x.destination === t.accountId);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.amount).toBe(2400);
    }
    const unclaimed = await env.DB.prepare("SELECT count(*) AS n FROM earnings WHERE payout_id IS NULL").first<{ n: number }>();
    expect(unclaimed!.n).toBe(0);
  });

  it("retries a failed transfer on the next run without paying twice", async () => {
    const tutor = await payableTutor();
    await taughtSession(tutor);
    await fake("/__fail-transfers", { count: 1 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 1 });
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.payouts[0]).toMatchObject({ status: "failed" });
    expect(await runPayouts(env)).toEqual({ paid: 1, failed: 0 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 0 });
    const transfers = (await fake<Transfer[]>("/__transfers")).filter((t) => t.destination === tutor.accountId);
    expect(transfers).toHaveLength(1);
    const keys = (await fakeRequests((r) => r.method === "POST" && r.path === "/v1/transfers")).map((r) => r.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length); // a fresh key per attempt
  });

  it("retries a payout a stopped run left pending with that attempt's key, so a transfer still under way is not made twice", async () => {
    const tutor = await payableTutor();
    await taughtSession(tutor);
    await fake("/__fail-transfers", { count: 1 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 1 });
    // The next run claims attempt 2 and stops before it hears back (its row stays pending), long enough to be taken over.
    const payout = (await env.DB.prepare("SELECT id FROM payouts WHERE tutor_id = ?").bind(tutor.user.id).first<{ id: string }>())!;
    await env.DB.prepare("UPDATE payouts SET status = 'pending', attempts = 2, updated_at = ? WHERE id = ?").bind(new Date(Date.now() - 60 * 60_000).toISOString(), payout.id).run();
    expect(await runPayouts(env)).toEqual({ paid: 1, failed: 0 });
    const keys = (await fakeRequests((r) => r.method === "POST" && r.path === "/v1/transfers")).map((r) => r.idempotencyKey);
    expect(keys.filter((k) => k?.startsWith(`payout:${payout.id}:`))).toEqual([`payout:${payout.id}:1`, `payout:${payout.id}:2`]);
    expect((await fake<Transfer[]>("/__transfers")).filter((t) => t.destination === tutor.accountId)).toHaveLength(1);
  });

  it("a failed payout is not sent again once the tutor's Connect account is restricted, and is paid once when it is enabled again", async () => {
    const tutor = await payableTutor();
    await taughtSession(tutor);
    await fake("/__fail-transfers", { count: 1 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 1 });
    await tutor.enabled(false, sec(Date.now()) + 5);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.account.payoutsEnabled).toBe(false);
    await runPayouts(env);
    const mine = async () => (await fake<Transfer[]>("/__transfers")).filter((t) => t.destination === tutor.accountId);
    expect(await mine()).toHaveLength(0);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.payouts[0]).toMatchObject({ status: "failed", amountCents: 2400 });

    await tutor.enabled(true, sec(Date.now()) + 10);
    expect(await runPayouts(env)).toEqual({ paid: 1, failed: 0 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 0 });
    expect((await mine()).map((t) => t.amount)).toEqual([2400]);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json).toMatchObject({ paidCents: 2400, payouts: [{ status: "paid", amountCents: 2400 }] });
  });

  it("a payout a stopped run left pending waits while the account is restricted, then goes with that attempt's key", async () => {
    const tutor = await payableTutor();
    await taughtSession(tutor);
    await fake("/__fail-transfers", { count: 1 });
    expect(await runPayouts(env)).toEqual({ paid: 0, failed: 1 });
    // Attempt 2 was claimed and its run stopped before hearing back; then Stripe restricted the account.
    const payout = (await env.DB.prepare("SELECT id FROM payouts WHERE tutor_id = ?").bind(tutor.user.id).first<{ id: string }>())!;
    await env.DB.prepare("UPDATE payouts SET status = 'pending', attempts = 2, updated_at = ? WHERE id = ?").bind(new Date(Date.now() - 60 * 60_000).toISOString(), payout.id).run();
    await tutor.enabled(false, sec(Date.now()) + 5);
    await runPayouts(env);
    const sent = async () => (await fakeRequests((r) => r.method === "POST" && r.path === "/v1/transfers")).map((r) => r.idempotencyKey).filter((k) => k?.startsWith(`payout:${payout.id}:`));
    expect(await sent()).toEqual([`payout:${payout.id}:1`]);

    await tutor.enabled(true, sec(Date.now()) + 10);
    expect(await runPayouts(env)).toEqual({ paid: 1, failed: 0 });
    expect(await sent()).toEqual([`payout:${payout.id}:1`, `payout:${payout.id}:2`]);
    expect((await fake<Transfer[]>("/__transfers")).filter((t) => t.destination === tutor.accountId)).toHaveLength(1);
  });

  it("does not pay tutors whose account cannot receive payouts yet", async () => {
    const tutor = await approvedTutor();
    await tutor.client.post("/api/tutors/me/payouts/onboarding");
    const student = await fundedStudent(60);
    const start = slotAhead(48 * 60);
    const { json } = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start, durationMinutes: 60, subject: "mathematics" });
    await attended(json.booking.id, tutor.user.id, student.user.id, Date.parse(start));
    await calendarOf(env, tutor.user.id).complete({ tutorId: tutor.user.id, sessionId: json.booking.id, actor: "system", now: Date.parse(start) + 7_200_000 });
    await drained(tutor.user.id);
    await runPayouts(env);
    expect((await tutor.client.get("/api/tutors/me/earnings")).json.unpaidCents).toBe(2400);
  });

  it("admins see the payouts overview; others cannot", async () => {
    const tutor = await payableTutor();
    await taughtSession(tutor);
    const admin = await adminClient();
    const before = await admin.get("/api/admin/payouts");
    expect(before.json.unpaid.find((u: { tutorId: string }) => u.tutorId === tutor.user.id)).toMatchObject({ amountCents: 2400, sessions: 1 });
    const student = await signup("student");
    expect((await student.client.get("/api/admin/payouts")).status).toBe(403);
    expect((await tutor.client.get("/api/admin/payouts")).status).toBe(403);
    expect((await student.client.post("/api/tutors/me/payouts/onboarding")).status).toBe(403);
  });
});

/** An earning of `cents` for a session that ended at `endAt` (its booking is not in D1: the page must not need it). */
const earning = (tutorId: string, cents: number, endAt: string, status: "accrued" | "held" = "accrued") =>
  env.DB.prepare("INSERT INTO earnings (id, tutor_id, booking_id, amount_cents, status, minutes, students, kind, session_end_at, created_at) VALUES (?, ?, ?, ?, ?, 60, 1, 'one_on_one', ?, ?)").bind(
    crypto.randomUUID(),
    tutorId,
    uid("booking"),
    cents,
    status,
    endAt,
    endAt,
  );

const paidPayout = (tutorId: string, cents: number, at: string) =>
  env.DB.prepare("INSERT INTO payouts (id, tutor_id, amount_cents, currency, status, attempts, transfer_id, created_at, updated_at) VALUES (?, ?, ?, 'usd', 'paid', 1, ?, ?, ?)").bind(crypto.randomUUID(), tutorId, cents, uid("tr"), at, at);

async function inBatches(rows: D1PreparedStatement[]) {
  for (let i = 0; i < rows.length; i += 50) await env.DB.batch(rows.slice(i, i + 50));
}

/** A tutor (no Connect account, so no payout run touches them) with `sessions` earnings of $24, twelve hours apart. */
async function tutorWith(sessions: number, status: "accrued" | "held" = "accrued") {
  const tutor = await signup("tutor");
  const start = Date.now() - 120 * 86_400_000;
  await inBatches(Array.from({ length: sessions }, (_, i) => earning(tutor.user.id, 2_400, new Date(start + i * 12 * 3_600_000).toISOString(), status)));
  return tutor;
}

describe("a busy tutor's earnings page", () => {
  it("a tutor with 600 sessions still sees their earnings, with the admin's totals", async () => {
    const tutor = await tutorWith(600);
    const admin = await adminClient();
    const adminRow = (await admin.get("/api/admin/payouts")).json.unpaid.find((u: { tutorId: string }) => u.tutorId === tutor.user.id);
    const res = await tutor.client.get("/api/tutors/me/earnings");
    expect(res.status).toBe(200);
    expect(res.json.unpaidCents).toBe(adminRow.amountCents);
    expect(res.json.unpaidCents).toBe(600 * 2_400);
  });

  it("a tutor with 150 sessions sees each one with its subject and students", async () => {
    const tutor = await tutorWith(150);
    const student = await signup("student");
    const ids = (await env.DB.prepare("SELECT booking_id AS id, session_end_at AS at FROM earnings WHERE tutor_id = ?").bind(tutor.user.id).all<{ id: string; at: string }>()).results;
    await inBatches(
      ids.flatMap(({ id, at }) => [
        env.DB.prepare("INSERT INTO bookings (id, tutor_id, kind, status, subject, start_at, end_at, credits_minutes, created_at, updated_at) VALUES (?, ?, 'one_on_one', 'completed', 'physics', ?, ?, 60, ?, ?)").bind(id, tutor.user.id, at, at, at, at),
        env.DB.prepare("INSERT INTO booking_participants (booking_id, student_id, reservation_id, status, credits_minutes) VALUES (?, ?, ?, 'confirmed', 60)").bind(id, student.user.id, id),
      ]),
    );
    const res = await tutor.client.get("/api/tutors/me/earnings");
    expect(res.status).toBe(200);
    expect(res.json.earnings).toHaveLength(150);
    for (const e of res.json.earnings) expect(e).toMatchObject({ subject: "physics", studentNames: ["Test Student"] });
  });

  it("held and paid totals count every earning and payout, however many", async () => {
    const tutor = await tutorWith(550, "held");
    const start = Date.now() - 200 * 86_400_000;
    await inBatches(Array.from({ length: 130 }, (_, i) => paidPayout(tutor.user.id, 10_000, new Date(start + i * 86_400_000).toISOString())));
    const res = await tutor.client.get("/api/tutors/me/earnings");
    expect(res.status).toBe(200);
    expect(res.json.heldCents).toBe(550 * 2_400);
    expect(res.json.paidCents).toBe(130 * 10_000);
    expect(res.json.unpaidCents).toBe(0);
  });
});
