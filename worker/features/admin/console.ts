import { and, desc, eq, inArray, like, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import { newApp } from "../../app";
import { getDb, readInChunks } from "../../../platform/db/client";
import { bookingParticipants, bookings, reliabilityEvents, tutorProfiles, users, webhookEvents } from "../../../platform/db/schema";
import { StripeEventSchema } from "../../integrations/stripe/shapes";
import { ApiError, errorBody, notFound } from "../../lib/errors";
import { idempotency } from "../../middleware/idempotency";
import { notRefunded, refundSeatOf } from "./refund";
import { validate } from "../../lib/validate";
import { requireRole } from "../../middleware/auth";
import { applyStripeEvent } from "../billing/stripeEvents";
import { readWebhookDetail } from "../../../domain/schemas/webhookNotes";
import { type CronRun, CronRunSchema } from "../../../domain/schemas/cron";
import { log } from "../../../platform/log";
import { SCHEDULE } from "../../jobs";

const Id = z.object({ id: z.string().min(1).max(120) });

/** The admin console's data: people, flagged tutors, refunds, and the webhook log with replay. */
export const adminConsoleRoutes = newApp()
  .use("/admin/*", requireRole("admin"))
  .get("/admin/users", validate("query", z.object({ q: z.string().max(100).optional(), role: z.enum(["student", "tutor", "admin"]).optional() })), async (c) => {
    const { q, role } = c.req.valid("query");
    const db = getDb(c.env);
    // A tutor's reliability is 1 until something is scored, so the console needs to know whether any session was taught.
    const completedSessions = sql<number>`(SELECT count(*) FROM ${bookings} WHERE ${bookings.tutorId} = ${users.id} AND ${bookings.status} = 'completed')`.mapWith(Number);
    const list = await db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, timezone: users.timezone, createdAt: users.createdAt, status: users.status, emailVerifiedAt: users.emailVerifiedAt, suspendedAt: users.suspendedAt, approvedAt: tutorProfiles.approvedAt, flagged: tutorProfiles.flagged, reliability: tutorProfiles.reliability, completedSessions })
      .from(users)
      .leftJoin(tutorProfiles, eq(tutorProfiles.userId, users.id))
      .where(and(role ? eq(users.role, role) : undefined, q ? or(like(users.email, `%${q}%`), like(users.name, `%${q}%`)) : undefined))
      .orderBy(desc(users.createdAt))
      .limit(200)
      .all();
    return c.json({ users: list }, 200);
  })
  .get("/admin/tutors/flagged", async (c) => {
    const db = getDb(c.env);
    const flagged = await db
      .select({ id: users.id, name: users.name, email: users.email, reliability: tutorProfiles.reliability, flagged: tutorProfiles.flagged })
      .from(tutorProfiles)
      .innerJoin(users, eq(users.id, tutorProfiles.userId))
      .where(or(eq(tutorProfiles.flagged, true), sql`${tutorProfiles.reliability} < 0.8`))
      .orderBy(tutorProfiles.reliability)
      .all();
    // Each flagged tutor's events, read in chunks of ids (there may be more than the 100 values D1 binds), newest first.
    const history = (
      await readInChunks(
        flagged.map((f) => f.id),
        (ids) => db.select().from(reliabilityEvents).where(and(inArray(reliabilityEvents.tutorId, ids), ne(reliabilityEvents.kind, "completed"))).all(),
      )
    ).sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    return c.json({ tutors: flagged.map((t) => ({ ...t, history: history.filter((h) => h.tutorId === t.id) })) }, 200);
  })
  .post("/admin/bookings/:id/refund", idempotency, validate("param", Id), validate("json", z.object({ studentId: z.string().min(1).max(64), reason: z.string().trim().min(3).max(500) })), async (c) => {
    const { id } = c.req.valid("param");
    const { studentId, reason } = c.req.valid("json");
    const db = getDb(c.env);
    const seat = await db
      .select({ reservationId: bookingParticipants.reservationId, status: bookingParticipants.status, bookingStatus: bookings.status })
      .from(bookingParticipants)
      .innerJoin(bookings, eq(bookings.id, bookingParticipants.bookingId))
      .where(and(eq(bookingParticipants.bookingId, id), eq(bookingParticipants.studentId, studentId)))
      .get();
    if (!seat) throw notFound("That booking seat");
    // The seat, not the session: a student who left a group session that goes on can be refunded too. A session
    // still to come (or under way) is cancelled instead, which refunds everyone; a completed one's seat stays
    // confirmed and can be refunded: the platform bears it (the books post it as a refund), the tutor, who taught,
    // keeps the earning.
    if (seat.status === "confirmed" && seat.bookingStatus === "confirmed") throw new ApiError(409, "booking_active", "Cancel the booking first; cancelling by an admin refunds it.");
    const done = await refundSeatOf(c.env, studentId, seat.reservationId, reason);
    if (done.outcome === "refunded") return c.json({ refunded: true, refund: done }, 200);
    const { code, message } = notRefunded(done);
    return c.json({ ...errorBody(code, message, c.get("requestId")), refunded: false, refund: done }, 409);
  })
  .get("/admin/stats/bookings", validate("query", z.object({ days: z.coerce.number().int().min(1).max(365).default(30) })), async (c) => {
    const { days } = c.req.valid("query");
    const since = new Date(Date.now() - days * 86_400_000).toISOString();
    const rows = await c.env.DB.prepare(
      `SELECT substr(created_at, 1, 10) AS day, count(*) AS booked, 0 AS cancelled FROM bookings WHERE created_at >= ?1 GROUP BY day
       UNION ALL
       SELECT substr(cancelled_at, 1, 10) AS day, 0, count(*) FROM bookings WHERE cancelled_at >= ?1 GROUP BY day`,
    )
      .bind(since)
      .all<{ day: string; booked: number; cancelled: number }>();
    const byDay = new Map<string, { day: string; booked: number; cancelled: number }>();
    for (let i = days - 1; i >= 0; i--) {
      const day = new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10);
      byDay.set(day, { day, booked: 0, cancelled: 0 });
    }
    for (const r of rows.results) {
      const d = byDay.get(r.day);
      if (d) {
        d.booked += r.booked;
        d.cancelled += r.cancelled;
      }
    }
    return c.json({ days: [...byDay.values()] }, 200);
  })
  /**
   * Is the service healthy: D1 reachable, scheduled jobs running on schedule (a stale one turns it red), webhooks and
   * payouts not piling up.
   */
  .get("/admin/health", async (c) => {
    const started = Date.now();
    let d1 = { ok: true, latencyMs: 0, error: null as string | null };
    try {
      await c.env.DB.prepare("SELECT 1").first();
      d1.latencyMs = Date.now() - started;
    } catch (e) {
      d1 = { ok: false, latencyMs: Date.now() - started, error: String(e) };
    }
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const one = <T,>(sqlText: string, ...binds: unknown[]) => c.env.DB.prepare(sqlText).bind(...binds).first<T>().catch(() => null);
    const [cron, webhooks, payoutsRow, outbox] = await Promise.all([
      c.env.DB.prepare("SELECT job, last_started_at, last_finished_at, last_status, last_error, last_result FROM cron_runs ORDER BY job")
        .all()
        .then((r) => r.results.flatMap((row) => {
          const run = CronRunSchema.safeParse(row);
          return run.success ? [run.data] : [];
        }))
        .catch((): CronRun[] => [])
        .then((runs) => runs.map((run) => jobHealth(run, started))),
      one<{ received: number; failed: number; ignored: number; last: string | null }>(
        "SELECT count(*) AS received, sum(status = 'failed') AS failed, sum(status = 'ignored') AS ignored, max(received_at) AS last FROM webhook_events WHERE received_at >= ?",
        since,
      ),
      one<{ failed: number; pending: number }>("SELECT sum(status = 'failed') AS failed, sum(status = 'pending') AS pending FROM payouts"),
      one<{ pending: number; failed: number }>("SELECT sum(status = 'pending') AS pending, sum(status = 'failed') AS failed FROM email_outbox"),
    ]);
    return c.json(
      {
        ok: d1.ok && !cron.some((j) => j.stale),
        checkedAt: new Date().toISOString(),
        d1,
        cron,
        webhooks: { last24h: webhooks?.received ?? 0, failed24h: webhooks?.failed ?? 0, ignored24h: webhooks?.ignored ?? 0, lastReceivedAt: webhooks?.last ?? null },
        payouts: { failed: payoutsRow?.failed ?? 0, pending: payoutsRow?.pending ?? 0 },
        email: { pending: outbox?.pending ?? 0, failed: outbox?.failed ?? 0 },
      },
      d1.ok ? 200 : 503,
    );
  })
  .get("/admin/webhooks", validate("query", z.object({ provider: z.enum(["stripe", "calendly"]).optional(), status: z.enum(["processed", "ignored", "failed"]).optional() })), async (c) => {
    const { provider, status } = c.req.valid("query");
    const list = await getDb(c.env)
      .select({ id: webhookEvents.id, provider: webhookEvents.provider, type: webhookEvents.type, status: webhookEvents.status, detail: webhookEvents.detail, createdAt: webhookEvents.createdAt, receivedAt: webhookEvents.receivedAt })
      .from(webhookEvents)
      .where(and(provider ? eq(webhookEvents.provider, provider) : undefined, status ? eq(webhookEvents.status, status) : undefined))
      .orderBy(desc(webhookEvents.receivedAt))
      .limit(200)
      .all();
    // `detail` stays English for other readers; `note` is its code and values, which the console says in the admin's language.
    return c.json({ events: list.map((e) => ({ ...e, ...readWebhookDetail(e.detail) })) }, 200);
  })
  .post("/admin/webhooks/:id/replay", validate("param", Id), async (c) => {
    const row = await getDb(c.env).select().from(webhookEvents).where(eq(webhookEvents.id, c.req.valid("param").id)).get();
    if (!row) throw notFound("That event");
    if (row.provider !== "stripe") throw new ApiError(409, "not_replayable", "Only Stripe events can be replayed here.");
    const event = storedStripeEvent(row.payload);
    if (!event) throw new ApiError(409, "not_replayable", "This event's stored payload can't be read, so it can't be replayed.");
    try {
      return c.json({ result: await applyStripeEvent(c.env, event, new Date(), { replay: true }) }, 200);
    } catch (e) {
      throw replayFailed(row, e);
    }
  });

/** A stored delivery's payload as a Stripe event, or null when it no longer reads as one. */
function storedStripeEvent(payload: string) {
  try {
    const event = StripeEventSchema.safeParse(JSON.parse(payload));
    return event.success ? event.data : null;
  } catch {
    return null;
  }
}

/**
 * A replay whose handling threw again (Stripe still unreachable, the wallet or D1 failing). applyStripeEvent has kept
 * a failed row failed, with this error, and its effects are idempotent, so what it did before the throw is completed,
 * never repeated, by the next replay. The admin is told what failed, in the envelope, rather than a bare 500: it is
 * a dependency that failed, so a 502.
 */
function replayFailed(row: { id: string; type: string; status: string }, error: unknown): ApiError {
  // The stored event does not read as its type: replaying it again changes nothing until the code reads that shape.
  if (error instanceof ApiError && error.code === "invalid_event") return new ApiError(409, "not_replayable", error.message);
  if (error instanceof ApiError) return error;
  const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
  log.warn("webhook replay failed", { eventId: row.id, type: row.type, error: reason });
  const kept = row.status === "failed" ? "It stays listed as failed with this error" : `It stays ${row.status}; nothing already applied was undone`;
  return new ApiError(502, "replay_failed", `Replaying ${row.type} (${row.id}) failed: ${reason}. ${kept}; replay it again once that is fixed.`);
}

/** A Cron Trigger's invocation is cut off after 15 minutes of wall time: no run of a job outlasts that. */
const INVOCATION_LIMIT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** How often a trigger of SCHEDULE fires, read from its expression: every N minutes, daily or weekly (else null). */
function cronPeriodMs(expression: string): number | null {
  const [minute = "", hour = "", dayOfMonth, month, dayOfWeek = ""] = expression.trim().split(/\s+/);
  if (dayOfMonth !== "*" || month !== "*") return null;
  const every = /^\*\/(\d+)$/.exec(minute);
  if (every && hour === "*" && dayOfWeek === "*") return Number(every[1]) * 60_000;
  if (!/^\d+$/.test(minute) || !/^\d+$/.test(hour)) return null;
  return dayOfWeek === "*" ? DAY_MS : /^\d$/.test(dayOfWeek) ? 7 * DAY_MS : null;
}

/** Each scheduled job's period, from the triggers that run it (worker/jobs/index.ts, wrangler.toml [triggers]). */
const JOB_PERIODS = new Map(
  Object.entries(SCHEDULE).flatMap(([cron, jobs]) => {
    const period = cronPeriodMs(cron);
    return period === null ? [] : Object.keys(jobs).map((job) => [job, period] as const);
  }),
);

/**
 * A job's last run with the page's verdict. A killed invocation (the 15-minute limit, a deploy, an isolate lost)
 * never writes its finish, so its row would say "running" for ever: it is stale once it has been running longer than
 * its schedule allows (its period, at most the invocation limit), or once its last finish is older than twice its
 * period (its trigger stopped firing, or every run is cut off). A job no trigger runs any more is judged by its
 * status only.
 */
function jobHealth(run: CronRun, now: number): CronRun & { stale: boolean; ok: boolean } {
  const period = JOB_PERIODS.get(run.job);
  const started = Date.parse(run.last_started_at);
  const finished = run.last_finished_at ? Date.parse(run.last_finished_at) : started;
  const stale = period !== undefined && ((run.last_status === "running" && now - started > Math.min(period, INVOCATION_LIMIT_MS)) || now - finished > 2 * period);
  return { ...run, stale, ok: !stale && run.last_status !== "failed" };
}
