import type { z } from "zod";
import type { InviteSchema } from "./effects";
import type { Outbox } from "./outbox";
import { FREE_TRIAL, type SeatRow, type SessionRow } from "./storage";

/**
 * What a student is told about their own action — a booking, a cancellation, a move — by email (not their inbox:
 * they just did it), with the session's calendar invitation.
 */

type Invite = z.infer<typeof InviteSchema>;
const iso = (ms: number) => new Date(ms).toISOString();

/** The calendar invitation of a session for one of its students: the feed's UID, the session's times and sequence as they are now. */
export function inviteOf(s: SessionRow, tutorId: string, method: Invite["method"]): Invite {
  return { method, bookingId: s.id, tutorId, sequence: s.sequence, start: s.start_ms, end: s.end_ms, group: s.kind === "group" };
}

/**
 * The student's own booking (or seat) confirmed, with its invitation; `minutes` 0 when a cancelled session paid for it.
 * Keyed by the session's sequence as the seat is taken (each take moves it on): a student who left a group and takes
 * the seat again gets a new confirmation and a REQUEST that replaces the CANCEL in their calendar.
 */
export function confirmToStudent(outbox: Outbox, tutorId: string, s: SessionRow, studentId: string, minutes: number, series?: { id: string; later: SessionRow[] }) {
  const invite = inviteOf(s, tutorId, "REQUEST");
  outbox.enqueue({
    kind: "notice",
    userId: studentId,
    nameOf: tutorId,
    template: { kind: "booking_confirmed", subject: s.subject, start: iso(s.start_ms), tutorName: "", minutes, group: s.kind === "group", ...freeTrial(s), ...(series ? { weeks: 1 + series.later.length } : {}) },
    dedupeKey: `confirmed:${s.id}:${studentId}:${s.sequence}`,
    link: series ? `/series/${series.id}` : `/sessions/${s.id}`,
    inbox: false,
    // A weekly series: one invitation with every week in it, so the student's calendar has them all at once.
    invite: series ? { ...invite, more: series.later.map((w) => ({ bookingId: w.id, sequence: w.sequence, start: w.start_ms, end: w.end_ms })) } : invite,
  });
}

/** A lesson the free plan's trial paid says so: it cost the student nothing, and what comes back is the trial. */
const freeTrial = (s: SessionRow) => (s.trial === FREE_TRIAL ? { freeTrial: true } : {});

/** A student's own cancellation (a 1:1 or their seat in a group) confirmed, with the invitation's CANCEL; once per seat taken. */
export function cancelledToStudent(outbox: Outbox, tutorId: string, s: SessionRow, seat: SeatRow, refunded: boolean) {
  outbox.enqueue({
    kind: "notice",
    userId: seat.student_id,
    nameOf: tutorId,
    template: { kind: "you_cancelled", subject: s.subject, start: iso(s.start_ms), tutorName: "", refunded, minutes: seat.credits, ...freeTrial(s) },
    dedupeKey: `you-cancelled:${s.id}:${seat.reservation_id}`,
    link: `/sessions/${s.id}`,
    inbox: false,
    invite: inviteOf(s, tutorId, "CANCEL"),
  });
}
