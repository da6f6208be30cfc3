import { and, eq, ne, sql } from "drizzle-orm";
import type { Availability } from "../../domain/schemas/availability";
import { weeklyMinutesUtc } from "../../domain/time";
import { splitByDay } from "../../domain/search";
import { getDb } from "../../platform/db/client";
import { bookingParticipants, bookings, tutorWeeklyWindows, users } from "../../platform/db/schema";
import type { OccurrenceRow } from "./series";
import { FREE_TRIAL, type SeatRow, type SessionRow } from "./storage";
import { sessionEarningCents } from "./view";
import { commissionPercent } from "../../platform/commission";

const iso = (ms: number) => new Date(ms).toISOString();

/** A session to project: its seats, and the weeks of a series among them (by the seat's reservation id). */
export type Projected = { session: SessionRow; seats: readonly SeatRow[]; weeks: ReadonlyMap<string, OccurrenceRow> };

/**
 * Writes sessions to the D1 projection, all in one batch (a weekly series is one batch, not one per week). A row is
 * replaced only by a higher `sequence`, so a late or repeated projection never moves a booking back to an older
 * state. Holds are never projected. Seats are written every time: a week's payment changes its seat, not the session.
 */
export async function projectSessions(env: Env, tutorId: string, sessions: readonly Projected[]): Promise<void> {
  const db = getDb(env);
  const commission = commissionPercent(env);
  const statements = sessions.flatMap(({ session, seats, weeks }) => sessionStatements(db, tutorId, session, seats, weeks, commission));
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/**
 * When a week's credits will be taken, as the series answer says it (series.ts `occurrenceView`): only while it is
 * live and unpaid, so the listings never show a paid or cancelled week as still to pay.
 */
function paymentDueAt(s: SessionRow, seat: SeatRow, week: OccurrenceRow | undefined): string | null {
  if (!week || week.paid_ms !== null || week.due_ms === null) return null;
  return s.status === "confirmed" && seat.status === "confirmed" ? iso(week.due_ms) : null;
}

function sessionStatements(db: ReturnType<typeof getDb>, tutorId: string, s: SessionRow, seats: readonly SeatRow[], weeks: ReadonlyMap<string, OccurrenceRow>, commission: number) {
  if (s.status === "held" || s.status === "released") return [];
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
    tutorEarningCents: sessionEarningCents(s, seats.filter((x) => x.status === "confirmed"), commission),
    outcome: s.outcome,
    taughtMinutes: s.taught_minutes,
    trial: s.trial !== 0,
    freeTrial: s.trial === FREE_TRIAL,
  };
  const participants = seats
    .filter((x) => x.status === "confirmed" || x.status === "cancelled")
    .map((x) =>
      db
        .insert(bookingParticipants)
        .values({
          bookingId: s.id,
          studentId: x.student_id,
          reservationId: x.reservation_id,
          status: x.status === "confirmed" ? "confirmed" : "cancelled",
          creditsMinutes: x.credits,
          seriesId: weeks.get(x.reservation_id)?.series_id ?? null,
          paymentDueAt: paymentDueAt(s, x, weeks.get(x.reservation_id)),
          leftEarly: x.status === "cancelled" && x.left_early !== 0,
          // The books keep a cancelled seat's credit as revenue only when it does not go back (a late cancellation).
          refunded: x.status === "cancelled" ? x.refunded !== 0 : null,
        })
        .onConflictDoUpdate({
          target: [bookingParticipants.bookingId, bookingParticipants.studentId],
          set: {
            status: sql`excluded.status`,
            reservationId: sql`excluded.reservation_id`,
            creditsMinutes: sql`excluded.credits_minutes`,
            seriesId: sql`excluded.series_id`,
            paymentDueAt: sql`excluded.payment_due_at`,
            leftEarly: sql`excluded.left_early`,
            refunded: sql`excluded.refunded`,
          },
        }),
    );
  const { id: _, ...changes } = row;
  return [
    db
      .insert(bookings)
      .values(row)
      .onConflictDoUpdate({
        target: bookings.id,
        set: Object.fromEntries(Object.keys(changes).map((k) => [k, sql.raw(`excluded.${toColumn(k)}`)])),
        setWhere: sql`excluded.sequence > ${bookings.sequence}`,
      }),
    ...participants,
  ];
}

const toColumn = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Replaces the tutor's weekly windows (UTC minutes-of-week) used by search, at the zone's offset at `now`: the
 * calendar projects them again at each clock change of the zone (calendar/rules.ts). An account deleted meanwhile
 * (its windows erased) gets none back from a projection that comes later.
 */
export async function projectWeekly(env: Env, tutorId: string, availability: Availability | null, now = Date.now()): Promise<void> {
  const db = getDb(env);
  const windows = availability ? splitByDay(weeklyMinutesUtc(availability, now)) : [];
  await db.batch([
    db.delete(tutorWeeklyWindows).where(sql`${tutorWeeklyWindows.tutorId} = ${tutorId}`),
    // Each window is read off the tutor's own row while it is not deleted: none is written for an erased account.
    ...windows.map((w) =>
      db.insert(tutorWeeklyWindows).select(
        db
          .select({ tutorId: users.id, startMinute: sql<number>`${w.start}`.as("start_minute"), endMinute: sql<number>`${w.end}`.as("end_minute") })
          .from(users)
          .where(and(eq(users.id, tutorId), ne(users.status, "deleted"))),
      ),
    ),
  ]);
}
