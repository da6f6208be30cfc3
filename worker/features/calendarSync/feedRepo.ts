import { eq } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { calendarFeeds, users } from "../../../platform/db/schema";

/** The user's rotated feed (its nonce), if they ever rotated it. */
export const findFeed = (db: Db, userId: string) => db.select().from(calendarFeeds).where(eq(calendarFeeds.userId, userId)).get();

/** Stores a new nonce for the user's feed: the old URL stops working at once. */
export async function rotateFeed(db: Db, userId: string, nonce: string, now: string) {
  await db.insert(calendarFeeds).values({ userId, nonce, rotatedAt: now }).onConflictDoUpdate({ target: calendarFeeds.userId, set: { nonce, rotatedAt: now } });
  return (await findFeed(db, userId))!;
}

/** The owner a feed token claims, with their feed's nonce (null when never rotated) and account status. */
export const feedOwner = (db: Db, userId: string) =>
  db
    .select({ id: users.id, name: users.name, role: users.role, status: users.status, locale: users.locale, nonce: calendarFeeds.nonce })
    .from(users)
    .leftJoin(calendarFeeds, eq(calendarFeeds.userId, users.id))
    .where(eq(users.id, userId))
    .get();

