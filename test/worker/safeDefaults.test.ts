import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { isLocalEnvironment } from "../../platform/environment";
import { sendEmail } from "../../platform/integrations/email/sender";
import { ensureDemoData } from "../../worker/dev/seed";
import { feedSecret } from "../../worker/features/calendarSync/feedToken";
import { app } from "../../worker/index";
import { LOCAL_WEBHOOK_SECRET, isLocalPaymentMode, signStripePayload, webhookSecrets } from "../../worker/integrations/stripe/client";
import { priceIdFor } from "../../worker/integrations/stripe/prices";
import { Client, ORIGIN, signup } from "./helpers";

/**
 * Local stand-ins (local payment mode and its webhook secret, dev routes, the mailbox, fixed development keys,
 * the "outbox" email provider, the demo seed) are on only when ENVIRONMENT is exactly "development" or "test".
 * Every other value — a typo, another case, an empty or missing variable — is treated like production.
 */
const NOT_LOCAL: (string | undefined)[] = ["", "Development", "TEST", "prod", "production", "staging", "bench", " development", undefined];
const noStripe = { STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_CONNECT_WEBHOOK_SECRET: undefined };
/** No feed key set: whether a fixed one stands in (the Worker itself refuses to start without one where none does). */
const noFeedKey = (e: Env) => ({ ...e, FEED_TOKEN_SECRET: undefined });
// A deployment's address, email provider and keys are set (it refuses to start without them): what is tested here is what stays off.
const envWith = (environment: string | undefined) => ({ ...env, ...noStripe, APP_URL: "https://tutorly.example", EMAIL_PROVIDER: "cloudflare", ENVIRONMENT: environment }) as Env;
const clientFor = (e: Env) => new Client(ORIGIN, (req) => app.fetch(req, e, createExecutionContext()) as Promise<Response>);
const label = (v: string | undefined) => (v === undefined ? "missing" : JSON.stringify(v));
const cases = NOT_LOCAL.map((v) => [label(v), v] as const);

describe("isLocalEnvironment", () => {
  it.each(["development", "test"])("is on for exactly %s", (v) => expect(isLocalEnvironment({ ENVIRONMENT: v })).toBe(true));
  it.each(cases)("is off for %s", (_, v) => expect(isLocalEnvironment({ ENVIRONMENT: v })).toBe(false));
});

describe.each(cases)("ENVIRONMENT %s fails closed", (_, environment) => {
  const e = envWith(environment);

  it("has no local payment mode: no stand-in prices, no default webhook secret, checkout unavailable", async () => {
    expect(isLocalPaymentMode(e)).toBe(false);
    expect(webhookSecrets(e)).toEqual([]);
    expect(priceIdFor({ ...e, STRIPE_PRICES: undefined }, "starter")).toBeNull();
    const { client } = await signup("student", {}, clientFor(e));
    expect((await client.get("/api/plans")).json.mode).toBe("unavailable");
    const checkout = await client.post("/api/billing/checkout", { packId: "pack-60" });
    expect([checkout.status, checkout.json.error.code]).toEqual([503, "payments_unavailable"]);
    expect((await client.post("/api/billing/local/checkout/cs_local_x/complete")).status).toBe(404);
    expect((await client.post("/api/billing/local/advance-period")).status).toBe(404);
    const payload = JSON.stringify({ id: "evt_forged_local", object: "event", type: "invoice.paid", created: Math.floor(Date.now() / 1000), data: { object: {} } });
    const res = await app.fetch(
      new Request(`${ORIGIN}/api/webhooks/stripe`, { method: "POST", headers: { "Stripe-Signature": await signStripePayload(payload, LOCAL_WEBHOOK_SECRET) }, body: payload }),
      e,
      createExecutionContext(),
    );
    expect(res.status).toBe(400);
  });

  it("has no dev routes and no mailbox", async () => {
    const { client } = await signup("student", {}, clientFor(e));
    expect((await client.get("/api/dev/mailbox")).status).toBe(404);
    const move = await client.post("/api/dev/bookings/any-booking/move", { start: new Date().toISOString(), end: new Date(Date.now() + 3_600_000).toISOString() });
    expect(move.status).toBe(404);
  });

  it("has no fixed feed key, no outbox-only email, and no demo seed", async () => {
    expect(() => feedSecret(noFeedKey(e))).toThrow();
    await expect(sendEmail({ ...e, EMAIL_PROVIDER: undefined }, { to: "someone@example.com", subject: "s", text: "t" })).rejects.toThrow(/EMAIL_PROVIDER/);
    await expect(ensureDemoData({ ...env, ENVIRONMENT: environment as string, DEMO_ADMIN_EMAIL: undefined, DEMO_ADMIN_PASSWORD: undefined })).rejects.toThrow(/only seeded/);
  });
});

describe("the local environments keep their stand-ins", () => {
  it.each(["development", "test"])("%s: local payment mode, fixed feed key and the outbox", async (environment) => {
    const e = envWith(environment);
    expect(isLocalPaymentMode(e)).toBe(true);
    expect(webhookSecrets(e)).toEqual([LOCAL_WEBHOOK_SECRET]);
    expect(feedSecret(noFeedKey(e))).toBeTruthy();
    await expect(sendEmail({ ...e, EMAIL_PROVIDER: undefined }, { to: "someone@example.com", subject: "s", text: "t" })).resolves.toEqual({ provider: "outbox" });
  });
});
