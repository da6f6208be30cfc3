import { z } from "zod";
import { DurationSchema } from "../../domain/schemas/availability";
import type { Booking } from "../../domain/schemas/booking";
import type { Series } from "../../domain/schemas/series";
import { ActorSchema, Id, Instant } from "./args";
import { RequestKeySchema } from "./requests";
import { type SeatRow, SeatRowSchema, type SessionRow, SessionRowSchema, rowsOf } from "./storage";

/**
 * Weekly lessons in the tutor's calendar. A series is a row here plus one ordinary seat per week (its occurrences):
 * a 1:1 series books one 1:1 session per week; a group series takes a seat in the tutor's group session of that
 * week (same subject, same wall-clock start). Everything that guards a session or a seat (no overlap, seat counts,
 * the waitlist, cancel and move policy, reminders, the projection, the feed) guards each occurrence. An occurrence
 * is booked at once but paid later: its seat is confirmed with nothing spent yet, and `occurrences.due_ms` says when
 * the alarm takes its credits (see weekly.ts).
 */
export const SERIES_DDL = [
  `CREATE TABLE IF NOT EXISTS series (
    id TEXT PRIMARY KEY,
    student_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    weeks INTEGER NOT NULL,
    zone TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'refused', 'cancelled')),
    refusal TEXT,
    skipped TEXT NOT NULL DEFAULT '[]',
    request_hash TEXT,
    created_ms INTEGER NOT NULL,
    updated_ms INTEGER NOT NULL
  )`,
  /**
   * Each week's seat, by its reservation id (`session_id`, named before group series: for a 1:1 week the seat's
   * reservation id is its session's id); `due_ms` is when its credits are next tried (null once paid, released or
   * cancelled).
   */
  `CREATE TABLE IF NOT EXISTS occurrences (
    session_id TEXT PRIMARY KEY,
    series_id TEXT NOT NULL,
    week INTEGER NOT NULL,
    due_ms INTEGER,
    paid_ms INTEGER
  )`,
  `CREATE INDEX IF NOT EXISTS occurrences_due ON occurrences (due_ms)`,
  `CREATE INDEX IF NOT EXISTS occurrences_series ON occurrences (series_id, week)`,
];

export const BookSeriesSchema = z.object({
  tutorId: Id,
  seriesId: Id,
  studentId: Id,
  start: Instant,
  durationMinutes: DurationSchema,
  subject: z.string().min(1).max(60),
  weeks: z.number().int().min(1).max(52),
  /** A seat in the tutor's group session of each week instead of a 1:1 lesson. */
  group: z.boolean().optional(),
  request: RequestKeySchema.optional(),
  now: Instant,
});
/** A student paused their plan: their weekly lessons starting in [from, until) are skipped. */
export const SkipPausedSchema = z.object({ tutorId: Id, studentId: Id, pauseId: Id, from: Instant, until: Instant, now: Instant });
export const SeriesQuerySchema = z.object({ tutorId: Id, seriesId: Id, actor: ActorSchema });
export const CancelSeriesSchema = z.object({ tutorId: Id, seriesId: Id, actor: ActorSchema, from: Instant.optional(), reason: z.string().max(500).optional(), now: Instant });

export const MoveSeriesSchema = z.object({ tutorId: Id, seriesId: Id, actor: ActorSchema, from: Instant, start: Instant, request: RequestKeySchema.optional(), now: Instant });

/**
 * A week that could not be booked, with the times free that day instead; `code` says when it was the student who was
 * busy then (their time is claimed by another lesson or series), not the tutor.
 */
export const SkippedSchema = z.object({ start: z.string(), alternatives: z.array(z.string()), code: z.literal("student_busy").optional() });

const SeriesRowSchema = z.object({
  id: z.string(),
  student_id: z.string(),
  subject: z.string(),
  duration_minutes: z.number().int(),
  weeks: z.number().int(),
  zone: z.string(),
  status: z.enum(["active", "refused", "cancelled"]),
  refusal: z.string().nullable(),
  skipped: z.string().transform((s) => z.array(SkippedSchema).parse(JSON.parse(s))),
  request_hash: z.string().nullable(),
  created_ms: z.number().int(),
  updated_ms: z.number().int(),
});
export type SeriesRow = z.infer<typeof SeriesRowSchema>;

const OccurrenceRowSchema = z.object({ session_id: z.string(), series_id: z.string(), week: z.number().int(), due_ms: z.number().int().nullable(), paid_ms: z.number().int().nullable() });
export type OccurrenceRow = z.infer<typeof OccurrenceRowSchema>;

/** Joins an occurrence to its seat and session, both still live. */
const LIVE = "JOIN seats se ON se.reservation_id = o.session_id AND se.status = 'confirmed' JOIN sessions s ON s.id = se.session_id AND s.status = 'confirmed'";

/** The series and occurrence tables: reads parse their rows; writes are single statements run inside the caller's step. */
export class SeriesStore {
  constructor(private readonly sql: SqlStorage) {}

  get(id: string): SeriesRow | undefined {
    return rowsOf(this.sql.exec("SELECT * FROM series WHERE id = ?", id), SeriesRowSchema)[0];
  }

  insert(s: { id: string; studentId: string; subject: string; durationMinutes: number; weeks: number; zone: string; skipped: z.infer<typeof SkippedSchema>[]; requestHash: string | null; now: number }) {
    this.sql.exec(
      `INSERT INTO series (id, student_id, subject, duration_minutes, weeks, zone, status, skipped, request_hash, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
      s.id, s.studentId, s.subject, s.durationMinutes, s.weeks, s.zone, JSON.stringify(s.skipped), s.requestHash, s.now, s.now,
    );
  }

  setStatus(id: string, status: "refused" | "cancelled", now: number, refusal: string | null = null) {
    this.sql.exec("UPDATE series SET status = ?, refusal = ?, updated_ms = ? WHERE id = ?", status, refusal, now, id);
  }

  /** Weeks given up after the series was written (the student was busy then): reported with the others skipped. */
  addSkipped(id: string, more: z.infer<typeof SkippedSchema>[]) {
    const s = this.get(id);
    if (!s || !more.length) return;
    const skipped = [...s.skipped, ...more].sort((x, y) => Date.parse(x.start) - Date.parse(y.start));
    this.sql.exec("UPDATE series SET skipped = ? WHERE id = ?", JSON.stringify(skipped), id);
  }

  /** A week that never was: given up at booking before anyone saw it. */
  dropOccurrence(sessionId: string) {
    this.sql.exec("DELETE FROM occurrences WHERE session_id = ?", sessionId);
  }

  addOccurrence(sessionId: string, seriesId: string, week: number, dueMs: number) {
    this.sql.exec("INSERT INTO occurrences (session_id, series_id, week, due_ms) VALUES (?, ?, ?, ?)", sessionId, seriesId, week, dueMs);
  }

  occurrence(sessionId: string): OccurrenceRow | undefined {
    return rowsOf(this.sql.exec("SELECT * FROM occurrences WHERE session_id = ?", sessionId), OccurrenceRowSchema)[0];
  }

  /** The live occurrences of `studentId`'s series that start in [from, until), by start. */
  liveOccurrencesOfStudent(studentId: string, from: number, until: number): OccurrenceRow[] {
    return rowsOf(
      this.sql.exec(
        `SELECT o.* FROM occurrences o JOIN series r ON r.id = o.series_id ${LIVE}
         WHERE r.student_id = ? AND s.start_ms >= ? AND s.start_ms < ? ORDER BY s.start_ms`,
        studentId, from, until,
      ),
      OccurrenceRowSchema,
    );
  }

  occurrencesOf(seriesId: string): OccurrenceRow[] {
    return rowsOf(this.sql.exec("SELECT * FROM occurrences WHERE series_id = ? ORDER BY week", seriesId), OccurrenceRowSchema);
  }

  /**
   * Every week of a series with its session and seats, in week order: three reads however many weeks there are
   * (the answer and the projection of a 52-week series read it whole).
   */
  weeksOf(seriesId: string): { occurrence: OccurrenceRow; session: SessionRow; seats: SeatRow[] }[] {
    // An occurrence is its seat (by reservation id); the session is the seat's: its own 1:1, or a group's.
    const OWN = "FROM occurrences o JOIN seats se ON se.reservation_id = o.session_id";
    const sessions = new Map(
      rowsOf(this.sql.exec(`SELECT s.* ${OWN} JOIN sessions s ON s.id = se.session_id WHERE o.series_id = ?`, seriesId), SessionRowSchema).map((s) => [s.id, s]),
    );
    const seats = new Map<string, SeatRow[]>();
    const sessionOf = new Map<string, string>();
    for (const x of rowsOf(this.sql.exec(`SELECT x.* ${OWN} JOIN seats x ON x.session_id = se.session_id WHERE o.series_id = ? ORDER BY x.rowid`, seriesId), SeatRowSchema)) {
      seats.set(x.session_id, [...(seats.get(x.session_id) ?? []), x]);
      sessionOf.set(x.reservation_id, x.session_id);
    }
    return this.occurrencesOf(seriesId).map((occurrence) => {
      const session = sessions.get(sessionOf.get(occurrence.session_id) ?? occurrence.session_id);
      if (!session) throw new Error(`Session of week ${occurrence.session_id} of series ${seriesId} vanished`);
      return { occurrence, session, seats: seats.get(session.id) ?? [] };
    });
  }

  /** Whether a session is an occurrence whose credits have not been taken. */
  unpaid(sessionId: string): boolean {
    const o = this.occurrence(sessionId);
    return !!o && o.paid_ms === null;
  }

  /** Occurrences of live sessions whose credits are due by `now`. */
  due(now: number): OccurrenceRow[] {
    return rowsOf(
      this.sql.exec(`SELECT o.* FROM occurrences o ${LIVE} WHERE o.due_ms <= ? ORDER BY o.due_ms`, now),
      OccurrenceRowSchema,
    );
  }

  /** When the alarm must next take credits (null: nothing due). */
  nextDue(): number | null {
    const t = this.sql.exec(`SELECT min(o.due_ms) AS t FROM occurrences o ${LIVE}`).one().t;
    return typeof t === "number" ? t : null;
  }

  paid(sessionId: string, now: number) {
    this.sql.exec("UPDATE occurrences SET due_ms = NULL, paid_ms = ? WHERE session_id = ?", now, sessionId);
  }
  retryAt(sessionId: string, at: number) {
    this.sql.exec("UPDATE occurrences SET due_ms = ? WHERE session_id = ?", at, sessionId);
  }
  /** Nothing more to take for this occurrence (released or cancelled before it was paid). */
  closed(sessionId: string) {
    this.sql.exec("UPDATE occurrences SET due_ms = NULL WHERE session_id = ?", sessionId);
  }
}

/** An occurrence as the API shows it: the booking, its series, and when its credits are taken while unpaid. */
export function occurrenceView(b: Booking, o: OccurrenceRow): Booking {
  const due = o.paid_ms === null && b.status === "confirmed" ? o.due_ms : null;
  return { ...b, seriesId: o.series_id, ...(due !== null ? { paymentDueAt: new Date(due).toISOString() } : {}) };
}

/** The series as the API shows it. */
export function seriesView(s: SeriesRow, tutor: { id: string; name?: string }, occurrences: Booking[]): Series {
  const live = occurrences.filter((o) => o.status === "confirmed");
  return {
    id: s.id,
    tutorId: tutor.id,
    ...(tutor.name ? { tutorName: tutor.name } : {}),
    studentId: s.student_id,
    subject: s.subject,
    durationMinutes: s.duration_minutes,
    weeks: s.weeks,
    tutorZone: s.zone,
    status: s.status === "active" && live.length === 0 ? "ended" : s.status === "refused" ? "cancelled" : s.status,
    occurrences,
    skipped: s.skipped,
  };
}
