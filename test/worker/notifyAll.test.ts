import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { notifyAll } from "../../platform/notifications/service";

/** `n` students straight into D1 (no sign-up: only their rows matter to a notice). */
async function students(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => crypto.randomUUID());
  await env.DB.batch(ids.map((id) => env.DB.prepare("INSERT INTO users (id, email, name, role, timezone, password_hash) VALUES (?, ?, 'Student', 'student', 'UTC', 'x')").bind(id, `${id}@example.com`)));
  return ids;
}

describe("notices sent together", () => {
  it("reach each of more people than one D1 statement may name (a tutor cancelling a day of group sessions)", async () => {
    const ids = await students(120);
    const key = crypto.randomUUID();
    // A switchable kind: each recipient's switches are read too; no recipient is given, so each is read.
    const delivered = await notifyAll(env, ids.map((userId) => ({ userId, kind: "cancelled", title: "Session cancelled", body: "Your tutor cancelled.", dedupeKey: `cancelled:${key}:${userId}` })));
    expect(delivered.filter(Boolean)).toHaveLength(120);
    const inbox = await env.DB.prepare("SELECT count(*) AS n FROM notifications WHERE dedupe_key LIKE ?").bind(`cancelled:${key}:%`).first<{ n: number }>();
    const mail = await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE dedupe_key LIKE ?").bind(`cancelled:${key}:%`).first<{ n: number }>();
    expect([inbox?.n, mail?.n]).toEqual([120, 120]);
  });

  it("deliver a notice once: sent again, it is not delivered again, and its email is not queued twice", async () => {
    const [userId] = await students(1);
    const notice = { userId: userId!, kind: "cancelled", title: "Session cancelled", body: "Your tutor cancelled.", dedupeKey: `cancelled:${crypto.randomUUID()}` };
    expect(await notifyAll(env, [notice, notice])).toEqual([true, false]);
    expect(await notifyAll(env, [notice])).toEqual([false]);
    const mail = await env.DB.prepare("SELECT count(*) AS n FROM email_outbox WHERE dedupe_key = ?").bind(notice.dedupeKey).first<{ n: number }>();
    expect(mail?.n).toBe(1);
  });
});
