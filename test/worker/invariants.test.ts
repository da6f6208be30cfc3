import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { seriesOfBookingId } from "../../domain/bookingIds";
import type { TutorCalendar } from "../../durable-objects/TutorCalendar";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import { Client, approvedTutor, balance, drained, fundedStudent, slotAhead } from "./helpers";

/** A small deterministic PRNG (mulberry32) so a failing run can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Row = { id: string; kind: string; status: string; start_ms: number; end_ms: number; seats: number; credits: number };
type Seat = { session_id: string; student_id: string; reservation_id: string; status: string; credits: number };

async function calendarState(tutorId: string) {
  return runInDurableObject(calendarOf(env, tutorId), async (_: TutorCalendar, state) => {
    await (_ as unknown as { settle(): Promise<void> }).settle();
    return {
      sessions: state.storage.sql.exec<Row>("SELECT id, kind, status, start_ms, end_ms, seats, credits FROM sessions").toArray(),
      seats: state.storage.sql.exec<Seat>("SELECT session_id, student_id, reservation_id, status, credits FROM seats").toArray(),
    };
  });
}

const overlaps = (a: { start_ms: number; end_ms: number }, b: { start_ms: number; end_ms: number }) => a.start_ms < b.end_ms && b.start_ms < a.end_ms;

/** The tutor's bookings as the D1 projection lists them, and as they should be from the calendar's sessions. */
async function projectedBookings(tutorId: string) {
  return (await env.DB.prepare("SELECT id, status, start_at FROM bookings WHERE tutor_id = ? ORDER BY id").bind(tutorId).all<{ id: string; status: string; start_at: string }>()).results;
}
const liveBookings = (sessions: Row[]) =>
  sessions
    .filter((s) => s.status !== "held" && s.status !== "released")
    .map((s) => ({ id: s.id, status: s.status, start_at: new Date(s.start_ms).toISOString() }))
    .sort((a, b) => a.id.localeCompare(b.id));

/** Every student's ledger as their wallet holds it, and as D1 has it once the outboxes have drained by alarm. */
async function walletAndProjection(studentId: string) {
  const stub = accountOf(env, studentId);
  // Retries wait at least a second; the object's own alarm sends them (run here rather than waited for).
  for (let round = 0; round < 10; round++) {
    const pending = await runInDurableObject(stub, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n);
    if (!pending) break;
    await new Promise((r) => setTimeout(r, 1_100));
    await runDurableObjectAlarm(stub);
  }
  const pending = await runInDurableObject(stub, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n);
  const wallet = (await stub.ledger()).map((e) => ({ id: e.id, kind: e.kind, minutes: e.minutes, paid_cents: e.paidCents, lot_id: e.lotId }));
  const projected = await env.DB.prepare("SELECT id, kind, minutes, paid_cents, lot_id FROM credit_ledger WHERE user_id = ? ORDER BY seq").bind(studentId).all();
  return { pending, wallet, projected: projected.results };
}

describe("randomized concurrency against one tutor", () => {
  it.each([
    [1, false],
    [2, false],
    [3, true],
  ])("keeps every invariant through hundreds of concurrent book / cancel / reschedule / join calls (seed %i, outbox faults %s)", async (seed, outboxFaults) => {
    const random = rng(seed);
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const tutor = await approvedTutor();
    const INITIAL = 400;
    // Enough students that none reaches the per-user booking rate limit (30 a minute) by chance.
    const students = await Promise.all(Array.from({ length: 40 }, () => fundedStudent(INITIAL)));
    // The faulty variant: every step of every wallet's outbox to D1 fails once (before or after its D1 write).
    if (outboxFaults) await Promise.all(students.map((st) => accountOf(env, st.user.id).setFaults({ outbox: "every-step" })));
    const base = Date.parse(slotAhead(49 * 60));
    const starts = Array.from({ length: 16 }, (_, i) => new Date(base + i * 30 * 60_000).toISOString());
    const groups: string[] = [];
    for (const at of [base + 20 * 3_600_000, base + 24 * 3_600_000]) {
      const g = await tutor.client.post("/api/tutors/me/group-sessions", { start: new Date(at).toISOString(), durationMinutes: 60, subject: "mathematics", seats: 3 });
      expect(g.status).toBe(201);
      groups.push(g.json.booking.start);
    }
    const owned = new Map<Client, string[]>();
    const bookOne = async (s: (typeof students)[number]) => {
      const group = random() < 0.25;
      const res = await s.client.post("/api/bookings", {
        tutorId: tutor.user.id,
        start: group ? pick(groups) : pick(starts),
        durationMinutes: group ? 60 : pick([30, 60, 90]),
        subject: "mathematics",
        group,
      });
      expect([201, 402, 409]).toContain(res.status);
      if (res.status === 201) owned.set(s.client, [...(owned.get(s.client) ?? []), res.json.booking.id]);
      return res.status;
    };
    // Wave 1: 120 concurrent bookings and joins.
    await Promise.all(Array.from({ length: 120 }, () => bookOne(pick(students))));
    // Wave 2: 160 concurrent mixed calls, including on the same bookings.
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 160; i++) {
      const s = pick(students);
      const mine = owned.get(s.client) ?? [];
      const r = random();
      if (r < 0.3 && mine.length) ops.push(s.client.post(`/api/bookings/${pick(mine)}/cancel`, {}).then((x) => expect(x.status).toBeLessThan(500)));
      else if (r < 0.55 && mine.length) ops.push(s.client.post(`/api/bookings/${pick(mine)}/reschedule`, { start: pick(starts) }).then((x) => expect(x.status).toBeLessThan(500)));
      else if (r < 0.65 && mine.length) ops.push(tutor.client.post(`/api/bookings/${pick(mine)}/cancel`, {}).then((x) => expect(x.status).toBeLessThan(500)));
      else ops.push(bookOne(s));
    }
    await Promise.all(ops);

    // Students whose tutor cancelled hold replacement offers (opened after the cancellations answered); take the
    // credits back so only live seats remain paid.
    await drained(tutor.user.id);
    for (const st of students) {
      for (const o of (await st.client.get("/api/offers")).json.offers as { id: string; status: string }[]) {
        if (o.status === "open") expect((await st.client.post(`/api/offers/${o.id}/decline`)).status).toBe(200);
      }
    }
    const { sessions, seats } = await calendarState(tutor.user.id);
    const live = sessions.filter((s) => s.status === "confirmed");
    // 1. The tutor is never double-booked: no two live sessions overlap (1:1 or group).
    for (const a of live) for (const b of live) if (a.id < b.id) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
    // 2. No seat is oversold.
    for (const s of live) expect(seats.filter((x) => x.session_id === s.id && x.status === "confirmed").length).toBeLessThanOrEqual(s.seats);
    // 3. No student is in two sessions at once.
    const liveSeats = seats.filter((x) => x.status === "confirmed" && live.some((s) => s.id === x.session_id));
    for (const st of students) {
      const mine = liveSeats.filter((x) => x.student_id === st.user.id).map((x) => sessions.find((s) => s.id === x.session_id)!);
      for (const a of mine) for (const b of mine) if (a.id < b.id) expect(overlaps(a, b)).toBe(false);
    }
    // 4. Credits are conserved exactly, minutes and paid value: everyone paid for what they hold, nothing more (all
    //    cancellations were ≥ 24 h ahead), folded from the wallet; and the D1 projection is the wallet's ledger, entry
    //    for entry, nothing lost or doubled, once the outboxes have drained.
    for (const st of students) {
      const held = liveSeats.filter((x) => x.student_id === st.user.id).reduce((sum, x) => sum + x.credits, 0);
      expect(await balance(st.client)).toBe(INITIAL - held);
      const ledger = await accountOf(env, st.user.id).ledger();
      const net = (field: "minutes" | "paidCents") => ledger.reduce((sum, e) => sum + (e.kind === "debit" ? e[field] : e.kind === "refund" ? -e[field] : 0), 0);
      expect(net("minutes")).toBe(held);
      const lotCents = ledger.filter((e) => e.kind === "grant").reduce((sum, e) => sum + e.paidCents, 0);
      expect(lotCents).toBe(INITIAL * 50);
      // 60 of the 400 minutes bought for $200 cost $30 however they were spent.
      expect(net("paidCents")).toBe(held * 50);
      const { pending, wallet, projected } = await walletAndProjection(st.user.id);
      expect(pending).toBe(0);
      expect(projected).toEqual(wallet);
    }
    // 5. The D1 projection agrees with the calendar object.
    expect(await projectedBookings(tutor.user.id)).toEqual(liveBookings(sessions));
    expect(live.length).toBeGreaterThan(3);
  }, 120_000);
});

describe("randomized concurrency: weekly series and single bookings racing", () => {
  const WEEK = 7 * 86_400_000;
  it.each([11, 12])("keeps every invariant while 1:1 and group series, singles, cancels, moves of the rest of a series and the weekly charge race (seed %i)", async (seed) => {
    const random = rng(seed);
    const pick = <T,>(xs: T[]) => xs[Math.floor(random() * xs.length)]!;
    const tutor = await approvedTutor();
    const INITIAL = 400;
    const students = await Promise.all(Array.from({ length: 24 }, () => fundedStudent(INITIAL)));
    const base = Date.parse(slotAhead(49 * 60));
    const week1 = Array.from({ length: 8 }, (_, i) => base + i * 30 * 60_000);
    const anyWeek = [0, 1, 2].flatMap((w) => week1.map((t) => t + w * WEEK));
    // Two hours later each week, the tutor's weekly group of 3 seats (weekly and single seats race for it).
    const groupAt = base + 6 * 3_600_000;
    for (const w of [0, 1, 2]) {
      const g = await tutor.client.post("/api/tutors/me/group-sessions", { start: new Date(groupAt + w * WEEK).toISOString(), durationMinutes: 60, subject: "mathematics", seats: 3 }, { "Idempotency-Key": crypto.randomUUID() });
      expect(g.status).toBe(201);
    }
    const owned = new Map<Client, string[]>();
    const seriesOf = new Map<Client, string[]>();
    const keep = (m: Map<Client, string[]>, c: Client, ids: string[]) => m.set(c, [...(m.get(c) ?? []), ...ids]);
    const bookOne = async (s: (typeof students)[number]) => {
      const weekly = random() < 0.4;
      const group = random() < 0.3;
      const res = await s.client.post("/api/bookings", {
        tutorId: tutor.user.id,
        start: new Date(group ? groupAt + (weekly ? 0 : pick([0, 1, 2]) * WEEK) : weekly ? pick(week1) : pick(anyWeek)).toISOString(),
        durationMinutes: weekly || group ? 60 : pick([30, 60]),
        subject: "mathematics",
        ...(group ? { group: true } : {}),
        ...(weekly ? { repeat: { weeks: pick([2, 3, 4]) } } : {}),
      });
      expect([201, 402, 409]).toContain(res.status);
      if (res.status !== 201) return;
      if (weekly) {
        keep(owned, s.client, res.json.series.occurrences.map((o: { id: string }) => o.id));
        keep(seriesOf, s.client, [res.json.series.id]);
      } else keep(owned, s.client, [res.json.booking.id]);
    };
    // Wave 1: 60 concurrent series and singles over three weeks of the same hours.
    await Promise.all(Array.from({ length: 60 }, () => bookOne(pick(students))));
    // Wave 2: cancels of single weeks and of the rest of series, moves of single weeks and of the rest of series, more bookings — and the alarm taking the
    // second week's credits (due 7 days before it), twice at once, in the middle of it all.
    const chargeTime = base + 4 * 3_600_000;
    const ops: Promise<unknown>[] = [calendarOf(env, tutor.user.id).chargeDueSeries(chargeTime)];
    for (let i = 0; i < 70; i++) {
      const s = pick(students);
      const mine = owned.get(s.client) ?? [];
      const series = seriesOf.get(s.client) ?? [];
      const r = random();
      if (i === 35) ops.push(calendarOf(env, tutor.user.id).chargeDueSeries(chargeTime));
      if (r < 0.2 && mine.length) ops.push(s.client.post(`/api/bookings/${pick(mine)}/cancel`, {}).then((x) => expect(x.status).toBeLessThan(500)));
      else if (r < 0.3 && series.length) ops.push(s.client.post(`/api/series/${pick(series)}/cancel`, random() < 0.5 ? {} : { from: new Date(base + WEEK).toISOString() }).then((x) => expect(x.status, x.text).toBe(200)));
      else if (r < 0.37 && series.length) {
        // The rest of a series moved to another of the hours (a group series is refused, a finished one has nothing left).
        const body = { from: new Date(base + pick([0, WEEK])).toISOString(), start: new Date(pick(anyWeek)).toISOString() };
        ops.push(s.client.post(`/api/series/${pick(series)}/move`, body).then((x) => expect([200, 400, 409], x.text).toContain(x.status)));
      } else if (r < 0.42 && mine.length) ops.push(s.client.post(`/api/bookings/${pick(mine)}/reschedule`, { start: new Date(pick(anyWeek)).toISOString() }).then((x) => expect(x.status).toBeLessThan(500)));
      else if (r < 0.45 && mine.length) ops.push(tutor.client.post(`/api/bookings/${pick(mine)}/cancel`, {}).then((x) => expect(x.status).toBeLessThan(500)));
      else ops.push(bookOne(s));
    }
    await Promise.all(ops);
    await calendarOf(env, tutor.user.id).chargeDueSeries(chargeTime);
    await drained(tutor.user.id);
    for (const st of students) {
      for (const o of (await st.client.get("/api/offers")).json.offers as { id: string; status: string }[]) {
        if (o.status === "open") expect((await st.client.post(`/api/offers/${o.id}/decline`)).status).toBe(200);
      }
    }
    const { sessions } = await calendarState(tutor.user.id);
    const paidSeats = await runInDurableObject(calendarOf(env, tutor.user.id), (_, state) =>
      // An occurrence is keyed by its seat's reservation id (a 1:1 week's is its session's id).
      state.storage.sql.exec<Seat & { spent: string | null; due_ms: number | null }>("SELECT s.*, o.due_ms FROM seats s LEFT JOIN occurrences o ON o.session_id = s.reservation_id").toArray(),
    );
    const live = sessions.filter((s) => s.status === "confirmed");
    // 1. The tutor is never double-booked, whether a week came from a series or a single booking.
    for (const a of live) for (const b of live) if (a.id < b.id) expect(overlaps(a, b), `${a.id} overlaps ${b.id}`).toBe(false);
    const liveSeats = paidSeats.filter((x) => x.status === "confirmed" && live.some((s) => s.id === x.session_id));
    // 2. Every live seat is paid, or is a week whose credits are still to be taken (never both, never neither).
    for (const x of liveSeats) expect(x.spent !== null || x.due_ms !== null, `${x.session_id} is neither paid nor due`).toBe(true);
    // 3. No live week is overdue: every week due by the charge time was paid, or (a short balance) is tried again later.
    for (const x of liveSeats) if (x.spent === null) expect(x.due_ms, `${x.session_id} overdue`).toBeGreaterThan(chargeTime);
    expect(liveSeats.filter((x) => seriesOfBookingId(x.session_id)).length, "no series was booked").toBeGreaterThan(0);
    // 3b. No group sells more seats than it has, and weekly group seats were among them.
    for (const g of live.filter((s) => s.kind === "group")) expect(liveSeats.filter((x) => x.session_id === g.id).length, `${g.id} oversold`).toBeLessThanOrEqual(g.seats);
    expect(liveSeats.filter((x) => x.reservation_id !== x.session_id && seriesOfBookingId(x.reservation_id)).length, "no weekly group seat was booked").toBeGreaterThan(0);
    // 4. No student is in two sessions at once.
    for (const st of students) {
      const mine = liveSeats.filter((x) => x.student_id === st.user.id).map((x) => sessions.find((s) => s.id === x.session_id)!);
      for (const a of mine) for (const b of mine) if (a.id < b.id) expect(overlaps(a, b)).toBe(false);
    }
    // 5. Credits are conserved: each student paid exactly for the live weeks and singles already charged, nothing for
    //    weeks still to be paid, cancelled or released; the D1 projection is the wallet's ledger.
    for (const st of students) {
      const held = liveSeats.filter((x) => x.student_id === st.user.id && x.spent !== null).reduce((sum, x) => sum + x.credits, 0);
      expect(await balance(st.client)).toBe(INITIAL - held);
      const { pending, wallet, projected } = await walletAndProjection(st.user.id);
      expect(pending).toBe(0);
      expect(projected).toEqual(wallet);
    }
    // 6. The D1 projection agrees with the calendar object.
    expect(await projectedBookings(tutor.user.id)).toEqual(liveBookings(sessions));
    expect(live.length).toBeGreaterThan(3);
  }, 180_000);
});

describe("crash recovery", () => {
  it("a hold left behind after credits were spent (a crash mid-booking) expires by alarm and the credits come back", async () => {
    const tutor = await approvedTutor();
    const student = await fundedStudent(60);
    const start = Date.parse(slotAhead(48 * 60));
    const stub = calendarOf(env, tutor.user.id);
    // The calendar recorded a hold and the student's account spent the credits; then the Worker died.
    await runInDurableObject(stub, async (_, state) => {
      const sql = state.storage.sql;
      sql.exec(
        "INSERT INTO sessions (id, kind, status, subject, start_ms, end_ms, seats, credits, hold_expires_ms, created_ms, updated_ms) VALUES ('crashed', 'one_on_one', 'held', 'mathematics', ?, ?, 1, 60, ?, ?, ?)",
        start,
        start + 3_600_000,
        Date.now() - 1,
        Date.now(),
        Date.now(),
      );
      sql.exec("INSERT INTO seats (session_id, student_id, reservation_id, status, credits, hold_expires_ms) VALUES ('crashed', ?, 'crashed', 'held', 60, ?)", student.user.id, Date.now() - 1);
      await state.storage.setAlarm(Date.now() + 60_000);
    });
    const spent = await accountOf(env, student.user.id).reserve({ studentId: student.user.id, reservationId: "crashed", sessionId: "crashed", tutorId: tutor.user.id, start, end: start + 3_600_000, cost: 60, now: Date.now() });
    expect(spent).toMatchObject({ ok: true, allocation: [{ minutes: 60, paidCents: 3_000, funding: "paid" }] });
    expect(await balance(student.client)).toBe(0);
    const other = await fundedStudent(60);
    const blocked = await other.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(start).toISOString(), durationMinutes: 60, subject: "mathematics" });
    expect(blocked.status).toBe(409); // the hold still blocks the time

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await balance(student.client)).toBe(60);
    const retry = await other.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(start).toISOString(), durationMinutes: 60, subject: "mathematics" });
    expect(retry.status).toBe(201);
    // The student's own calendar no longer counts the dead reservation either.
    expect(await accountOf(env, student.user.id).activeReservations()).toEqual([]);
  });

  it("a StudentAccount reservation retried after a lost response does not spend twice", async () => {
    const student = await fundedStudent(90);
    const acct = accountOf(env, student.user.id);
    const args = { studentId: student.user.id, reservationId: "r-1", sessionId: "s-1", tutorId: "t", start: Date.now() + 86_400_000, end: Date.now() + 90_000_000, cost: 60, now: Date.now() };
    const results = await Promise.all([acct.reserve(args), acct.reserve(args), acct.reserve(args)]);
    // Each answer is the first allocation: which lot paid, how much of it, and its share of what was paid.
    const first = { ok: true, allocation: [{ lotId: expect.any(String), minutes: 60, paidCents: 3_000, funding: "paid" }], tabs: false };
    expect(results).toEqual([first, first, first]);
    expect(new Set(results.map((r) => (r.ok ? r.allocation[0]!.lotId : null))).size).toBe(1);
    expect(await balance(student.client)).toBe(30);
    await Promise.all([acct.release({ studentId: student.user.id, reservationId: "r-1", refund: true, reason: "t", now: Date.now() }), acct.release({ studentId: student.user.id, reservationId: "r-1", refund: true, reason: "t", now: Date.now() })]);
    expect(await balance(student.client)).toBe(90);
    // A released reservation is closed for good: it cannot be spent again under the same id.
    expect(await acct.reserve(args)).toEqual({ ok: false, code: "reservation_closed" });
  });
});
