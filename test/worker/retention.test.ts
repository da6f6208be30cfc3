import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RETENTION_DAYS } from "../../domain/retention";
import { KEPT, PRUNED, enforceRetention } from "../../worker/jobs/retention";
import { runCron, signup } from "./helpers";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const count = async (sql: string, ...binds: unknown[]) => env.DB.prepare(sql).bind(...binds).first<number>("n");
const exists = async (table: string, column: string, value: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM "${table}" WHERE "${column}" = ?`).bind(value).first<number>("n")) === 1;

describe("retention: the daily job", () => {
  it("deletes what each rule says is past keeping, and keeps everything else", async () => {
    const { user } = await signup("student");
    const { user: tutor } = await signup("tutor");
    const m = crypto.randomUUID().slice(0, 8);
    const days = RETENTION_DAYS;
    const rows: [string, string, unknown[]][] = [
      // [marker, sql, binds]: an old row (past keeping) and a fresh one (just inside it) for every rule.
      [`lf-old-${m}`, "INSERT INTO login_attempts (key, attempt_id, at) VALUES (?, 'x', ?)", [`lf-old-${m}`, Date.parse(ago(days.loginAttempts + 1))]],
      [`lf-new-${m}`, "INSERT INTO login_attempts (key, attempt_id, at) VALUES (?, 'x', ?)", [`lf-new-${m}`, Date.parse(ago(days.loginAttempts - 1))]],
      [`at-old-${m}`, "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES (?, ?, 'password_reset', 'a@b.co', ?, ?)", [`at-old-${m}`, user.id, ago(days.accountTokens + 2), ago(days.accountTokens + 1)]],
      [`at-new-${m}`, "INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES (?, ?, 'verify_email', 'a@b.co', ?, ?)", [`at-new-${m}`, user.id, ago(3), ago(1)]],
      [`ai-old-${m}`, "INSERT INTO admin_invitations (token_hash, email, invited_by, created_at, expires_at) VALUES (?, 'a@b.co', ?, ?, ?)", [`ai-old-${m}`, user.id, ago(days.adminInvitations + 8), ago(days.adminInvitations + 1)]],
      [`ai-new-${m}`, "INSERT INTO admin_invitations (token_hash, email, invited_by, created_at, expires_at) VALUES (?, 'a@b.co', ?, ?, ?)", [`ai-new-${m}`, user.id, ago(2), new Date(Date.now() + 5 * DAY).toISOString()]],
      [`ik-old-${m}`, "INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status, body, created_at) VALUES (?, 'POST /x', ?, 'h', 201, '{}', ?)", [user.id, `ik-old-${m}`, ago(days.idempotencyKeys + 1)]],
      [`ik-new-${m}`, "INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status, body, created_at) VALUES (?, 'POST /x', ?, 'h', 201, '{}', ?)", [user.id, `ik-new-${m}`, ago(days.idempotencyKeys - 1)]],
      [`we-old-${m}`, "INSERT INTO webhook_events (id, provider, type, created_at, received_at, status, payload) VALUES (?, 'stripe', 't', ?, ?, 'processed', '{}')", [`we-old-${m}`, ago(100), ago(days.webhookEvents + 1)]],
      [`we-new-${m}`, "INSERT INTO webhook_events (id, provider, type, created_at, received_at, status, payload) VALUES (?, 'stripe', 't', ?, ?, 'failed', '{}')", [`we-new-${m}`, ago(100), ago(days.webhookEvents - 1)]],
      [`no-old-${m}`, "INSERT INTO notifications (id, user_id, kind, title, body, created_at) VALUES (?, ?, 'k', 't', 'b', ?)", [`no-old-${m}`, user.id, ago(days.notifications + 1)]],
      [`no-new-${m}`, "INSERT INTO notifications (id, user_id, kind, title, body, created_at) VALUES (?, ?, 'k', 't', 'b', ?)", [`no-new-${m}`, user.id, ago(days.notifications - 1)]],
      [`em-sent-old-${m}`, "INSERT INTO email_outbox (id, to_email, subject, text, dedupe_key, status, created_at) VALUES (?, 'a@b.co', 's', 't', ?, 'sent', ?)", [`em-sent-old-${m}`, `em-sent-old-${m}`, ago(days.sentEmail + 1)]],
      [`em-sent-new-${m}`, "INSERT INTO email_outbox (id, to_email, subject, text, dedupe_key, status, created_at) VALUES (?, 'a@b.co', 's', 't', ?, 'sent', ?)", [`em-sent-new-${m}`, `em-sent-new-${m}`, ago(days.sentEmail - 1)]],
      [`em-failed-old-${m}`, "INSERT INTO email_outbox (id, to_email, subject, text, dedupe_key, status, created_at) VALUES (?, 'a@b.co', 's', 't', ?, 'failed', ?)", [`em-failed-old-${m}`, `em-failed-old-${m}`, ago(days.failedEmail + 1)]],
      [`em-failed-new-${m}`, "INSERT INTO email_outbox (id, to_email, subject, text, dedupe_key, status, created_at) VALUES (?, 'a@b.co', 's', 't', ?, 'failed', ?)", [`em-failed-new-${m}`, `em-failed-new-${m}`, ago(days.sentEmail + 1)]],
      [`em-pending-old-${m}`, "INSERT INTO email_outbox (id, to_email, subject, text, dedupe_key, status, created_at) VALUES (?, 'a@b.co', 's', 't', ?, 'pending', ?)", [`em-pending-old-${m}`, `em-pending-old-${m}`, ago(400)]],
      [`as-old-${m}`, "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", [`as-old-${m}`, user.id, ago(40), ago(1)]],
      [`as-new-${m}`, "INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)", [`as-new-${m}`, user.id, ago(40), new Date(Date.now() + DAY).toISOString()]],
      [`co-open-old-${m}`, "INSERT INTO checkout_sessions (id, user_id, kind, item_id, status, url, created_at) VALUES (?, ?, 'plan', 'starter', 'open', 'u', ?)", [`co-open-old-${m}`, user.id, ago(days.abandonedCheckouts + 1)]],
      [`co-done-old-${m}`, "INSERT INTO checkout_sessions (id, user_id, kind, item_id, status, url, created_at) VALUES (?, ?, 'plan', 'starter', 'complete', 'u', ?)", [`co-done-old-${m}`, user.id, ago(400)]],
      [`cv-${m}`, "INSERT INTO conversations (id, student_id, tutor_id, started_by, created_at) VALUES (?, ?, ?, ?, ?)", [`cv-${m}`, user.id, tutor.id, user.id, ago(900)]],
      [`cr-closed-old-${m}`, "INSERT INTO conversation_reports (id, conversation_id, reporter_id, reported_user_id, reason, status, created_at, resolved_at) VALUES (?, ?, ?, ?, 'spam', 'dismissed', ?, ?)", [`cr-closed-old-${m}`, `cv-${m}`, user.id, tutor.id, ago(900), ago(days.closedReports + 1)]],
      [`cr-closed-new-${m}`, "INSERT INTO conversation_reports (id, conversation_id, reporter_id, reported_user_id, reason, status, created_at, resolved_at) VALUES (?, ?, ?, ?, 'spam', 'actioned', ?, ?)", [`cr-closed-new-${m}`, `cv-${m}`, user.id, tutor.id, ago(900), ago(days.closedReports - 1)]],
      [`cr-open-old-${m}`, "INSERT INTO conversation_reports (id, conversation_id, reporter_id, reported_user_id, reason, status, created_at) VALUES (?, ?, ?, ?, 'spam', 'open', ?)", [`cr-open-old-${m}`, `cv-${m}`, user.id, tutor.id, ago(900)]],
    ];
    await env.DB.batch(rows.map(([, sql, binds]) => env.DB.prepare(sql).bind(...binds)));

    await runCron("0 3 * * *");

    const where: Record<string, [string, string]> = {
      lf: ["login_attempts", "key"], at: ["account_tokens", "token_hash"], ai: ["admin_invitations", "token_hash"], ik: ["idempotency_keys", "key"], we: ["webhook_events", "id"], no: ["notifications", "id"], em: ["email_outbox", "id"],
      as: ["auth_sessions", "token_hash"], co: ["checkout_sessions", "id"], cv: ["conversations", "id"], cr: ["conversation_reports", "id"],
    };
    const left: Record<string, boolean> = {};
    for (const [marker] of rows) {
      const [table, column] = where[marker.slice(0, 2)]!;
      left[marker.replace(`-${m}`, "")] = await exists(table, column, marker);
    }
    expect(left).toEqual({
      "lf-old": false, "lf-new": true,
      "at-old": false, "at-new": true,
      "ai-old": false, "ai-new": true,
      "ik-old": false, "ik-new": true,
      "we-old": false, "we-new": true,
      "no-old": false, "no-new": true,
      "em-sent-old": false, "em-sent-new": true, "em-failed-old": false, "em-failed-new": true, "em-pending-old": true,
      "as-old": false, "as-new": true,
      "co-open-old": false, "co-done-old": true,
      cv: true, "cr-closed-old": false, "cr-closed-new": true, "cr-open-old": true,
    });
    const run = await env.DB.prepare("SELECT last_status, last_result FROM cron_runs WHERE job = 'enforceRetention'").first<{ last_status: string; last_result: string }>();
    expect(run!.last_status).toBe("ok");
    expect(JSON.parse(run!.last_result).loginAttempts).toBeGreaterThanOrEqual(1);
  });

  it("works off a backlog larger than one batch in a single run", async () => {
    const m = crypto.randomUUID().slice(0, 8);
    await env.DB.prepare(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) INSERT INTO login_attempts (key, attempt_id, at) SELECT 'backlog-' || ?1 || '-' || i, 'x', ?2 FROM n",
    )
      .bind(m, Date.parse(ago(365)))
      .run();
    const deleted = await enforceRetention(env, new Date());
    expect(deleted.loginAttempts).toBeGreaterThanOrEqual(2500);
    expect(await count("SELECT count(*) AS n FROM login_attempts WHERE key LIKE ?", `backlog-${m}-%`)).toBe(0);
  });

  it("has a rule or a stated reason for every D1 table, so a new table cannot grow unnoticed", async () => {
    const tables = (await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'").all<{ name: string }>()).results.map((r) => r.name);
    const unaccounted = tables.filter((t) => !PRUNED.includes(t) && !(t in KEPT));
    expect(unaccounted, "add a rule to worker/jobs/retention.ts or a reason to KEPT").toEqual([]);
    // No stale entries either.
    expect([...PRUNED, ...Object.keys(KEPT)].filter((t) => !tables.includes(t))).toEqual([]);
  });
});
