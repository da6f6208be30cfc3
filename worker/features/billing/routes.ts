import { z } from "zod";
import { PACKS, PLANS } from "../../../domain/billing";
import { newApp } from "../../app";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { advanceLocalPeriod, changePlan, completeLocalCheckout, localCheckoutOf, paymentMode, portalUrl, previewChange, startCheckout, subscriptionOf } from "./service";
import { localReceipt, receiptsOf } from "./receipts";
import { receiveStripeWebhook } from "./webhook";

const ItemSchema = z
  .object({ planId: z.string().max(40).optional(), packId: z.string().max(40).optional() })
  .refine((b) => !!b.planId !== !!b.packId, { message: "Give either planId or packId", path: ["planId"] });
const PlanSchema = z.object({ planId: z.string().min(1).max(40) });
const SessionParam = z.object({ id: z.string().min(1).max(100) });

const originOf = (env: Env, url: string) => env.APP_URL ?? new URL(url).origin;

export const billingRoutes = newApp()
  .get("/plans", (c) => c.json({ plans: PLANS, packs: PACKS, mode: paymentMode(c.env) }, 200))
  .get("/billing/subscription", requireRole("student"), async (c) => c.json({ subscription: await subscriptionOf(c.env, currentUser(c).id), mode: paymentMode(c.env) }, 200))
  .post("/billing/checkout", requireRole("student"), idempotency, validate("json", ItemSchema), async (c) => {
    const key = c.req.header("Idempotency-Key") ?? String(Math.floor(Date.now() / 60_000));
    return c.json(await startCheckout(c.env, currentUser(c), c.req.valid("json"), originOf(c.env, c.req.url), key), 200);
  })
  .get("/billing/change-plan/preview", requireRole("student"), validate("query", PlanSchema), async (c) =>
    c.json({ preview: await previewChange(c.env, currentUser(c), c.req.valid("query").planId) }, 200),
  )
  .post("/billing/change-plan", requireRole("student"), idempotency, validate("json", PlanSchema), async (c) =>
    c.json({ subscription: await changePlan(c.env, currentUser(c), c.req.valid("json").planId) }, 200),
  )
  .post("/billing/cancel", requireRole("student"), idempotency, async (c) => c.json({ subscription: await changePlan(c.env, currentUser(c), "free") }, 200))
  .post("/billing/portal", requireRole("student"), async (c) => c.json(await portalUrl(c.env, currentUser(c), originOf(c.env, c.req.url)), 200))
  /** The student's own receipts and invoices, newest first (Stripe's hosted pages in Stripe mode, local receipts otherwise). */
  .get("/billing/receipts", requireRole("student"), async (c) => c.json({ mode: paymentMode(c.env), receipts: await receiptsOf(c.env, currentUser(c).id) }, 200))
  .get("/billing/receipts/:id", requireRole("student"), validate("param", SessionParam), async (c) =>
    c.json({ receipt: await localReceipt(c.env, currentUser(c).id, c.req.valid("param").id) }, 200),
  )
  .get("/billing/local/checkout/:id", requireRole("student"), validate("param", SessionParam), async (c) =>
    c.json({ checkout: await localCheckoutOf(c.env, currentUser(c), c.req.valid("param").id) }, 200),
  )
  .post("/billing/local/checkout/:id/complete", requireRole("student"), validate("param", SessionParam), async (c) => {
    const done = await completeLocalCheckout(c.env, currentUser(c), c.req.valid("param").id);
    return c.json({ checkout: { id: done.id, status: done.status } }, 200);
  })
  .post("/billing/local/advance-period", requireRole("student"), async (c) => c.json({ subscription: await advanceLocalPeriod(c.env, currentUser(c)) }, 200))
  .post("/webhooks/stripe", async (c) => {
    const result = await receiveStripeWebhook(c.env, await c.req.text(), c.req.header("Stripe-Signature"));
    return c.json({ received: true, result }, 200);
  });
