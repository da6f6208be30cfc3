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

/** The student's live subscription (not canceled), newest first. */
export const activeSubscription = (db: Db, userId: string) =>
  db
    .select()
    .from(subscriptions)
    .where(and(eq(subscriptions.userId, userId), inArray(subscriptions.status, ["active", "trialing", "past_due", "incomplete"])))
    .orderBy(desc(subscriptions.updatedAt))
    .get();

export type SubscriptionChange = Omit<typeof subscriptions.$inferInsert, "updatedAt">;

/**
 * Upserts a subscription from an event, but only if the event is not older than the last one applied:
 * a late or replayed delivery can never move the subscription back to an earlier state.
 */
export function upsertSubscription(db: Db, row: SubscriptionChange, now: Date) {
  const values = { ...row, updatedAt: now.toISOString() };
  const { id: _, userId: __, ...changes } = values;
  const set = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  return db
    .insert(subscriptions)
    .values(values)
    .onConflictDoUpdate({ target: subscriptions.id, set, setWhere: sql`${subscriptions.lastEventAt} <= ${row.lastEventAt ?? 0}` });
}

export const completeCheckout = (db: Db, id: string) => db.update(checkoutSessions).set({ status: "complete" }).where(eq(checkoutSessions.id, id));
