import { sql } from "drizzle-orm";
import type { Availability } from "../../domain/schemas/availability";
import { weeklyMinutesUtc } from "../../domain/time";
import { splitByDay } from "../../domain/search";
import { getDb } from "../../platform/db/client";
import { bookingParticipants, bookings, earnings, tutorProfiles, tutorWeeklyWindows } from "../../platform/db/schema";
import { tutorEarningCents } from "../../domain/billing/earnings";
import { eq } from "drizzle-orm";
import type { SeatRow, SessionRow } from "./storage";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes one session to the D1 projection. The row is replaced only by a higher `sequence`, so a late or
 * repeated projection never moves a booking back to an older state. Holds are never projected.
 */
export async function projectSession(env: Env, tutorId: string, s: SessionRow, seats: SeatRow[]): Promise<void> {
  if (s.status === "held" || s.status === "released") return;
  const db = getDb(env);
  const row = {
    id: s.id,
    tutorId,
    kind: s.kind,
    status: s.status,
    source: s.source,
    subject: s.subject,
    startAt: iso(s.start_ms),
    endAt: iso(s.end_ms),
    seats: s.seats,
    creditsMinutes: s.credits,
    sequence: s.sequence,
    createdAt: iso(s.created_ms),
    updatedAt: iso(s.updated_ms),
    cancelledAt: s.status === "cancelled" ? iso(s.updated_ms) : null,
    cancelledBy: s.cancelled_by,
    cancelReason: s.cancel_reason,
  };
  const participants = seats
    .filter((x) => x.status === "confirmed" || x.status === "cancelled")
    .map((x) =>
      db
        .insert(bookingParticipants)
        .values({ bookingId: s.id, studentId: x.student_id, reservationId: x.reservation_id, status: x.status as "confirmed" | "cancelled", creditsMinutes: x.credits })
        .onConflictDoUpdate({
          target: [bookingParticipants.bookingId, bookingParticipants.studentId],
          set: { status: sql`excluded.status`, reservationId: sql`excluded.reservation_id`, creditsMinutes: sql`excluded.credits_minutes` },
        }),
    );
  const { id: _, ...changes } = row;
  await db.batch([
    db
      .insert(bookings)
      .values(row)
      .onConflictDoUpdate({
        target: bookings.id,
        set: Object.fromEntries(Object.keys(changes).map((k) => [k, sql.raw(`excluded.${toColumn(k)}`)])),
        setWhere: sql`excluded.sequence > ${bookings.sequence}`,
      }),
    ...participants,
  ]);
}

const toColumn = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Replaces the tutor's weekly windows (UTC minutes-of-week) used by search. */
export async function projectWeekly(env: Env, tutorId: string, availability: Availability | null, now = Date.now()): Promise<void> {
  const db = getDb(env);
  const windows = availability ? splitByDay(weeklyMinutesUtc(availability, now)) : [];
  await db.batch([
    db.delete(tutorWeeklyWindows).where(sql`${tutorWeeklyWindows.tutorId} = ${tutorId}`),
    ...windows.map((w) => db.insert(tutorWeeklyWindows).values({ tutorId, startMinute: w.start, endMinute: w.end })),
  ]);
}

export const commissionPercent = (env: Pick<Env, "PLATFORM_COMMISSION_PERCENT">) => {
  const n = Number(env.PLATFORM_COMMISSION_PERCENT ?? 20);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : 20;
};

/** Records what the tutor earned for a completed session, at their current rate; at most once per session. */
export async function accrueEarning(env: Env, tutorId: string, s: SessionRow, seats: SeatRow[]): Promise<void> {
  const db = getDb(env);
  const profile = await db.select({ rate: tutorProfiles.hourlyRateCents }).from(tutorProfiles).where(eq(tutorProfiles.userId, tutorId)).get();
  const students = seats.filter((x) => x.status === "confirmed").length;
  const amountCents = tutorEarningCents({
    kind: s.kind,
    hourlyRateCents: profile?.rate ?? 0,
    durationMinutes: (s.end_ms - s.start_ms) / 60_000,
    seats: s.seats,
    students,
    commissionPercent: commissionPercent(env),
  });
  await db
    .insert(earnings)
    .values({
      id: crypto.randomUUID(),
      tutorId,
      bookingId: s.id,
      amountCents,
      minutes: (s.end_ms - s.start_ms) / 60_000,
      students,
      kind: s.kind,
      sessionEndAt: iso(s.end_ms),
      createdAt: new Date().toISOString(),
    })
    .onConflictDoNothing();
}
