import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WEEK_MS } from "../../domain/billing/pause";
import { app } from "../../worker/index";
import { AttachmentsSchema } from "../../platform/integrations/email/sender";
import { accountOf, calendarOf } from "../../worker/lib/stubs";
import { Client, ORIGIN, approvedTutor, balance, drained, fund, settleWallet, signup, slotAhead } from "./helpers";
import { deliver, fakeRequests, sec, stripeEvent, subscribed, subscriptionObject } from "./stripeHelpers";

const DAY = 86_400_000;
type Sub = { currentPeriodEnd: string; canPause: boolean; pause: { weeks: number; startsAt: string; endsAt: string; endedAt: string | null; status: string; renewalBefore: string } | null };

const subscriptionOf = async (client: Client): Promise<Sub> => (await client.get("/api/billing/subscription")).json.subscription;
/** Each lot's expiry in the wallet (the source of truth), by lot id. */
const expiries = async (studentId: string) => {
  const w = await accountOf(env, studentId).credits({ studentId, now: Date.now() });
  return Object.fromEntries(w.lots.map((l) => [l.id, Date.parse(l.expiresAt)]));
};
/** The same, as D1's projection has it: the lot's own expiry, then its `extend` entries in order. */
const projectedExpiries = async (studentId: string) => {
  const rows = await env.DB.prepare("SELECT id, kind, lot_id AS lotId, expires_at AS expiresAt FROM credit_ledger WHERE user_id = ? ORDER BY seq")
    .bind(studentId)
    .all<{ id: string; kind: string; lotId: string | null; expiresAt: string | null }>();
  const out: Record<string, number> = {};
  for (const r of rows.results) {
    if (r.kind === "grant" || (r.kind === "adjust" && !r.lotId)) out[r.id] = Date.parse(r.expiresAt!);
    if (r.kind === "extend") out[r.lotId!] = Date.parse(r.expiresAt!);
  }
  return out;
};
const pause = (client: Client, weeks: number, key?: string) => client.post("/api/billing/pause", { weeks }, key ? { "Idempotency-Key": key } : {});

describe("POST /api/billing/pause (Stripe mode)", () => {
  it("pauses billing with pause_collection, and moves the renewal and every usable lot's expiry by exactly the pause", async () => {
    const s = await subscribed("starter");
    await fund(s.user.id, 60, { expiresAt: new Date(Date.now() + 10 * DAY).toISOString() });
    const before = await subscriptionOf(s.client);
    const lotsBefore = await expiries(s.user.id);
    expect(Object.keys(lotsBefore)).toHaveLength(2);
    expect(before.canPause).toBe(true);

    const res = await pause(s.client, 2);
    expect(res.status).toBe(200);
    const after: Sub = res.json.subscription;
    expect(after.pause).toMatchObject({ weeks: 2, status: "active", renewalBefore: before.currentPeriodEnd });
    expect(Date.parse(after.pause!.endsAt) - Date.parse(after.pause!.startsAt)).toBe(2 * WEEK_MS);
    expect(Date.parse(after.currentPeriodEnd) - Date.parse(before.currentPeriodEnd)).toBe(2 * WEEK_MS);
    expect(after.canPause).toBe(false);

    // Every lot still usable moved by the same 1,209,600,000 ms, in the wallet and (through its outbox) in D1.
    const lotsAfter = await expiries(s.user.id);
    for (const [id, at] of Object.entries(lotsBefore)) expect(lotsAfter[id]! - at).toBe(2 * WEEK_MS);
    await settleWallet(s.user.id);
    expect(await projectedExpiries(s.user.id)).toEqual(lotsAfter);

    // The real SDK's call, as the fake recorded it.
    const [call] = await fakeRequests((r) => r.method === "POST" && r.path === `/v1/subscriptions/${s.subId}`);
    expect(call!.params).toMatchObject({
      "pause_collection[behavior]": "void",
      "pause_collection[resumes_at]": String(Math.floor(Date.parse(after.pause!.endsAt) / 1000)),
      trial_end: String(Math.floor(Date.parse(after.currentPeriodEnd) / 1000)),
      proration_behavior: "none",
    });
    expect(call!.idempotencyKey).toMatch(/^pause:pause_/);
  });

  it("allows one pause per billing period, also after resuming; a non-subscriber and a bad length are refused clearly", async () => {
    const s = await subscribed("starter");
    expect((await pause(s.client, 1)).status).toBe(200);
    const again = await pause(s.client, 1);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_paused");
    expect(again.json.error.message).toMatch(/once per billing period/);
    expect((await s.client.post("/api/billing/resume")).status).toBe(200);
    expect((await pause(s.client, 1)).json.error.code).toBe("already_paused");

    const free = await signup("student");
    const none = await pause(free.client, 2);
    expect(none.status).toBe(409);
    expect(none.json.error).toMatchObject({ code: "no_subscription" });
    expect((await free.client.post("/api/billing/resume")).json.error.code).toBe("no_subscription");
    for (const weeks of [0, 5, 1.5]) expect((await pause(s.client, weeks)).status).toBe(400);
  });

  it("still counts a pause for its period after Stripe's subscription.updated rewrites the period start", async () => {
    const s = await subscribed("starter");
    const paused = await pause(s.client, 1);
    expect(paused.status).toBe(200);
    const renewal = Date.parse(paused.json.subscription.currentPeriodEnd);
    // Stripe answers the pause's trial_end with a trialing subscription whose period starts now and ends at the
    // moved renewal (signed webhook, as Stripe sends it); then the student resumes.
    const trialing = subscriptionObject({ id: s.subId, customer: s.customerId, price: "price_starter", status: "trialing", start: sec(Date.now()), end: sec(renewal) });
    expect((await deliver(stripeEvent("customer.subscription.updated", trialing))).status).toBe(200);
    expect((await s.client.post("/api/billing/resume")).status).toBe(200);
    const resumed = await deliver(stripeEvent("customer.subscription.updated", { ...trialing, status: "active" }, sec(Date.now()) + 1));
    expect(resumed.status).toBe(200);

    // Still the same billing period (it ends at the renewal the pause moved): a second pause is refused.
    const sub = await subscriptionOf(s.client);
    expect(sub.canPause).toBe(false);
    const again = await pause(s.client, 1);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("already_paused");
    expect(await fakeRequests((r) => r.path === `/v1/subscriptions/${s.subId}` && r.params["pause_collection[behavior]"] === "void")).toHaveLength(1);
  });

  it("lets one of two concurrent pauses through, and moves the dates once", async () => {
    const s = await subscribed("starter");
    const before = await subscriptionOf(s.client);
    const lotsBefore = await expiries(s.user.id);
    const answers = await Promise.all([pause(s.client, 1), pause(s.client, 3), pause(s.client, 2)]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409]);
    const won: Sub = answers.find((a) => a.status === 200)!.json.subscription;
    const shift = won.pause!.weeks * WEEK_MS;
    expect(Date.parse((await subscriptionOf(s.client)).currentPeriodEnd) - Date.parse(before.currentPeriodEnd)).toBe(shift);
    const lotsAfter = await expiries(s.user.id);
    for (const [id, at] of Object.entries(lotsBefore)) expect(lotsAfter[id]! - at).toBe(shift);
    expect(await fakeRequests((r) => r.path === `/v1/subscriptions/${s.subId}`)).toHaveLength(1);
  });

  it("answers a retried pause (same Idempotency-Key) with the first answer and pauses once", async () => {
    const s = await subscribed("starter");
    const before = await subscriptionOf(s.client);
    const lotsBefore = await expiries(s.user.id);
    const [a, b] = await Promise.all([pause(s.client, 2, "pause-key"), pause(s.client, 2, "pause-key")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.json.subscription.currentPeriodEnd).toBe(a.json.subscription.currentPeriodEnd);
    const replay = await pause(s.client, 2, "pause-key");
    expect(replay.headers.get("Idempotent-Replayed")).toBe("true");
    // Both attempts meet on one pause: Stripe hears it under one idempotency key, the dates move once.
    const calls = await fakeRequests((r) => r.path === `/v1/subscriptions/${s.subId}`);
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(Date.parse((await subscriptionOf(s.client)).currentPeriodEnd) - Date.parse(before.currentPeriodEnd)).toBe(2 * WEEK_MS);
    for (const [id, at] of Object.entries(await expiries(s.user.id))) expect(at - lotsBefore[id]!).toBe(2 * WEEK_MS);
  });

  it("resumes early: the renewal and the expiries end up moved only by the time actually paused", async () => {
    const s = await subscribed("starter");
    const before = await subscriptionOf(s.client);
    const lotsBefore = await expiries(s.user.id);
    await pause(s.client, 3);
    const res = await s.client.post("/api/billing/resume");
    expect(res.status).toBe(200);
    const after: Sub = res.json.subscription;
    expect(after.pause).toMatchObject({ status: "ended" });
    const paused = Date.parse(after.pause!.endedAt!) - Date.parse(after.pause!.startsAt);
    expect(paused).toBeGreaterThanOrEqual(0);
    expect(paused).toBeLessThan(3 * WEEK_MS);
    expect(Date.parse(after.currentPeriodEnd) - Date.parse(before.currentPeriodEnd)).toBe(paused);
    const lotsAfter = await expiries(s.user.id);
    for (const [id, at] of Object.entries(lotsBefore)) expect(lotsAfter[id]! - at).toBe(paused);
    await settleWallet(s.user.id);
    expect(await projectedExpiries(s.user.id)).toEqual(lotsAfter);
    const calls = await fakeRequests((r) => r.path === `/v1/subscriptions/${s.subId}`);
    expect(calls[1]!.params).toMatchObject({ pause_collection: "", trial_end: String(Math.floor(Date.parse(after.currentPeriodEnd) / 1000)) });
    // Resuming again: nothing to resume.
    expect((await s.client.post("/api/billing/resume")).json.error.code).toBe("not_paused");
  });

  it("skips the weekly lessons that fall in the pause: not charged (or refunded if paid), released, both told", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    await fund(s.user.id, 600);
    const start = slotAhead(2 * 24 * 60);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start, repeat: { weeks: 4 } });
    expect(booked.status).toBe(201);
    const weeks: { id: string }[] = booked.json.series.occurrences;
    await drained(tutor.user.id);
    const paidBalance = await balance(s.client);

    // Two weeks from now: weeks 1 (in 2 days, already paid) and 2 (in 9 days, not yet) fall inside; 3 and 4 do not.
    expect((await pause(s.client, 2)).status).toBe(200);
    await drained(tutor.user.id);
    const series = (await s.client.get(`/api/series/${booked.json.series.id}`)).json.series;
    expect(series.occurrences.map((o: { status: string }) => o.status)).toEqual(["cancelled", "cancelled", "confirmed", "confirmed"]);
    await settleWallet(s.user.id);
    expect(await balance(s.client)).toBe(paidBalance + 60);
    // The slots are the tutor's again.
    const slots = await new Client().get(`/api/tutors/${tutor.user.id}/slots?from=${start}&to=${new Date(Date.parse(start) + 3_600_000).toISOString()}&duration=60`);
    expect(slots.json.slots.map((x: { start: string }) => x.start)).toContain(start);
    for (const who of [s, tutor]) {
      await expect
        .poll(async () => ((await who.client.get("/api/notifications")).json.notifications as { body: string }[]).filter((n) => n.body.includes("paused")).length, { timeout: 4000 })
        .toBe(2);
    }
    expect(weeks).toHaveLength(4);
  });
});

/** The Worker as `npm run dev` runs it: no Stripe key, so the local payment mode is on. */
const localEnv = { ...env, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_CONNECT_WEBHOOK_SECRET: undefined, ENVIRONMENT: "test" } as Env;
const localClient = () => new Client(ORIGIN, (req) => app.fetch(req, localEnv, createExecutionContext()) as Promise<Response>);

describe("pausing in local payment mode", () => {
  it("moves the renewal and the plan's credit by the pause, without Stripe, and resumes", async () => {
    const { client, user } = await signup("student", {}, localClient());
    const { json } = await client.post("/api/billing/checkout", { planId: "starter" });
    await client.post(`/api/billing/local/checkout/${json.url.split("/").pop()}/complete`);
    const before = await subscriptionOf(client);
    const lotsBefore = await expiries(user.id);
    expect(Object.keys(lotsBefore)).toHaveLength(1);
    const res = await pause(client, 4);
    expect(res.status).toBe(200);
    expect(Date.parse(res.json.subscription.currentPeriodEnd) - Date.parse(before.currentPeriodEnd)).toBe(4 * WEEK_MS);
    for (const [id, at] of Object.entries(await expiries(user.id))) expect(at - lotsBefore[id]!).toBe(4 * WEEK_MS);
    const resumed = await client.post("/api/billing/resume");
    expect(resumed.status).toBe(200);
    const paused = Date.parse(resumed.json.subscription.pause.endedAt) - Date.parse(resumed.json.subscription.pause.startsAt);
    expect(Date.parse(resumed.json.subscription.currentPeriodEnd) - Date.parse(before.currentPeriodEnd)).toBe(paused);
  });
});

describe("a pause skips the weeks it should, from the wallet's own reservations", () => {
  it("skips the weeks in the pause even when D1 has not (yet) got them", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    await fund(s.user.id, 600);
    const start = slotAhead(2 * 24 * 60);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start, repeat: { weeks: 4 } });
    expect(booked.status).toBe(201);
    await drained(tutor.user.id);
    const paidBalance = await balance(s.client);
    // The projection has not got the weeks (it runs after the answer, and retries for minutes when D1 fails).
    for (const { id } of booked.json.series.occurrences as { id: string }[]) {
      await env.DB.prepare("DELETE FROM booking_participants WHERE booking_id = ?").bind(id).run();
      await env.DB.prepare("DELETE FROM bookings WHERE id = ?").bind(id).run();
    }
    expect((await pause(s.client, 2)).status).toBe(200);
    await drained(tutor.user.id);
    await settleWallet(s.user.id);
    expect(await balance(s.client)).toBe(paidBalance + 60);
    const series = (await s.client.get(`/api/series/${booked.json.series.id}`)).json.series;
    expect(series.occurrences.map((o: { status: string }) => o.status)).toEqual(["cancelled", "cancelled", "confirmed", "confirmed"]);
  });

  it("credit refunded for a skipped week stays usable at least 14 days after an early resume", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    await fund(s.user.id, 90, { expiresAt: new Date(Date.now() + 3 * DAY).toISOString() });
    const start = slotAhead(2 * 24 * 60);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start, repeat: { weeks: 2 } });
    expect(booked.status).toBe(201);
    await drained(tutor.user.id);
    const lotsOf = async () => (await accountOf(env, s.user.id).credits({ studentId: s.user.id, now: Date.now() })).lots;
    // The first week was paid from the lot expiring first: the one that expires in 3 days.
    expect((await lotsOf()).find((l) => l.minutes === 90)!.remainingMinutes).toBe(30);
    const before = await expiries(s.user.id);
    expect((await pause(s.client, 4)).status).toBe(200);
    await drained(tutor.user.id);
    await settleWallet(s.user.id);
    const refundedAt = Date.now();
    const lot = (await lotsOf()).find((l) => l.minutes === 90)!;
    expect(lot.remainingMinutes).toBe(90);
    expect((await s.client.post("/api/billing/resume")).status).toBe(200);
    const after = (await lotsOf()).find((l) => l.id === lot.id)!;
    expect(Date.parse(after.expiresAt)).toBeGreaterThanOrEqual(refundedAt + 14 * DAY - 60_000);
    // Lots the pause moved that nothing was refunded to go back by the unused part of the pause, as before.
    const others = Object.entries(await expiries(s.user.id)).filter(([id]) => id !== lot.id);
    expect(others.length).toBeGreaterThan(0);
    for (const [id, at] of others) expect(at - before[id]!).toBeLessThan(60_000);
  });

  it("a paid weekly lesson 2 hours away is not refunded by pause + immediate resume: it stays booked, and the answer says so", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    await fund(s.user.id, 600);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(2 * 60), repeat: { weeks: 2 } });
    expect(booked.status).toBe(201);
    const [week1] = booked.json.series.occurrences as { id: string; start: string }[];
    await drained(tutor.user.id);
    await settleWallet(s.user.id);
    const afterPaying = await balance(s.client);
    const paused = await pause(s.client, 1);
    expect(paused.status).toBe(200);
    expect((await s.client.post("/api/billing/resume")).status).toBe(200);
    await drained(tutor.user.id);
    await settleWallet(s.user.id);
    expect(await balance(s.client)).toBe(afterPaying);
    expect(paused.json.keptWeeks).toEqual([{ id: week1!.id, start: week1!.start, seriesId: booked.json.series.id, tutorId: tutor.user.id }]);
    const series = (await s.client.get(`/api/series/${booked.json.series.id}`)).json.series;
    expect(series.occurrences.map((o: { status: string }) => o.status)).toEqual(["confirmed", "confirmed"]);
  });

  it("a retried pause (same Idempotency-Key) names the kept weeks as the first answer did, also once the stored answer is gone", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    await fund(s.user.id, 600);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(2 * 60), repeat: { weeks: 2 } });
    expect(booked.status).toBe(201);
    const [week1] = booked.json.series.occurrences as { id: string; start: string }[];
    await drained(tutor.user.id);
    await settleWallet(s.user.id);
    const kept = [{ id: week1!.id, start: week1!.start, seriesId: booked.json.series.id, tutorId: tutor.user.id }];
    // Two attempts at once: whichever finishes second meets the pause the first one made.
    const [a, b] = await Promise.all([pause(s.client, 1, "pause-kept"), pause(s.client, 1, "pause-kept")]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.json.keptWeeks).toEqual(kept);
    expect(b.json.keptWeeks).toEqual(kept);
    // The first answer kept by the Idempotency-Key is gone (the retention job, or a worker stopped before storing it):
    // the retry reaches the pause again and still answers as the first did.
    await env.DB.prepare("DELETE FROM idempotency_keys WHERE user_id = ?").bind(s.user.id).run();
    const retry = await pause(s.client, 1, "pause-kept");
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual(a.json);
  });
});

describe("what a pause tells the student and the tutor about each skipped week", () => {
  type Mail = { subject: string; text: string; attachments: string | null };
  const mailsOf = async (userId: string) =>
    (await env.DB.prepare("SELECT subject, text, attachments FROM email_outbox WHERE user_id = ? ORDER BY created_at, rowid").bind(userId).all<Mail>()).results;
  const icsOf = (m: Mail) => (m.attachments ? AttachmentsSchema.parse(JSON.parse(m.attachments))[0]!.content.replace(/\r\n[ \t]/g, "") : "");
  const methodsFor = async (userId: string, id: string) =>
    (await mailsOf(userId))
      .map(icsOf)
      .filter((c) => c.includes(`UID:${id}@tutorly`))
      .map((c) => c.match(/METHOD:(\w+)/)![1]);

  it("sends the .ics CANCEL of a skipped week the student had been sent an invitation for, and says it was their own pause", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    await fund(s.user.id, 600);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(2 * 24 * 60), repeat: { weeks: 4 } });
    const week1: string = booked.json.series.occurrences[0].id;
    await drained(tutor.user.id);
    expect(await methodsFor(s.user.id, week1)).toEqual(["REQUEST"]);
    expect((await pause(s.client, 2)).status).toBe(200);
    await drained(tutor.user.id);
    expect((await s.client.get(`/api/series/${booked.json.series.id}`)).json.series.occurrences[0].status).toBe("cancelled");
    expect(await methodsFor(s.user.id, week1)).toEqual(["REQUEST", "CANCEL"]);
    const told = (await mailsOf(s.user.id)).filter((m) => icsOf(m).includes(`UID:${week1}@tutorly`)).at(-1)!;
    expect(`${told.subject}\n${told.text}`).not.toMatch(/Tutorly support/);
    expect(told.text).toMatch(/You paused your plan/);
  });
});

describe("a group week that two students' pauses skip", () => {
  it("tells the tutor of each student who left the group, not only the first", async () => {
    const tutor = await approvedTutor();
    const ahead = new Date(Date.now() + 2 * 86_400_000);
    const t0 = Date.UTC(ahead.getUTCFullYear(), ahead.getUTCMonth(), ahead.getUTCDate(), 10);
    const groups: string[] = [];
    for (const t of [t0, t0 + WEEK_MS]) {
      const res = await tutor.client.post("/api/tutors/me/group-sessions", { start: new Date(t).toISOString(), durationMinutes: 60, subject: "mathematics", seats: 4 }, { "Idempotency-Key": crypto.randomUUID() });
      expect(res.status).toBe(201);
      groups.push(res.json.booking.id);
    }
    const students = [await subscribed("starter"), await subscribed("starter")];
    for (const s of students) {
      await fund(s.user.id, 600);
      const res = await s.client.post("/api/bookings", { tutorId: tutor.user.id, start: new Date(t0).toISOString(), durationMinutes: 60, subject: "mathematics", group: true, repeat: { weeks: 2 } }, { "Idempotency-Key": crypto.randomUUID() });
      expect(res.status).toBe(201);
    }
    await drained(tutor.user.id);
    for (const s of students) expect((await s.client.post("/api/billing/pause", { weeks: 2 })).status).toBe(200);
    await drained(tutor.user.id);
    const week1 = await calendarOf(env, tutor.user.id).getSession(groups[0]!);
    expect(week1!.booking.participants!.filter((p) => p.status === "confirmed")).toHaveLength(0);
    const told = ((await tutor.client.get("/api/notifications")).json.notifications as { body: string; link?: string }[]).filter((n) => n.link === `/sessions/${groups[0]}` && /paused/i.test(n.body));
    // Two students left the tutor's group that week: the tutor hears of both.
    expect(told).toHaveLength(2);
  });
});

describe("a week skipped by the student's pause, as its session page reads it", () => {
  it("says the pause in each reader's words, not the calendar's English note as a reason someone gave", async () => {
    const tutor = await approvedTutor();
    const s = await subscribed("starter");
    expect((await s.client.request("PATCH", "/api/me", { locale: "es-MX" })).status).toBe(200);
    await fund(s.user.id, 600);
    const booked = await s.client.post("/api/bookings", { tutorId: tutor.user.id, subject: "mathematics", durationMinutes: 60, start: slotAhead(2 * 24 * 60), repeat: { weeks: 2 } });
    expect(booked.status).toBe(201);
    const first: string = booked.json.series.occurrences[0].id;
    await drained(tutor.user.id);
    expect((await s.client.post("/api/billing/pause", { weeks: 1 })).status).toBe(200);
    await drained(tutor.user.id);
    for (const who of [s, tutor]) {
      const detail = await who.client.get(`/api/bookings/${encodeURIComponent(first)}`);
      expect(detail.json.booking.status).toBe("cancelled");
      expect(detail.json.cancellation).toMatchObject({ cause: "plan_paused", reason: null });
    }
  });
});
