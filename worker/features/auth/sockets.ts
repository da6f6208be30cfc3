import { and, eq, gt, lt, or } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { getDb } from "../../../platform/db/client";
import { bookingParticipants, bookings } from "../../../platform/db/schema";
import { log } from "../../../platform/log";
import { inboxOf, roomOf } from "../../lib/stubs";

/** Rooms admit sockets from 10 minutes before a session to 10 after; only those can hold a socket now. */
const ROOM_MARGIN_MS = 10 * 60_000;

async function openRooms(db: Db, userId: string, now: number): Promise<string[]> {
  const from = new Date(now - ROOM_MARGIN_MS).toISOString();
  const to = new Date(now + ROOM_MARGIN_MS).toISOString();
  const rows = await db
    .selectDistinct({ id: bookings.id })
    .from(bookings)
    .leftJoin(bookingParticipants, eq(bookingParticipants.bookingId, bookings.id))
    .where(and(or(eq(bookings.tutorId, userId), eq(bookingParticipants.studentId, userId)), lt(bookings.startAt, to), gt(bookings.endAt, from)))
    .all();
  return rows.map((r) => r.id);
}

/**
 * Closes a user's live sockets (`/api/live`) and video room sockets at once: those of one sign-in session
 * (that device signed out), or all of them (suspension, sign-out everywhere, a new password).
 */
export async function closeSockets(env: Env, userId: string, sessionId?: string, now = Date.now()): Promise<void> {
  const rooms = await openRooms(getDb(env), userId, now);
  const results = await Promise.allSettled([
    inboxOf(env, userId).disconnect(sessionId),
    ...rooms.map((id) => roomOf(env, id).disconnect({ userId, ...(sessionId ? { sessionId } : {}), now })),
  ]);
  for (const r of results) if (r.status === "rejected") log.warn("closing sockets failed", { userId, error: String(r.reason) });
}
