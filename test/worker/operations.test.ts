import { createExecutionContext, env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TutorCalendar } from "../../durable-objects/TutorCalendar";
import { signStripePayload } from "../../worker/integrations/stripe/client";
import { app } from "../../worker/index";
import { calendarOf } from "../../worker/lib/stubs";
import { startupProblem } from "../../worker/middleware/startupCheck";
import { Client, ORIGIN, adminClient, approvedTutor, balance, drained, fundedStudent, runCron, slotAhead, uniqueEmail, wasInRoom } from "./helpers";
import { disputeOf, packBuyer, stripeEvent, uid } from "./stripeHelpers";
import { moveBooking } from "./videoHelpers";

/** Problems an operations audit reproduced: upgrades, deploy checks and what the admin console can see. */

describe("a calendar upgraded from the version that paid tutors from their rate at completion", () => {
  it("pays its tutor for a lesson booked before the upgrade and taught after it, and shows the earning before", async () => {
    const tutor = await approvedTutor({ hourlyRateCents: 3000 });
    const student = await fundedStudent(120);
    const booked = await student.client.post("/api/bookings", { tutorId: tutor.user.id, start: slotAhead(48 * 60), durationMinutes: 60, subject: "mathematics" });
    expect(booked.status).toBe(201);
    const id: string = booked.json.booking.id;
    await drained(tutor.user.id);
    // …and the calendar's storage as the D1-ledger version left it (its seats had no earning columns, its schema an older
    // version), then the object starting again on the new code: the constructor migrates it.
    // Its D1 row as that version projected it (no earning column then: the migration's default, 0)…
    await env.DB.prepare("UPDATE bookings SET tutor_earning_cents = 0 WHERE id = ?").bind(id).run();
    await runInDurableObject(calendarOf(env, tutor.user.id), async (_i, state) => {
      const sql = state.storage.sql;
      const have = new Set(sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('seats')").toArray().map((r) => r.name));
      for (const column of ["earning_cents", "spent", "legacy_earning"]) if (have.has(column)) sql.exec(`ALTER TABLE seats DROP COLUMN ${column}`);
      sql.exec("DELETE FROM _schema");
      new TutorCalendar(state, env);
    });
    await drained(tutor.user.id);
    const listed = await tutor.client.get("/api/bookings");
    const before = (listed.json.bookings as { id: string; tutorEarningCents?: number }[]).find((b) => b.id === id);
    const start = Date.now() - 80 * 60_000;
    await moveBooking(student.client, id, start, start + 60 * 60_000);
    await drained(tutor.user.id);
    await wasInRoom(id, tutor.user.id, "tutor", start, start + 60 * 60_000);
    await wasInRoom(id, student.user.id, "student", start, start + 60 * 60_000);
    await runCron("*/5 * * * *");
    await drained(tutor.user.id);
    const earned = await env.DB.prepare("SELECT amount_cents FROM earnings WHERE booking_id = ?").bind(id).first<{ amount_cents: number }>();
    // $30 an hour, an hour, 20 % commission.
    expect({ shownBefore: before?.tutorEarningCents, earned: earned?.amount_cents ?? 0 }).toEqual({ shownBefore: 2400, earned: 2400 });
  });
});

describe("a deployed environment without an email provider", () => {
  const deployed = { ...env, ENVIRONMENT: "production", APP_URL: "https://tutorly.example", FEED_TOKEN_SECRET: "x", DATA_ENCRYPTION_KEY: "y" } as Env;

  it("refuses to start, naming EMAIL_PROVIDER (no address could ever be confirmed)", () => {
    expect(startupProblem({ ...deployed, EMAIL_PROVIDER: undefined } as Env)?.missing).toContain("EMAIL_PROVIDER");
    expect(startupProblem({ ...deployed, EMAIL_PROVIDER: "outbox" } as Env)?.missing).toContain("EMAIL_PROVIDER");
  });

  it("names what the chosen provider still needs, and starts once it has it", () => {
    expect(startupProblem({ ...deployed, EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: undefined, EMAIL_HTTP_TOKEN: undefined } as Env)?.missing).toEqual(["EMAIL_HTTP_URL", "EMAIL_HTTP_TOKEN"]);
    expect(startupProblem({ ...deployed, EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: "https://mail.example/send", EMAIL_HTTP_TOKEN: "t" } as Env)).toBeNull();
    const { EMAIL: _binding, ...unbound } = deployed;
    expect(startupProblem({ ...unbound, EMAIL_PROVIDER: "cloudflare" } as Env)?.missing).toEqual(["EMAIL"]);
    expect(startupProblem({ ...deployed, EMAIL_PROVIDER: "cloudflare" } as Env)).toBeNull();
  });

  it("answers every request 503 misconfigured", async () => {
    const res = await app.fetch(new Request(`${ORIGIN}/api/tutors`), { ...deployed, EMAIL_PROVIDER: undefined } as Env, createExecutionContext());
    expect(res.status).toBe(503);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe("misconfigured");
    expect(body.error.message).toContain("EMAIL_PROVIDER");
  });
});

describe("a deployed environment without its signing keys", () => {
  const deployed = { ...env, ENVIRONMENT: "production", APP_URL: "https://tutorly.example", EMAIL_PROVIDER: "cloudflare", FEED_TOKEN_SECRET: "x", DATA_ENCRYPTION_KEY: "y" } as Env;

  it("refuses to start without SESSION_SIGNING_KEY or FEED_TOKEN_SECRET, naming what is missing", () => {
    expect(startupProblem(deployed)).toBeNull();
    expect(startupProblem({ ...deployed, SESSION_SIGNING_KEY: undefined } as Env)?.missing).toEqual(["SESSION_SIGNING_KEY"]);
    expect(startupProblem({ ...deployed, FEED_TOKEN_SECRET: undefined } as Env)?.missing).toEqual(["FEED_TOKEN_SECRET"]);
  });

  it("answers a signup 503 misconfigured and creates no account that could never be signed in to", async () => {
    const email = uniqueEmail("unsigned");
    const client = new Client(ORIGIN, (req) => app.fetch(req, { ...deployed, SESSION_SIGNING_KEY: undefined } as Env, createExecutionContext()) as Promise<Response>);
    const res = await client.post("/api/auth/signup", { email, password: "correct horse battery", name: "Nobody Yet", role: "student", timezone: "UTC" });
    const created = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = ?").bind(email).first<{ n: number }>();
    expect({ status: res.status, code: res.json?.error?.code, names: String(res.json?.error?.message).includes("SESSION_SIGNING_KEY"), created: created?.n }).toEqual({
      status: 503,
      code: "misconfigured",
      names: true,
      created: 0,
    });
  });
});

describe("a Stripe delivery whose handling fails", () => {
  const stripeDown = { ...env, STRIPE_API_BASE: "http://127.0.0.1:9" } as Env;
  const post = async (payload: string, on: Env) =>
    app.fetch(
      new Request(`${ORIGIN}/api/webhooks/stripe`, { method: "POST", headers: { "Content-Type": "application/json", "Stripe-Signature": await signStripePayload(payload, env.STRIPE_WEBHOOK_SECRET!) }, body: payload }),
      on,
      createExecutionContext(),
    );

  it("is visible to the admin and can be replayed, moving the balance once", async () => {
    const buyer = await packBuyer();
    const event = stripeEvent("charge.dispute.closed", disputeOf(buyer, uid("dp"), "lost"));
    const payload = JSON.stringify(event);
    const before = await balance(buyer.client);
    const res = await post(payload, stripeDown);
    expect(res.status).toBe(500);
    const admin = await adminClient();
    const failed = (await admin.get("/api/admin/webhooks?provider=stripe&status=failed")).json.events as { id: string }[];
    const health = (await admin.get("/api/admin/health")).json;
    const stored = await env.DB.prepare("SELECT status, payload FROM webhook_events WHERE id = ?").bind(`stripe:${event.id}`).first<{ status: string; payload: string }>();
    expect({ stored: stored?.status ?? null, payload: stored ? JSON.parse(stored.payload).id === event.id : false, listed: failed.some((e) => e.id === `stripe:${event.id}`), failed24h: health.webhooks.failed24h > 0 }).toEqual({
      stored: "failed",
      payload: true,
      listed: true,
      failed24h: true,
    });

    const replayed = await admin.post(`/api/admin/webhooks/${encodeURIComponent(`stripe:${event.id}`)}/replay`);
    expect(replayed.status).toBe(200);
    const after = await env.DB.prepare("SELECT status FROM webhook_events WHERE id = ?").bind(`stripe:${event.id}`).first<{ status: string }>();
    expect(after?.status).toBe("processed");
    const lost = await balance(buyer.client);
    expect(lost).toBeLessThan(before);
    // Stripe's own redelivery after the replay is a duplicate: the balance does not move again.
    expect((await post(payload, env)).status).toBe(200);
    expect(await balance(buyer.client)).toBe(lost);
  });

  it("replayed from the console while Stripe is still down, answers 502 replay_failed naming what failed, stays failed with the new error and changes nothing", async () => {
    const buyer = await packBuyer();
    const event = stripeEvent("charge.dispute.closed", disputeOf(buyer, uid("dp"), "lost"));
    const id = `stripe:${event.id}`;
    const bought = await balance(buyer.client);
    expect((await post(JSON.stringify(event), stripeDown)).status).toBe(500);
    // The failure as recorded some time ago, with another error: the replay's own failure must replace it.
    await env.DB.prepare("UPDATE webhook_events SET detail = ?, received_at = ? WHERE id = ?").bind(JSON.stringify({ code: "failed", error: "an earlier error" }), "2026-01-01T00:00:00.000Z", id).run();
    const before = await balance(buyer.client);
    const admin = await adminClient();
    // The console's request, answered by the Worker while Stripe is unreachable.
    const adminWhileDown = new Client(ORIGIN, async (req) => app.fetch(req, stripeDown, createExecutionContext()));
    adminWhileDown.cookie = admin.cookie;
    const replayed = await adminWhileDown.post(`/api/admin/webhooks/${encodeURIComponent(id)}/replay`);
    expect({ status: replayed.status, code: replayed.json?.error?.code }).toEqual({ status: 502, code: "replay_failed" });
    expect(replayed.json.error.message).toContain("charge.dispute.closed");
    expect(replayed.json.error.message).toMatch(/stripe/i);
    const listed = ((await admin.get("/api/admin/webhooks?provider=stripe&status=failed")).json.events as { id: string; receivedAt: string; note?: { code: string; error?: string } }[]).find((e) => e.id === id);
    expect({ listed: !!listed, code: listed?.note?.code, earlierErrorKept: listed?.note?.error === "an earlier error", receivedAtMoved: listed?.receivedAt !== "2026-01-01T00:00:00.000Z" }).toEqual({
      listed: true,
      code: "failed",
      earlierErrorKept: false,
      receivedAtMoved: true,
    });
    expect(listed?.note?.error).toMatch(/stripe/i);
    // Nothing of the closing is applied: the balance is as it was, and the console's dispute row is not written.
    const dispute = () => env.DB.prepare("SELECT status FROM credit_disputes WHERE id = ?").bind(event.data.object.id).first<{ status: string }>();
    expect({ balance: await balance(buyer.client), dispute: await dispute() }).toEqual({ balance: before, dispute: null });
    // Once Stripe is back, the same replay applies it, once.
    const again = await admin.post(`/api/admin/webhooks/${encodeURIComponent(id)}/replay`);
    expect({ status: again.status, result: again.json.result, dispute: (await dispute())?.status }).toEqual({ status: 200, result: "processed", dispute: "lost" });
    expect(await balance(buyer.client)).toBeLessThan(bought);
  });

  it("a signed event whose object does not read as its type (fields missing) answers 400 invalid_event naming them, is kept as failed, and its replay is refused as not replayable (409), not a 500 or a 502", async () => {
    const id = uid("evt");
    const payload = JSON.stringify({ id, object: "event", type: "charge.refunded", created: Math.floor(Date.now() / 1000), data: { object: { object: "charge" } } });
    const res = await post(payload, env);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect({ status: res.status, code: body.error.code }).toEqual({ status: 400, code: "invalid_event" });
    expect(body.error.message).toMatch(/charge\.refunded/);
    const stored = await env.DB.prepare("SELECT status FROM webhook_events WHERE id = ?").bind(`stripe:${id}`).first<{ status: string }>();
    expect(stored?.status).toBe("failed");
    const replay = await (await adminClient()).post(`/api/admin/webhooks/${encodeURIComponent(`stripe:${id}`)}/replay`);
    expect({ status: replay.status, code: replay.json.error?.code }).toEqual({ status: 409, code: "not_replayable" });
    expect(replay.json.error.message).toMatch(/charge\.refunded/);
  });

  it("redelivered by Stripe once its API is back, is processed and overwrites the failed record", async () => {
    const buyer = await packBuyer();
    const event = stripeEvent("charge.dispute.closed", disputeOf(buyer, uid("dp"), "lost"));
    const payload = JSON.stringify(event);
    expect((await post(payload, stripeDown)).status).toBe(500);
    const failed = await env.DB.prepare("SELECT status FROM webhook_events WHERE id = ?").bind(`stripe:${event.id}`).first<{ status: string }>();
    expect(failed?.status).toBe("failed");
    const again = await post(payload, env);
    expect(again.status).toBe(200);
    expect((await again.json<{ result: string }>()).result).toBe("processed");
    const row = await env.DB.prepare("SELECT status FROM webhook_events WHERE id = ?").bind(`stripe:${event.id}`).first<{ status: string }>();
    expect(row?.status).toBe("processed");
  });
});

describe("the admin health page's scheduled jobs", () => {
  const setRun = (job: string, startedAgoMs: number, status: "running" | "ok", finishedAgoMs: number | null) =>
    env.DB.prepare(
      "INSERT INTO cron_runs (job, last_started_at, last_finished_at, last_status) VALUES (?1, ?2, ?3, ?4) ON CONFLICT(job) DO UPDATE SET last_started_at = ?2, last_finished_at = ?3, last_status = ?4",
    )
      .bind(job, new Date(Date.now() - startedAgoMs).toISOString(), finishedAgoMs === null ? null : new Date(Date.now() - finishedAgoMs).toISOString(), status)
      .run();
  const cronOf = async (admin: Client) => {
    const health = await admin.get("/api/admin/health");
    return { ok: health.json.ok as boolean, jobs: new Map((health.json.cron as { job: string; last_status: string; stale?: boolean }[]).map((j) => [j.job, j])) };
  };
  const clear = () => env.DB.prepare("DELETE FROM cron_runs WHERE job IN ('runPayouts', 'drainOutbox', 'completePastSessions')").run();

  it("flags a scheduled job that started days ago and never finished (its invocation was killed) instead of showing it 'running'", async () => {
    const admin = await adminClient();
    try {
      await setRun("runPayouts", 8 * 86_400_000, "running", null);
      const { ok, jobs } = await cronOf(admin);
      expect({ ok, status: jobs.get("runPayouts")?.last_status, stale: jobs.get("runPayouts")?.stale }).toEqual({ ok: false, status: "running", stale: true });
    } finally {
      await clear();
    }
  });

  it("flags a job whose last run finished long before its schedule would have run it twice, and keeps a job running now green", async () => {
    const admin = await adminClient();
    try {
      // Every 5 minutes: finished an hour ago means the trigger has stopped firing it.
      await setRun("drainOutbox", 60 * 60_000, "ok", 60 * 60_000 - 2_000);
      // Started a minute ago, still going: a run in progress.
      await setRun("completePastSessions", 60_000, "running", 6 * 60_000);
      const { ok, jobs } = await cronOf(admin);
      expect({ ok, drain: jobs.get("drainOutbox")?.stale, completing: jobs.get("completePastSessions")?.stale }).toEqual({ ok: false, drain: true, completing: false });
      await clear();
      expect((await cronOf(admin)).ok).toBe(true);
    } finally {
      await clear();
    }
  });
});

describe("ops: APP_ORIGINS as an operator writes it", () => {
  const login = (appOrigins: string, origin = "https://app.tutorly.example") =>
    app.fetch(
      new Request(`${ORIGIN}/api/auth/login`, { method: "POST", headers: { Origin: origin, "Content-Type": "application/json", "CF-Connecting-IP": "198.18.7.7" }, body: JSON.stringify({ email: uniqueEmail("nobody"), password: "not the password" }) }),
      { ...env, APP_ORIGINS: appOrigins } as Env,
      createExecutionContext(),
    );
  const outcome = async (res: Response) => (res.status === 403 ? ((await res.json()) as { error: { code: string } }).error.code : res.status);

  it("control: written without a space, the second origin is allowed", async () => {
    expect(await outcome(await login("https://tutorly.example,https://app.tutorly.example"))).toBe(401);
  });

  it("allows an origin listed after a comma and a space, or written with a trailing slash", async () => {
    expect(await outcome(await login("https://tutorly.example, https://app.tutorly.example"))).toBe(401);
    expect(await outcome(await login("https://tutorly.example,\n  https://app.tutorly.example/ "))).toBe(401);
  });

  it("still refuses an origin that is not listed", async () => {
    expect(await outcome(await login("https://tutorly.example, https://app.tutorly.example", "https://evil.example"))).toBe("forbidden_origin");
  });
});
