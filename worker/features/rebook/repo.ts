import { and, asc, desc, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { bookingParticipants, bookings, tutorProfiles, users } from "../../../platform/db/schema";
import { isListedTutor } from "../../../platform/db/listing";

export type MetTutor = {
  tutor: { id: string; name: string; timezone: string };
  last: { id: string; start: string; end: string; subject: string; durationMinutes: number };
  completed: number;
  /** The profile's rate, for the price before the tutor's calendar has its facts. */
  hourlyRateCents: number;
};

/**
 * The tutors a student has met — a completed session in which they held a seat — each with the last such session,
 * the most recently met first; tutors no longer listed (suspended, unapproved) are left out. Reads the projection.
 */
export async function tutorsMet(db: Db, studentId: string, max: number): Promise<MetTutor[]> {
  const rows = await db
    .select({
      id: bookings.id,
      tutorId: bookings.tutorId,
      startAt: bookings.startAt,
      endAt: bookings.endAt,
      subject: bookings.subject,
      name: users.name,
      timezone: tutorProfiles.timezone,
      hourlyRateCents: tutorProfiles.hourlyRateCents,
      approvedAt: tutorProfiles.approvedAt,
      emailVerifiedAt: users.emailVerifiedAt,
      status: users.status,
    })
    .from(bookingParticipants)
    .innerJoin(bookings, eq(bookings.id, bookingParticipants.bookingId))
    .innerJoin(users, eq(users.id, bookings.tutorId))
    .innerJoin(tutorProfiles, eq(tutorProfiles.userId, bookings.tutorId))
    .where(and(eq(bookingParticipants.studentId, studentId), eq(bookingParticipants.status, "confirmed"), eq(bookings.status, "completed")))
    .orderBy(desc(bookings.startAt))
    .limit(500)
    .all();
  const byTutor = new Map<string, MetTutor>();
  for (const r of rows) {
    const met = byTutor.get(r.tutorId);
    if (met) {
      met.completed++;
      continue;
    }
    if (!isListedTutor(r)) continue;
    byTutor.set(r.tutorId, {
      tutor: { id: r.tutorId, name: r.name, timezone: r.timezone },
      last: { id: r.id, start: r.startAt, end: r.endAt, subject: r.subject, durationMinutes: Math.round((Date.parse(r.endAt) - Date.parse(r.startAt)) / 60_000) },
      completed: 1,
      hourlyRateCents: r.hourlyRateCents,
    });
  }
  return [...byTutor.values()].slice(0, max);
}

/** The student's next confirmed session with each of these tutors (from the projection), by tutor. */
export async function upcomingWith(db: Db, studentId: string, tutorIds: string[], nowIso: string): Promise<Map<string, { id: string; start: string; end: string }>> {
  if (!tutorIds.length) return new Map();
  const rows = await db
    .select({ id: bookings.id, tutorId: bookings.tutorId, start: bookings.startAt, end: bookings.endAt })
    .from(bookingParticipants)
    .innerJoin(bookings, eq(bookings.id, bookingParticipants.bookingId))
    .where(and(eq(bookingParticipants.studentId, studentId), eq(bookingParticipants.status, "confirmed"), eq(bookings.status, "confirmed"), inArray(bookings.tutorId, tutorIds), gt(bookings.endAt, nowIso)))
    .orderBy(asc(bookings.startAt))
    .all();
  const next = new Map<string, { id: string; start: string; end: string }>();
  for (const r of rows) if (!next.has(r.tutorId)) next.set(r.tutorId, { id: r.id, start: r.start, end: r.end });
  return next;
}
