import { type Reservation, ReservationRowSchema } from "./storage";

/**
 * The student's time: the seats they hold across every tutor. A student is never in two sessions at once: a new or
 * moved reservation must not overlap an active one.
 */
export class Reservations {
  constructor(private readonly sql: SqlStorage) {}

  get(reservationId: string): Reservation | undefined {
    const row = this.sql.exec("SELECT * FROM reservations WHERE reservation_id = ?", reservationId).toArray()[0];
    return row ? ReservationRowSchema.parse(row) : undefined;
  }

  /** A reservation holding time (paid, or a weekly week claimed) overlapping [start, end), other than `except`. */
  overlapping(start: number, end: number, except?: string): Reservation | undefined {
    const row = this.sql
      .exec("SELECT * FROM reservations WHERE status IN ('active', 'claimed') AND start_ms < ? AND end_ms > ? AND reservation_id IS NOT ? LIMIT 1", end, start, except ?? null)
      .toArray()[0];
    return row ? ReservationRowSchema.parse(row) : undefined;
  }

  hold(r: { reservationId: string; sessionId: string; tutorId: string; start: number; end: number; cost: number }) {
    this.sql.exec(
      `INSERT INTO reservations (reservation_id, session_id, tutor_id, start_ms, end_ms, status, cost) VALUES (?, ?, ?, ?, ?, 'active', ?)
       ON CONFLICT (reservation_id) DO UPDATE SET status = 'active', start_ms = excluded.start_ms, end_ms = excluded.end_ms, cost = excluded.cost`,
      r.reservationId,
      r.sessionId,
      r.tutorId,
      r.start,
      r.end,
      r.cost,
    );
  }

  /** Holds the time of a weekly week not paid yet: nothing spent; `hold` turns it active when it is paid. */
  claim(r: { reservationId: string; sessionId: string; tutorId: string; start: number; end: number }) {
    this.sql.exec(
      "INSERT INTO reservations (reservation_id, session_id, tutor_id, start_ms, end_ms, status, cost) VALUES (?, ?, ?, ?, ?, 'claimed', 0)",
      r.reservationId,
      r.sessionId,
      r.tutorId,
      r.start,
      r.end,
    );
  }

  release(reservationId: string) {
    this.sql.exec("UPDATE reservations SET status = 'released' WHERE reservation_id = ?", reservationId);
  }

  move(reservationId: string, start: number, end: number) {
    this.sql.exec("UPDATE reservations SET start_ms = ?, end_ms = ? WHERE reservation_id = ?", start, end, reservationId);
  }

  /** Reservations holding time (paid, or a weekly week claimed) that start in [from, until), by start. */
  holdingBetween(from: number, until: number): Reservation[] {
    return this.sql
      .exec("SELECT * FROM reservations WHERE status IN ('active', 'claimed') AND start_ms >= ? AND start_ms < ? ORDER BY start_ms", from, until)
      .toArray()
      .map((r) => ReservationRowSchema.parse(r));
  }

  active(): Reservation[] {
    return this.sql
      .exec("SELECT * FROM reservations WHERE status = 'active' ORDER BY start_ms")
      .toArray()
      .map((r) => ReservationRowSchema.parse(r));
  }
}
