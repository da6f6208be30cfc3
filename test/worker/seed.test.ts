import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEMO_STUDENTS, DEMO_TUTORS } from "../../worker/dev/demoData";
import { ensureDemoData } from "../../worker/dev/seed";
import { Client } from "./helpers";

/** The Worker as `npm run dev` runs it: development, no Stripe key (so demo purchases go through the local payment mode). */
const dev: Env = {
  ...env,
  ENVIRONMENT: "development",
  STRIPE_SECRET_KEY: undefined,
  STRIPE_WEBHOOK_SECRET: undefined,
  STRIPE_CONNECT_WEBHOOK_SECRET: undefined,
  DEMO_ADMIN_EMAIL: "Root@Tutorly.dev",
  DEMO_ADMIN_PASSWORD: "seeded admin pw",
};
const counts = async () =>
  env.DB.prepare(
    "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM tutor_profiles WHERE approved_at IS NOT NULL) AS approved, (SELECT count(*) FROM tutor_subjects) AS subjects",
  ).first<{ users: number; approved: number; subjects: number }>();

describe("demo seed", () => {
  it("creates the admin from env, ~12 approved tutors and some students, and is idempotent", async () => {
    const before = (await counts())!;
    expect(await ensureDemoData(dev)).toBe("seeded");
    const after = (await counts())!;
    expect(after.users - before.users).toBe(1 + DEMO_TUTORS.length + DEMO_STUDENTS.length);
    expect(after.approved - before.approved).toBe(DEMO_TUTORS.length);
    expect(DEMO_TUTORS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(DEMO_TUTORS.map((t) => t.timezone)).size).toBeGreaterThanOrEqual(8);

    expect(await ensureDemoData(dev)).toBe("present");
    await env.DB.prepare("DELETE FROM app_meta").run(); // even with the marker gone, nothing is duplicated
    expect(await ensureDemoData(dev)).toBe("seeded");
    expect(await counts()).toEqual(after);

    const admin = await new Client().post("/api/auth/login", { email: "root@tutorly.dev", password: "seeded admin pw" });
    expect(admin.status).toBe(200);
    expect(admin.json.user.role).toBe("admin");
    const tutor = await new Client().post("/api/auth/login", { email: "anish@tutorly.dev", password: "tutorly-demo" });
    expect(tutor.json.user).toMatchObject({ role: "tutor", timezone: "Asia/Kathmandu" });

    // Every demo tutor has published hours (projected for search) and demo students can book right away.
    const windows = await env.DB.prepare("SELECT count(DISTINCT tutor_id) AS n FROM tutor_weekly_windows").first<{ n: number }>();
    expect(windows!.n).toBe(DEMO_TUTORS.length);
    const student = new Client();
    await student.post("/api/auth/login", { email: "maya@tutorly.dev", password: "tutorly-demo" });
    const credits = (await student.get("/api/billing/credits")).json;
    expect(credits.balanceMinutes).toBe(240);
    // A promotional welcome hour and a 3-hour pack bought through the local payment mode (its events are on record).
    expect(credits.grants.map((g: { funding: string; minutes: number }) => [g.funding, g.minutes]).sort()).toEqual([
      ["paid", 180],
      ["promo", 60],
    ]);
    const purchases = await env.DB.prepare("SELECT count(*) AS n FROM webhook_events WHERE type = 'checkout.session.completed' AND payload LIKE '%cs_local_demo_%'").first<{ n: number }>();
    expect(purchases!.n).toBe(DEMO_STUDENTS.length);
    const slots = await student.get(`/api/tutors/${tutor.json.user.id}/slots?from=${new Date().toISOString()}&to=${new Date(Date.now() + 7 * 86_400_000).toISOString()}&duration=60`);
    expect(slots.json.slots.length).toBeGreaterThan(10);
  });

  it.each(["production", "staging", "test"])("never runs when ENVIRONMENT is %s", async (environment) => {
    const before = await counts();
    await expect(ensureDemoData({ ...dev, ENVIRONMENT: environment })).rejects.toThrow(/only seeded in local development/);
    expect(await counts()).toEqual(before);
  });
});
