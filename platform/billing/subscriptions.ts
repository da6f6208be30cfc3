import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { FREE_PLAN_ID } from "../../domain/billing/catalog";
import type { Db } from "../db/client";
import { subscriptions } from "../db/schema";

/** Subscription states in which the student has their plan (a failed renewal keeps it while Stripe retries). */
export const LIVE_SUBSCRIPTION_STATUSES = ["active", "trialing", "past_due", "incomplete"] as const;

/**
 * The student's live subscriptions (not canceled): the one that goes on first (not set to end), then newest first.
 * A student has one, unless two checkouts were paid at once (see `startCheckout`): then every change acts on all.
 */
const liveOf = (db: Db, userId: string) =>
  db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, [...LIVE_SUBSCRIPTION_STATUSES])))
    .orderBy(asc(subscriptions.cancelAtPeriodEnd), desc(subscriptions.updatedAt));

/** The student's plan: their live subscription (of two, the one that goes on; then the newest). */
export const activeSubscription = (db: Db, userId: string) => liveOf(db, userId).get();

/** Every live subscription of the student, `activeSubscription` first. */
export const liveSubscriptions = (db: Db, userId: string) => liveOf(db, userId).all();

/**
 * The student's plan as D1 holds it right now, for their StudentAccount (which decides the free plan's monthly
 * trial). The version is the moment of this read, so a later read never loses to an older one.
 */
export async function readStudentPlan(db: Db, userId: string, now = Date.now()): Promise<{ planId: string; version: number }> {
  const sub = await activeSubscription(db, userId);
  return { planId: sub?.planId ?? FREE_PLAN_ID, version: now };
}
