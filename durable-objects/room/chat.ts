import { and, eq, gte, inArray, lte, or } from "drizzle-orm";
import { JOIN_CLOSES_AFTER_END_MS, JOIN_OPENS_BEFORE_START_MS } from "../../domain/video/window";
import type { Db } from "../../platform/db/client";
import { bookingParticipants, bookings } from "../../platform/db/schema";

const DAY_MS = 86_400_000;

/**
 * How long a room keeps its chat after the room closed (the rest of the room, the session's record, stays).
 * Nobody can read room chat once the room has closed, so it is kept only for a complaint about what was said
 * there, or a user's own export, within a month; then the room's alarm deletes it.
 */
export const CHAT_RETENTION_MS = 30 * DAY_MS;

/** The name an erased chat line is shown under: what an anonymised account is called everywhere. */
export const DELETED_USER_NAME = "Deleted user";

/** When a room whose join window closes at `closesAt` deletes its chat. */
export const chatExpiresAt = (closesAt: number) => closesAt + CHAT_RETENTION_MS;

/**
 * The bookings whose room may still hold chat by `userId`: the ones they taught or held a seat in (a seat given
 * up later included) whose room has opened and has not yet deleted its chat. Everything else never had a room
 * or has no chat left, so account deletion and the data export ask only these rooms.
 */
export async function roomsWithChatOf(db: Db, userId: string, now: number): Promise<string[]> {
  const opened = new Date(now + JOIN_OPENS_BEFORE_START_MS).toISOString();
  const kept = new Date(now - CHAT_RETENTION_MS - JOIN_CLOSES_AFTER_END_MS).toISOString();
  const seats = db.select({ id: bookingParticipants.bookingId }).from(bookingParticipants).where(eq(bookingParticipants.studentId, userId));
  const rows = await db
    .select({ id: bookings.id })
    .from(bookings)
    .where(and(or(eq(bookings.tutorId, userId), inArray(bookings.id, seats)), lte(bookings.startAt, opened), gte(bookings.endAt, kept)))
    .all();
  return rows.map((r) => r.id);
}
