import { eq } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { calendarFeeds, users } from "../../../platform/db/schema";
import { newNonce } from "./feedToken";

/** The user's rotated feed (its nonce), if they ever rotated it. */
export const findFeed = (db: Db, userId: string) => db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get();

/** The statement that stores a new nonce for the user's feed (for a batch): the old URL stops working at once. */
const storeNonce = (db: Db, userId: string, nonce: string, now: string) =>
  db.insert(calendarFeeds).values({ userId, nonce, rotatedAt: now }).onConflictDoUpdate({ target: calendarFeeds.userId, set: { nonce, rotatedAt: now } });

/** Stores a new nonce for the user's feed: the old URL stops working at once. */
export async function rotateFeed(db: Db, userId: string, nonce: string, now: string) {
  await storeNonce(db, userId, nonce, now);
  return (await findFeed(db, userId))!;
}

/**
 * A fresh nonce for the user's feed, as a statement for the batch that ends all their sessions (a password reset,
 * signing out everywhere): a URL someone copied while they had a session stops with it. Whether feeds are switched
 * on does not matter here, so it never stands in the way of those.
 */
export const renewFeed = (db: Db, userId: string, now: Date) => storeNonce(db, userId, newNonce(), now.toISOString());

/** The owner a feed token claims, with their feed's nonce (null when never rotated) and account status. */
export const feedOwner = (db: Db, userId: string) =>
  db
    .select({ id: users.id, name: users.name, role: users.role, status: users.status, locale: users.locale, nonce: calendarFeeds.nonce })
    .from(users)
    .leftJoin(calendarFeeds, eq(calendarFeeds.userId, users.id))
    .where(eq(users.id, userId))
    .get();

