import { and, eq, inArray, lt, ne, or } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "../../../platform/db/client";
import { checkoutSessions } from "../../../platform/db/schema";
import { stripeFor } from "../../integrations/stripe/client";

type Kind = (typeof checkoutSessions.$inferSelect)["kind"];

/**
 * Expires the student's open Checkout Sessions of `kinds`, at Stripe first, so none of them can be paid any more: a
 * plan checkout left open in another tab would otherwise start a second subscription, billed monthly beside the first.
 * With `openedBefore`, only those opened before that session (so of two opened at once, the newer stays open, and a
 * retry of a request meets its own session untouched). A session Stripe no longer has, or has expired, is marked
 * expired too. `paid`: one was paid already (Stripe says complete; its webhook is on its way), so it stays as it is.
 * Local payment mode's sessions are ours alone.
 */
export async function expireOpenCheckouts(env: Env, db: Db, userId: string, kinds: Kind[], openedBefore?: string): Promise<{ paid: boolean }> {
  const mine = openedBefore ? await db.select().from(checkoutSessions).where(eq(checkoutSessions.id, openedBefore)).get() : undefined;
  const before = mine
    ? or(lt(checkoutSessions.createdAt, mine.createdAt), and(eq(checkoutSessions.createdAt, mine.createdAt), lt(checkoutSessions.id, mine.id)))
    : undefined;
  const open = await db
    .select({ id: checkoutSessions.id })
    .from(checkoutSessions)
    .where(and(eq(checkoutSessions.userId, userId), eq(checkoutSessions.status, "open"), inArray(checkoutSessions.kind, kinds), openedBefore ? ne(checkoutSessions.id, openedBefore) : undefined, before))
    .all();
  const stripe = stripeFor(env);
  let paid = false;
  for (const { id } of open) {
    const state = stripe && !id.startsWith("cs_local_") ? await expireAtStripe(stripe, id) : "expired";
    if (state === "complete") paid = true;
    else if (state === "expired") await db.update(checkoutSessions).set({ status: "expired" }).where(and(eq(checkoutSessions.id, id), eq(checkoutSessions.status, "open")));
  }
  return { paid };
}

/** Expires one session at Stripe; when Stripe refuses (it is no longer open), says what it is now. */
async function expireAtStripe(stripe: Stripe, id: string): Promise<"expired" | "complete" | "open"> {
  try {
    await stripe.checkout.sessions.expire(id, {}, { idempotencyKey: `expire:${id}` });
    return "expired";
  } catch (e) {
    if (!(e instanceof Stripe.errors.StripeInvalidRequestError)) throw e;
    if (e.code === "resource_missing") return "expired";
    const status = (await stripe.checkout.sessions.retrieve(id)).status;
    return status === "complete" ? "complete" : status === "expired" ? "expired" : "open";
  }
}
