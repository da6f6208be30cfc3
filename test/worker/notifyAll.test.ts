import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { drainOutbox, notifyAll } from "../../platform/notifications/service";
import { FAKE_EMAIL_TOKEN } from "../fakes/email";

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

describe("a notice's email", () => {
  const httpEnv = () => ({ ...env, EMAIL_PROVIDER: "http", EMAIL_HTTP_URL: `${env.EMAIL_FAKE_URL}/emails`, EMAIL_HTTP_TOKEN: FAKE_EMAIL_TOKEN });
  const sentTo = async (to: string) => ((await (await fetch(`${env.EMAIL_FAKE_URL}/__/sent`)).json()) as { body: { to: string } }[]).filter((m) => m.body.to === to).length;
  const rowOf = (to: string) => env.DB.prepare("SELECT status, attempts FROM email_outbox WHERE to_email = ?").bind(to).first<{ status: string; attempts: number }>();

  it("goes out with the notice, its first attempt claimed when it is queued", async () => {
    const [userId] = await students(1);
    expect(await notifyAll(httpEnv(), [{ userId: userId!, kind: "cancelled", title: "Session cancelled", body: "Your tutor cancelled.", dedupeKey: `cancelled:${crypto.randomUUID()}` }])).toEqual([true]);
    expect(await sentTo(`${userId}@example.com`)).toBe(1);
    expect(await rowOf(`${userId}@example.com`)).toEqual({ status: "sent", attempts: 1 });
  });

  it("is not sent a second time by a drain that runs while its sender is still at it; one whose sender died is", async () => {
    const [inFlight, abandoned] = await students(2);
    const now = new Date();
    const row = (userId: string, claimedAt: Date) =>
      env.DB.prepare("INSERT INTO email_outbox (id, user_id, to_email, subject, text, dedupe_key, status, attempts, claimed_at, created_at) VALUES (?, ?, ?, 'Session cancelled', 'Your tutor cancelled.', ?, 'pending', 1, ?, ?)").bind(
        crypto.randomUUID(),
        userId,
        `${userId}@example.com`,
        `cancelled:${crypto.randomUUID()}`,
        claimedAt.toISOString(),
        claimedAt.toISOString(),
      );
    // Claimed a moment ago (a notice's sender mid-send), and claimed ten minutes ago by a sender that never finished.
    await env.DB.batch([row(inFlight!, now), row(abandoned!, new Date(now.getTime() - 10 * 60_000))]);
    await drainOutbox(httpEnv(), 50, now);
    expect(await sentTo(`${inFlight}@example.com`)).toBe(0);
    expect(await rowOf(`${inFlight}@example.com`)).toEqual({ status: "pending", attempts: 1 });
    expect(await sentTo(`${abandoned}@example.com`)).toBe(1);
    expect(await rowOf(`${abandoned}@example.com`)).toEqual({ status: "sent", attempts: 2 });
  });
});
