import { endedEarlyEarningCents } from "../../domain/billing/earnings";
import { spentOf } from "./wallet";
import type { Booking } from "../../domain/schemas/booking";
import { FREE_TRIAL, type SeatRow, type SessionRow } from "./storage";

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A session as the API shows it, the tutor's side included (their earning, fixed per confirmed seat); routes drop
 * what a student may not see (see worker/features/bookings/shape.ts).
 */
export function bookingView(s: SessionRow, seats: readonly SeatRow[], tutor: { id: string; name?: string }, commissionPercent: number): Booking {
  const live = seats.filter((x) => x.status === "confirmed");
  return {
    id: s.id,
    tutorId: tutor.id,
    ...(tutor.name ? { tutorName: tutor.name } : {}),
    studentIds: live.map((x) => x.student_id),
    start: iso(s.start_ms),
    end: iso(s.end_ms),
    subject: s.subject,
    kind: s.kind,
    status: s.status === "held" || s.status === "released" ? "cancelled" : s.status,
    source: s.source,
    creditsMinutes: s.credits,
    price: { creditMinutes: s.credits },
    tutorEarningCents: sessionEarningCents(s, live, commissionPercent),
    ...(s.outcome ? { outcome: s.outcome, taughtMinutes: s.taught_minutes ?? 0 } : {}),
    ...(s.trial ? { trial: true } : {}),
    ...(s.trial === FREE_TRIAL ? { freeTrial: true } : {}),
    seats: s.seats,
    seatsTaken: live.length,
    participants: seats.filter((x) => x.status === "confirmed" || x.status === "cancelled").map((x) => ({ studentId: x.student_id, status: x.status === "confirmed" ? "confirmed" : "cancelled" })),
  };
}

/**
 * The session's earning: the sum of its confirmed seats' earnings as fixed when each was confirmed, then settled by
 * attendance once it is over (pro rata when it ended early, never above what the credit kept is worth at
 * `commissionPercent`; nothing when nobody or only the students came).
 */
export function sessionEarningCents(s: SessionRow, live: readonly SeatRow[], commissionPercent: number): number {
  const fixed = live.reduce((sum, x) => sum + (x.earning_cents ?? 0), 0);
  if (!s.outcome) return fixed;
  if (s.outcome === "as_booked" || s.outcome === "student_no_show") return fixed;
  if (s.outcome === "ended_early") {
    const booked = (s.end_ms - s.start_ms) / 60_000;
    return live.reduce((sum, x) => sum + endedEarlyEarningCents({ fixedCents: x.earning_cents ?? 0, spent: spentOf(x), credits: x.credits }, s.taught_minutes ?? 0, booked, commissionPercent), 0);
  }
  return 0;
}
