import { joinWindow } from "../../domain/video/window";
import { cancelledToStudent, inviteOf } from "./confirmations";
import type { Outbox } from "./outbox";
import type { SeatRow, SessionRow } from "./storage";

export type Canceller = { id: string; role: "student" | "tutor" | "admin"; isTutor: boolean };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * What a cancelled session owes each of its students and its tutor. A tutor cancelling offers each student up to
 * three free tutors of the same subject at that exact time first (their account holds the credits until they choose,
 * see StudentAccount.openOffer); an admin or a student cancelling releases the seats at once, refunded per policy.
 */
export function queueCancellation(outbox: Outbox, a: { tutorId: string; session: SessionRow; seats: readonly SeatRow[]; by: Canceller; refund: boolean; reason: string | null; now: number }) {
  const { session: s, by, reason } = a;
  const start = iso(s.start_ms);
  const link = `/sessions/${s.id}`;
  const invite = inviteOf(s, a.tutorId, "CANCEL");
  for (const seat of a.seats) {
    leaveRoom(outbox, s, seat.student_id, a.now);
    if (by.isTutor) {
      outbox.enqueue({ kind: "offer", studentId: seat.student_id, reservationId: seat.reservation_id, sessionId: s.id, tutorId: a.tutorId, subject: s.subject, start: s.start_ms, end: s.end_ms, now: a.now, reason, invite });
      continue;
    }
    outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: a.refund, reason: `cancelled by ${by.role}`, now: a.now });
    if (seat.student_id === by.id) {
      cancelledToStudent(outbox, a.tutorId, s, seat, a.refund);
      continue;
    }
    outbox.enqueue({
      kind: "notice",
      userId: seat.student_id,
      nameOf: by.role === "admin" ? null : by.id,
      template: { kind: "cancelled", subject: s.subject, start, byName: "", byRole: by.role, reason, refunded: a.refund },
      dedupeKey: `cancelled:${s.id}:${seat.student_id}`,
      link,
      invite,
    });
  }
  closeRoom(outbox, s, a.now);
  if (by.isTutor) {
    outbox.enqueue({ kind: "reliability", tutorId: a.tutorId, bookingId: s.id, event: "tutor_cancelled", start: s.start_ms, at: a.now });
    return;
  }
  outbox.enqueue({
    kind: "notice",
    userId: a.tutorId,
    nameOf: by.role === "admin" ? null : by.id,
    template: { kind: "cancelled", subject: s.subject, start, byName: "", byRole: by.role, reason, refunded: false },
    dedupeKey: `cancelled:${s.id}:${a.tutorId}`,
    link,
  });
}

/**
 * A weekly seat not paid yet whose session was cancelled: its claim on the student's time goes, nothing is refunded
 * (nothing was spent) and no replacement is offered (there is no credit to move); the student is told.
 */
export function queueUnpaidSeatGone(outbox: Outbox, a: { tutorId: string; session: SessionRow; studentId: string; reservationId: string; by: Canceller; reason: string | null; now: number }) {
  const { session: s, by } = a;
  outbox.enqueue({ kind: "release", studentId: a.studentId, reservationId: a.reservationId, refund: false, reason: "weekly lesson cancelled before it was paid", now: a.now });
  leaveRoom(outbox, s, a.studentId, a.now);
  if (a.studentId === by.id) return;
  outbox.enqueue({
    kind: "notice",
    userId: a.studentId,
    nameOf: by.role === "admin" ? null : by.id,
    template: { kind: "cancelled", subject: s.subject, start: iso(s.start_ms), byName: "", byRole: by.role, reason: a.reason, refunded: false },
    dedupeKey: `cancelled:${s.id}:${a.studentId}`,
    link: `/sessions/${s.id}`,
    invite: inviteOf(s, a.tutorId, "CANCEL"),
  });
}

type Times = { id: string; start_ms: number; end_ms: number };
const roomOpen = (s: Times, now: number) => now >= joinWindow({ start: s.start_ms, end: s.end_ms }).opensAt;

/** Once a session's room is open, a student whose seat goes is taken out of it (sockets, RealtimeKit). */
export function leaveRoom(outbox: Outbox, s: Times, studentId: string, now: number) {
  if (roomOpen(s, now)) outbox.enqueue({ kind: "seat_lost", sessionId: s.id, studentId, at: now });
}

/**
 * Once a session's room is open, the whole session going (whoever cancelled it, or an unpaid week let go) closes the
 * room for everyone at once, its tutor too, even when no seat was taken (the room tells its students their seat went).
 * A session moved to `movedTo` (`s` at its old times) closes its room the same way, and everyone is told the new times.
 */
export function closeRoom(outbox: Outbox, s: Times, now: number, movedTo?: { start: number; end: number }) {
  if (roomOpen(s, now)) outbox.enqueue({ kind: "session_gone", sessionId: s.id, at: now, ...(movedTo ? { movedTo } : {}) });
}
