import type { Interval } from "../../domain/time";
import { Reminders } from "./reminders";
import { type SeatRow, SeatRowSchema, type SessionRow, SessionRowSchema, rowsOf } from "./storage";

const DAY = 86_400_000;
/** How far outside a query window busy time is loaded: buffers and long sessions reach across its edges. */
const BUSY_MARGIN = DAY;
const LONGEST_KEY = "longest_session_ms";

/**
 * The calendar's sessions and seats in its SQLite: every read parses its rows, every write is one statement the
 * caller runs in the same synchronous step as its check (no `await` between), which is what keeps time single-writer.
 */
export class CalendarStore {
  constructor(readonly sql: SqlStorage) {}

  meta(key: string): string | undefined {
    const row = this.sql.exec("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return typeof row?.value === "string" ? row.value : undefined;
  }
  setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** The tutor this object belongs to (objects are addressed by name, which they cannot read back). */
  bindTutor(tutorId: string) {
    const known = this.tutorId;
    if (!known) this.setMeta("tutor_id", tutorId);
    else if (known !== tutorId) throw new Error(`Calendar of ${known} addressed as ${tutorId}`);
  }
  /** Read from storage until found, then kept: a calendar's tutor never changes once stored. */
  private boundTutor: string | undefined;
  get tutorId(): string {
    this.boundTutor ??= this.meta("tutor_id");
    return this.boundTutor ?? "";
  }

  // ───────────────────────── reads ─────────────────────────

  session(id: string): SessionRow | undefined {
    return rowsOf(this.sql.exec("SELECT * FROM sessions WHERE id = ?", id), SessionRowSchema)[0];
  }
  /** A session that must exist (it was read or written in this same step). */
  sessionNow(id: string): SessionRow {
    const s = this.session(id);
    if (!s) throw new Error(`Session ${id} vanished`);
    return s;
  }
  seatsOf(sessionId: string): SeatRow[] {
    return rowsOf(this.sql.exec("SELECT * FROM seats WHERE session_id = ? ORDER BY rowid", sessionId), SeatRowSchema);
  }
  seat(reservationId: string): SeatRow | undefined {
    return rowsOf(this.sql.exec("SELECT * FROM seats WHERE reservation_id = ?", reservationId), SeatRowSchema)[0];
  }
  takenSeats(sessionId: string): number {
    return this.count("SELECT count(*) AS n FROM seats WHERE session_id = ? AND status IN ('held', 'confirmed')", sessionId);
  }
  count(query: string, ...binds: SqlStorageValue[]): number {
    const n = this.sql.exec(query, ...binds).one().n;
    return typeof n === "number" ? n : 0;
  }

  /**
   * Time the tutor is not free in [from, to): live sessions (and their pending moves) and outside blocks. Sessions are
   * found through their start-time indexes, from one longest session before the window, and blocks through their
   * end, so a lookup reads what is near the window (and blocks still to come), however long the tutor's history is.
   */
  busy(from: number, to: number, exceptSessionId?: string): Interval[] {
    const lo = from - BUSY_MARGIN;
    const hi = to + BUSY_MARGIN;
    const since = lo - this.longestSession();
    const out: Interval[] = [];
    const live = "status IN ('held', 'confirmed', 'completed') AND id IS NOT ?";
    for (const s of this.sql.exec(`SELECT start_ms, end_ms FROM sessions WHERE ${live} AND start_ms >= ? AND start_ms < ? AND end_ms > ?`, exceptSessionId ?? null, since, hi, lo)) {
      out.push(interval(s.start_ms, s.end_ms));
    }
    for (const s of this.sql.exec(
      `SELECT pending_start_ms, pending_end_ms FROM sessions INDEXED BY sessions_pending WHERE ${live} AND pending_start_ms >= ? AND pending_start_ms < ? AND pending_end_ms > ?`,
      exceptSessionId ?? null,
      since,
      hi,
      lo,
    )) {
      out.push(interval(s.pending_start_ms, s.pending_end_ms));
    }
    // Blocks may be long (a holiday), so none is bounded by its start: they are read from their end on.
    for (const b of this.sql.exec("SELECT start_ms, end_ms FROM blocks INDEXED BY blocks_end WHERE end_ms > ? AND start_ms < ?", lo, hi)) out.push(interval(b.start_ms, b.end_ms));
    return out;
  }

  /**
   * The longest session or pending move held (ms), kept in meta by the writes that set a session's times (read from
   * the sessions once, for a calendar that predates it).
   */
  private longest: number | null = null;
  private longestSession(): number {
    if (this.longest !== null) return this.longest;
    const kept = Number(this.meta(LONGEST_KEY));
    if (Number.isSafeInteger(kept)) return (this.longest = kept);
    const held = this.count("SELECT coalesce(max(max(end_ms - start_ms, coalesce(pending_end_ms - pending_start_ms, 0))), 0) AS n FROM sessions");
    this.setMeta(LONGEST_KEY, String(held));
    return (this.longest = held);
  }
  private lengthen(start: number, end: number) {
    if (end - start <= this.longestSession()) return;
    this.longest = end - start;
    this.setMeta(LONGEST_KEY, String(end - start));
  }

  /** Sessions still to come (held or confirmed), or being moved to a time still to come, in start order. */
  ahead(now: number): SessionRow[] {
    return rowsOf(this.sql.exec("SELECT * FROM sessions WHERE status IN ('held', 'confirmed') AND (start_ms > ? OR pending_start_ms > ?) ORDER BY start_ms", now, now), SessionRowSchema);
  }

  /** The confirmed group session of this tutor starting at `start` in `subject`. */
  groupAt(start: number, subject: string): SessionRow | undefined {
    return rowsOf(this.sql.exec("SELECT * FROM sessions WHERE kind = 'group' AND status = 'confirmed' AND start_ms = ? AND subject = ? LIMIT 1", start, subject), SessionRowSchema)[0];
  }

  /** Confirmed group sessions starting in [from, to) after `now` that still have a free seat. */
  /** Group sessions still to come in [from, to), full ones included (their waitlist is open), with their taken seats. */
  openGroups(from: number, to: number, now: number): (SessionRow & { taken: number })[] {
    return rowsOf(this.sql.exec("SELECT * FROM sessions WHERE kind = 'group' AND status = 'confirmed' AND start_ms >= ? AND start_ms < ? AND start_ms > ? ORDER BY start_ms", from, to, now), SessionRowSchema)
      .map((s) => ({ ...s, taken: this.takenSeats(s.id) }));
  }

  /**
   * Whether `studentId` has had, has or is booking a lesson with this tutor (a seat held, confirmed or completed, in a
   * session that was not cancelled): then a trial is no longer theirs to book. Cancelled lessons do not count.
   */
  hasLessonWith(studentId: string): boolean {
    return (
      this.count(
        `SELECT count(*) AS n FROM seats JOIN sessions ON sessions.id = seats.session_id
         WHERE seats.student_id = ? AND seats.status IN ('held', 'confirmed') AND sessions.status IN ('held', 'confirmed', 'completed')`,
        studentId,
      ) > 0
    );
  }

  expiredHolds(now: number): SessionRow[] {
    return rowsOf(this.sql.exec("SELECT * FROM sessions WHERE status = 'held' AND hold_expires_ms <= ?", now), SessionRowSchema);
  }
  expiredSeatHolds(now: number): SeatRow[] {
    return rowsOf(this.sql.exec("SELECT * FROM seats WHERE status = 'held' AND hold_expires_ms <= ?", now), SeatRowSchema);
  }

  // ───────────────────────── writes ─────────────────────────

  insertSession(s: { id: string; kind: SessionRow["kind"]; status: "held" | "confirmed"; subject: string; start: number; end: number; seats: number; credits: number; holdUntil: number | null; now: number; requestHash: string | null; trial?: boolean }) {
    this.lengthen(s.start, s.end);
    this.sql.exec(
      `INSERT INTO sessions (id, kind, status, subject, start_ms, end_ms, seats, credits, hold_expires_ms, sequence, created_ms, updated_ms, request_hash, trial)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      s.id,
      s.kind,
      s.status,
      s.subject,
      s.start,
      s.end,
      s.seats,
      s.credits,
      s.holdUntil,
      s.status === "confirmed" ? 1 : 0,
      s.now,
      s.now,
      s.requestHash,
      s.trial ? 1 : 0,
    );
  }

  /** Holds a seat (a new one, or one the student held before and let go). */
  holdSeat(seat: { sessionId: string; studentId: string; reservationId: string; credits: number; holdUntil: number; requestHash: string | null }) {
    this.sql.exec(
      `INSERT INTO seats (session_id, student_id, reservation_id, status, credits, hold_expires_ms, request_hash) VALUES (?, ?, ?, 'held', ?, ?, ?)
       ON CONFLICT (session_id, student_id) DO UPDATE SET reservation_id = excluded.reservation_id, status = 'held', credits = excluded.credits,
         hold_expires_ms = excluded.hold_expires_ms, refunded = 0, request_hash = excluded.request_hash, earning_cents = NULL, spent = NULL, left_early = 0`,
      seat.sessionId,
      seat.studentId,
      seat.reservationId,
      seat.credits,
      seat.holdUntil,
      seat.requestHash,
    );
  }

  /** A held seat is paid: confirmed with what was spent on it and the tutor's earning from that. */
  confirmSeat(reservationId: string, spent: string, earningCents: number) {
    this.sql.exec("UPDATE seats SET status = 'confirmed', hold_expires_ms = NULL, spent = ?, earning_cents = ? WHERE reservation_id = ?", spent, earningCents, reservationId);
  }
  releaseSeat(reservationId: string) {
    this.sql.exec("UPDATE seats SET status = 'released', hold_expires_ms = NULL WHERE reservation_id = ? AND status = 'held'", reservationId);
  }
  /**
   * A seat is cancelled. Whether its session was still going on then is kept (`left_early`): a seat cancelled after
   * its session's own cancellation (the same step) was held until then; one cancelled before was given up.
   */
  cancelSeat(reservationId: string, refunded: boolean) {
    this.sql.exec(
      `UPDATE seats SET status = 'cancelled', refunded = ?,
         left_early = CASE WHEN status = 'cancelled' THEN left_early
           ELSE coalesce((SELECT sessions.status NOT IN ('cancelled', 'released') FROM sessions WHERE sessions.id = seats.session_id), 0) END
       WHERE reservation_id = ?`,
      refunded ? 1 : 0,
      reservationId,
    );
  }

  confirmSession(id: string, now: number) {
    this.sql.exec("UPDATE sessions SET status = 'confirmed', hold_expires_ms = NULL, sequence = sequence + 1, updated_ms = ? WHERE id = ?", now, id);
  }
  /** Drops a hold that never became a booking; the reason is kept so an idempotent repeat gets the same answer. */
  releaseHeldSession(id: string, reason: string): boolean {
    const changed = this.sql.exec("UPDATE sessions SET status = 'released', hold_expires_ms = NULL, cancel_reason = ? WHERE id = ? AND status = 'held'", reason, id).rowsWritten;
    if (changed) this.sql.exec("UPDATE seats SET status = 'released', hold_expires_ms = NULL WHERE session_id = ?", id);
    return changed > 0;
  }
  /** Something about the session changed: its projection and its calendar events move to a newer sequence. */
  touch(id: string, now: number) {
    this.sql.exec("UPDATE sessions SET sequence = sequence + 1, updated_ms = ? WHERE id = ?", now, id);
  }
  cancelSession(id: string, by: string, reason: string | null, now: number) {
    this.sql.exec(
      "UPDATE sessions SET status = 'cancelled', cancelled_by = ?, cancel_reason = ?, sequence = sequence + 1, updated_ms = ?, pending_start_ms = NULL, pending_end_ms = NULL WHERE id = ?",
      by,
      reason,
      now,
      id,
    );
  }
  complete(id: string, now: number) {
    this.sql.exec("UPDATE sessions SET status = 'completed', sequence = sequence + 1, updated_ms = ? WHERE id = ?", now, id);
  }
  /** How a finished session was settled; once (a retried settlement finds it decided). */
  settle(id: string, outcome: NonNullable<SessionRow["outcome"]>, taughtMinutes: number, now: number): boolean {
    return this.sql.exec("UPDATE sessions SET outcome = ?, taught_minutes = ?, sequence = sequence + 1, updated_ms = ? WHERE id = ? AND outcome IS NULL", outcome, taughtMinutes, now, id).rowsWritten > 0;
  }
  holdMove(id: string, start: number, end: number, until: number) {
    this.lengthen(start, end);
    this.sql.exec("UPDATE sessions SET pending_start_ms = ?, pending_end_ms = ?, pending_expires_ms = ? WHERE id = ?", start, end, until, id);
  }
  dropMove(id: string) {
    this.sql.exec("UPDATE sessions SET pending_start_ms = NULL, pending_end_ms = NULL, pending_expires_ms = NULL WHERE id = ?", id);
  }
  dropExpiredMoves(now: number) {
    this.sql.exec("UPDATE sessions SET pending_start_ms = NULL, pending_end_ms = NULL, pending_expires_ms = NULL WHERE pending_expires_ms <= ?", now);
  }
  /** A move is told to both people: the new time's reminders are owed as `Reminders.toldOnMove` says. */
  move(id: string, start: number, end: number, now: number) {
    this.lengthen(start, end);
    const told = Reminders.toldOnMove(start, now);
    this.sql.exec(
      "UPDATE sessions SET start_ms = ?, end_ms = ?, pending_start_ms = NULL, pending_end_ms = NULL, pending_expires_ms = NULL, reminded_24h_for = ?, reminded_1h_for = ?, sequence = sequence + 1, updated_ms = ? WHERE id = ?",
      start,
      end,
      told,
      told,
      now,
      id,
    );
  }

  /** When the alarm must next run for holds and pending moves (null: nothing pending). */
  nextHoldExpiry(): number | null {
    const t = this.sql
      .exec(
        `SELECT min(t) AS t FROM (
           SELECT min(hold_expires_ms) AS t FROM sessions WHERE status = 'held'
           UNION ALL SELECT min(hold_expires_ms) FROM seats WHERE status = 'held'
           UNION ALL SELECT min(pending_expires_ms) FROM sessions WHERE pending_expires_ms IS NOT NULL)`,
      )
      .one().t;
    return typeof t === "number" ? t : null;
  }
}

function interval(start: SqlStorageValue | undefined, end: SqlStorageValue | undefined): Interval {
  if (typeof start !== "number" || typeof end !== "number") throw new TypeError("A stored interval is not a pair of instants.");
  return { start, end };
}
