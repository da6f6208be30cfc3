import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker, { app } from "../../worker/index";
import { expireCredits } from "../../worker/jobs/expireCredits";
import { accountOf } from "../../worker/lib/stubs";
import { Client, ORIGIN, balance, fund, settleWallet, signup } from "./helpers";

/** The Worker as `npm run dev` runs it: no Stripe key, so the local payment mode is on. */
const localEnv = { ...env, STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_CONNECT_WEBHOOK_SECRET: undefined, ENVIRONMENT: "test" } as Env;
const localClient = (e: Env = localEnv) => new Client(ORIGIN, (req) => app.fetch(req, e, createExecutionContext()) as Promise<Response>);

describe("local payment mode", () => {
  it("buys a plan offline: checkout → local page → signed events through the webhook → credits", async () => {
    const { client } = await signup("student", {}, localClient());
    expect((await client.get("/api/plans")).json.mode).toBe("local");
    const checkout = await client.post("/api/billing/checkout", { planId: "standard" });
    expect(checkout.status).toBe(200);
    expect(checkout.json.url).toMatch(/^\/billing\/checkout\/cs_local_/);
    const id = checkout.json.url.split("/").pop();
    expect((await client.get(`/api/billing/local/checkout/${id}`)).json.checkout).toMatchObject({ kind: "plan", status: "open", item: { id: "standard" } });
    const done = await client.post(`/api/billing/local/checkout/${id}/complete`);
    expect(done.json.checkout.status).toBe("complete");
    expect(await balance(client)).toBe(480);
    expect((await client.get("/api/billing/subscription")).json.subscription).toMatchObject({ planId: "standard", status: "active" });
    // Completing twice changes nothing.
    await client.post(`/api/billing/local/checkout/${id}/complete`);
    expect(await balance(client)).toBe(480);
    const events = await env.DB.prepare("SELECT type FROM webhook_events WHERE payload LIKE ? ORDER BY received_at").bind(`%${id}%`).all<{ type: string }>();
    expect(events.results.map((e) => e.type)).toContain("checkout.session.completed");
  });

  it("upgrades (prorated minutes at once), downgrades at period end, renews and cancels", async () => {
    const { client } = await signup("student", {}, localClient());
    const { json } = await client.post("/api/billing/checkout", { planId: "starter" });
    await client.post(`/api/billing/local/checkout/${json.url.split("/").pop()}/complete`);
    expect(await balance(client)).toBe(240);
    const preview = await client.get("/api/billing/change-plan/preview?planId=intensive");
    expect(preview.json.preview).toMatchObject({ direction: "upgrade" });
    expect(preview.json.preview.extraMinutes).toBeGreaterThan(700); // almost the whole month is left
    const up = await client.post("/api/billing/change-plan", { planId: "intensive" });
    expect(up.json.subscription.planId).toBe("intensive");
    expect(await balance(client)).toBe(240 + preview.json.preview.extraMinutes);

    const down = await client.post("/api/billing/change-plan", { planId: "starter" });
    expect(down.json.subscription).toMatchObject({ planId: "intensive", pendingPlanId: "starter" });
    const renewed = await client.post("/api/billing/local/advance-period");
    expect(renewed.json.subscription).toMatchObject({ planId: "starter", pendingPlanId: null });
    const afterRenewal = await balance(client);
    expect(afterRenewal).toBe(240 + preview.json.preview.extraMinutes + 240);

    await client.post("/api/billing/cancel");
    const ended = await client.post("/api/billing/local/advance-period");
    expect(ended.json.subscription).toBeNull();
    expect(await balance(client)).toBe(afterRenewal); // bought credit stays until it expires
  });

  it("buys a one-time pack", async () => {
    const { client } = await signup("student", {}, localClient());
    const { json } = await client.post("/api/billing/checkout", { packId: "pack-60" });
    await client.post(`/api/billing/local/checkout/${json.url.split("/").pop()}/complete`);
    const credits = await client.get("/api/billing/credits");
    expect(credits.json.balanceMinutes).toBe(60);
    expect(Date.parse(credits.json.grants[0].expiresAt)).toBeGreaterThan(Date.now() + 360 * 86_400_000);
  });

  it("credits a pack once when the wallet fails half way: the retried payment resends the same events", async () => {
    const { client, user } = await signup("student", {}, localClient());
    const { json } = await client.post("/api/billing/checkout", { packId: "pack-180" });
    const id = json.url.split("/").pop();
    // The wallet applies the grant, then fails before the event is recorded.
    await accountOf(env, user.id).setFaults({ next: { op: "grant", when: "after" } });
    expect((await client.post(`/api/billing/local/checkout/${id}/complete`)).status).toBe(500);
    expect((await client.get(`/api/billing/local/checkout/${id}`)).json.checkout.status).toBe("open");
    const retried = await client.post(`/api/billing/local/checkout/${id}/complete`);
    expect(retried.json.checkout.status).toBe("complete");
    const credits = (await client.get("/api/billing/credits")).json;
    expect(credits.grants).toMatchObject([{ funding: "paid", minutes: 180, remainingMinutes: 180 }]);
    await settleWallet(user.id);
    const lot = await env.DB.prepare("SELECT paid_cents, purchase_ref FROM credit_ledger WHERE user_id = ? AND kind = 'grant'").bind(user.id).first<{ paid_cents: number; purchase_ref: string }>();
    expect(lot!.paid_cents).toBe(9_900);
    expect(lot!.purchase_ref).toMatch(/^pi:pi_local_/);
  });

  it("onboards tutors for payouts at once", async () => {
    const { client } = await signup("tutor", {}, localClient());
    const res = await client.post("/api/tutors/me/payouts/onboarding");
    expect(res.json.url).toBe("/earnings?onboarded=local");
    expect((await client.get("/api/tutors/me/earnings")).json.account).toMatchObject({ payoutsEnabled: true });
  });

  it("does not let one student complete another's checkout", async () => {
    const a = await signup("student", {}, localClient());
    const b = await signup("student", {}, localClient());
    const { json } = await a.client.post("/api/billing/checkout", { packId: "pack-60" });
    const id = json.url.split("/").pop();
    expect((await b.client.post(`/api/billing/local/checkout/${id}/complete`)).status).toBe(404);
    expect(await balance(a.client)).toBe(0);
  });
  // Outside development and test there is no local payment mode at all: test/worker/safeDefaults.test.ts.
});

describe("credit expiry", () => {
  it("writes expire entries for lapsed lots in idle wallets, once, and the balance drops", async () => {
    const { client, user } = await signup("student");
    await fund(user.id, 60);
    // Lapsed since, and nothing has touched the wallet since (any wallet operation records what lapsed first).
    await fund(user.id, 240, { expiresAt: new Date(Date.now() - 86_400_000).toISOString() });
    const first = await expireCredits(env, new Date());
    expect(first.minutes).toBeGreaterThanOrEqual(240);
    expect((await expireCredits(env, new Date())).minutes).toBe(0);
    await settleWallet(user.id);
    const rows = await env.DB.prepare("SELECT minutes, paid_cents FROM credit_ledger WHERE user_id = ? AND kind = 'expire'").bind(user.id).all<{ minutes: number }>();
    expect(rows.results).toEqual([{ minutes: 240, paid_cents: 12_000 }]);
    expect(await balance(client)).toBe(60);
  });

  it("runs from the daily Cron Trigger and records the run", async () => {
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "0 3 * * *", scheduledTime: Date.now() }), env, ctx);
    await waitOnExecutionContext(ctx);
    const run = await env.DB.prepare("SELECT last_status FROM cron_runs WHERE job = 'expireCredits'").first<{ last_status: string }>();
    expect(run).toEqual({ last_status: "ok" });
  });
});
