import { and, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import type Stripe from "stripe";
import { LIVE_SUBSCRIPTION_STATUSES } from "../../../platform/billing/subscriptions";
import { type Db, getDb } from "../../../platform/db/client";
import { subscriptionPauses, subscriptions, users } from "../../../platform/db/schema";
import { log } from "../../../platform/log";
import { stripeFor } from "../../integrations/stripe/client";
import { expireOpenCheckouts } from "./checkouts";

type Sub = typeof subscriptions.$inferSelect;
const sec = (ms: number) => Math.floor(ms / 1000);
const isLive = (status: string) => (LIVE_SUBSCRIPTION_STATUSES as readonly string[]).includes(status);

/**
 * A suspended student cannot sign in to cancel their plan, so their suspension holds its billing: each live plan is
 * marked held in D1 (`billingHeldAt`, only while the account is still suspended), then paused at Stripe
 * (`pause_collection` with behavior `void`, no end: Stripe voids each renewal invoice, so nothing is charged and no month
 * is credited) until a restore. Their open checkouts are expired, so none can be paid while suspended. Never throws:
 * the suspension stands whatever Stripe answers. A plan whose pause Stripe refused stays marked held, and the pause is
 * tried again when Stripe next tells of a paid invoice for it (see `holdAgain`). Answers whether a plan is held (the
 * suspension email says billing is paused).
 */
export async function holdBilling(env: Env, userId: string, now: Date): Promise<boolean> {
  const db = getDb(env);
  const stillSuspended = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${userId} AND ${users.status} = 'suspended')`;
  await db
    .update(subscriptions)
    .set({ billingHeldAt: now.toISOString() })
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]), isNull(subscriptions.billingHeldAt), stillSuspended));
  const held = await db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES]), isNotNull(subscriptions.billingHeldAt)))
    .all();
  const stripe = stripeFor(env);
  for (const sub of held) {
    try {
      if (stripe) await pauseAtStripe(stripe, sub);
    } catch (e) {
      log.error("suspended student's plan not paused at Stripe; retried on its next paid invoice", { userId, subscriptionId: sub.id, error: String(e) });
    }
  }
  try {
    await expireOpenCheckouts(env, db, userId, ["plan", "pack"]);
  } catch (e) {
    log.warn("suspended student's open checkouts not expired", { userId, error: String(e) });
  }
  return held.length > 0;
}

/**
 * A restored student's plans bill again: the suspension's pause is lifted at Stripe (a pause the student took
 * themselves and that still runs is put back as it was, ending when it ends) and the hold cleared. A plan that ended
 * meanwhile only loses the mark. Never throws: a plan Stripe refused stays held (billing nothing) and is logged.
 */
export async function releaseBilling(env: Env, userId: string, now: Date): Promise<void> {
  const db = getDb(env);
  const held = await db.select().from(subscriptions).where(and(eq(subscriptions.userId, userId), isNotNull(subscriptions.billingHeldAt))).all();
  const stripe = stripeFor(env);
  for (const sub of held) {
    try {
      if (stripe && isLive(sub.status)) {
        const own = await runningPauseEnd(db, sub.id, now);
        await stripe.subscriptions.update(
          sub.id,
          { pause_collection: own ? { behavior: "void", resumes_at: sec(own) } : "" },
          { idempotencyKey: `unhold:${sub.id}:${sub.billingHeldAt}` },
        );
      }
      await db.update(subscriptions).set({ billingHeldAt: null }).where(and(eq(subscriptions.id, sub.id), eq(subscriptions.billingHeldAt, sub.billingHeldAt!)));
    } catch (e) {
      log.error("restored student's plan not resumed at Stripe", { userId, subscriptionId: sub.id, error: String(e) });
    }
  }
}

/**
 * Stripe charged a renewal of a plan held for a suspension (its pause failed, or the invoice was paid before it): the
 * month is credited (it was paid), and the pause is asked again so the next one is not. Throws on Stripe's failure:
 * the event is then delivered again.
 */
export async function holdAgain(env: Env, db: Db, sub: Sub | undefined, invoiceId: string): Promise<void> {
  const stripe = stripeFor(env);
  if (!stripe || !sub?.billingHeldAt || !isLive(sub.status)) return;
  const user = await db.select({ status: users.status }).from(users).where(eq(users.id, sub.userId)).get();
  if (user?.status === "suspended") await pauseAtStripe(stripe, sub, invoiceId);
}

/** Keyed by the hold (and the invoice that asks again): Stripe keeps a key's first answer, a failure too. */
const pauseAtStripe = (stripe: Stripe, sub: Sub, again?: string) =>
  stripe.subscriptions.update(sub.id, { pause_collection: { behavior: "void" } }, { idempotencyKey: `hold:${sub.id}:${sub.billingHeldAt}${again ? `:${again}` : ""}` });

/** When the student's own pause of this plan that is still running ends, if one is. */
async function runningPauseEnd(db: Db, subscriptionId: string, now: Date): Promise<number | null> {
  const p = await db
    .select({ endsAt: subscriptionPauses.endsAt })
    .from(subscriptionPauses)
    .where(and(eq(subscriptionPauses.subscriptionId, subscriptionId), eq(subscriptionPauses.status, "active"), gt(subscriptionPauses.endsAt, now.toISOString())))
    .get();
  return p ? Date.parse(p.endsAt) : null;
}
