import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { checkoutSessions, students, subscriptions, users } from "../../../platform/db/schema";

export const studentByCustomer = async (db: Db, customerId: string | null) =>
  customerId ? (await db.select({ userId: students.userId }).from(students).where(eq(students.stripeCustomerId, customerId)).get())?.userId : undefined;

export const customerOf = async (db: Db, userId: string) =>
  (await db.select({ customerId: students.stripeCustomerId }).from(students).where(eq(students.userId, userId)).get())?.customerId ?? null;

export const setCustomer = (db: Db, userId: string, customerId: string) =>
  db.update(students).set({ stripeCustomerId: customerId }).where(and(eq(students.userId, userId), sql`${students.stripeCustomerId} IS NULL`));

export const studentEmail = async (db: Db, userId: string) =>
  db.select({ email: users.email, name: users.name }).from(users).where(eq(users.id, userId)).get();

export { activeSubscription } from "../../../platform/billing/subscriptions";

export type SubscriptionChange = Omit<typeof subscriptions.$inferInsert, "updatedAt">;

/**
 * Upserts a subscription from an event, but only if the event is not older than the last one applied:
 * a late or replayed delivery can never move the subscription back to an earlier state. Its status is kept
 * when a newer payment event (invoice.paid / invoice.payment_failed) already set it.
 */
export function upsertSubscription(db: Db, row: SubscriptionChange, now: Date) {
  const at = row.lastEventAt ?? 0;
  const values = { ...row, statusEventAt: at, updatedAt: now.toISOString() };
  const { id: _, userId: __, status, statusEventAt: ___, ...changes } = values;
  const set = {
    ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)),
    status: sql`CASE WHEN ${subscriptions.statusEventAt} <= ${at} THEN ${status} ELSE ${subscriptions.status} END`,
    statusEventAt: sql`max(${subscriptions.statusEventAt}, ${at})`,
  };
  return db
    .insert(subscriptions)
    .values(values)
    .onConflictDoUpdate({ target: subscriptions.id, set, setWhere: sql`${subscriptions.lastEventAt} <= ${at}` });
}

/** Statuses a paid invoice brings back to active. */
const RECOVERABLE = ["past_due", "unpaid", "incomplete"];

/**
 * A payment event sets the subscription's status (past_due on a failed invoice, active again on a paid one),
 * unless a newer event already set it: event time, not arrival order, decides.
 */
export function setStatusFromPayment(db: Db, subscriptionId: string, status: "active" | "past_due", eventCreated: number, now: Date) {
  return db
    .update(subscriptions)
    .set({ status, statusEventAt: eventCreated, updatedAt: now.toISOString() })
    .where(
      and(
        eq(subscriptions.id, subscriptionId),
        sql`${subscriptions.statusEventAt} <= ${eventCreated}`,
        status === "active" ? inArray(subscriptions.status, RECOVERABLE) : sql`${subscriptions.status} != 'canceled'`,
      ),
    );
}

export const completeCheckout = (db: Db, id: string) => db.update(checkoutSessions).set({ status: "complete" }).where(eq(checkoutSessions.id, id));
