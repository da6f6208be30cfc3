import { z } from "zod";
import { WAITLIST_POLICY, type WaitlistPlace } from "../../domain/waitlist";
import { Id, Instant } from "./args";
import { rowsOf } from "./storage";

const MINUTE = 60_000;

/**
 * The waitlists of the tutor's full group sessions. A row is a student in line (`waiting`), or first in line with
 * a freed seat held for them until `offer_until` (`offered`); `expired` is an offer that lapsed (they may join
 * again, at the back). The held seat counts as taken for everyone else until then, so a direct booking cannot take
 * it; the student takes it by booking the seat through the normal path (credits are spent then, not before).
 * Everything here is synchronous, written in the same step as the change it follows.
 */
export const WAITLIST_DDL = [
  `CREATE TABLE IF NOT EXISTS waitlist (
    session_id TEXT NOT NULL,
    student_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'expired')),
    offer_until INTEGER,
    joined_ms INTEGER NOT NULL,
    PRIMARY KEY (session_id, student_id)
  )`,
  `CREATE INDEX IF NOT EXISTS waitlist_order ON waitlist (session_id, status, seq)`,
];

const RowSchema = z.object({ session_id: z.string(), student_id: z.string(), seq: z.number(), status: z.enum(["waiting", "offered", "expired"]), offer_until: z.number().nullable(), joined_ms: z.number() });
type Row = z.infer<typeof RowSchema>;

export const WaitlistArgsSchema = z.object({ tutorId: Id, sessionId: Id, studentId: Id, now: Instant });

export class Waitlist {
  constructor(private readonly sql: SqlStorage) {}

  private row(sessionId: string, studentId: string): Row | undefined {
    return rowsOf(this.sql.exec("SELECT * FROM waitlist WHERE session_id = ? AND student_id = ?", sessionId, studentId), RowSchema)[0];
  }

  /** Puts the student at the back of the line (again, after a lapsed offer); already in line: unchanged. */
  join(sessionId: string, studentId: string, now: number): void {
    const row = this.row(sessionId, studentId);
    if (row && row.status !== "expired") return;
    const seq = this.sql.exec("SELECT coalesce(max(seq), 0) + 1 AS n FROM waitlist WHERE session_id = ?", sessionId).one().n;
    this.sql.exec(
      `INSERT INTO waitlist (session_id, student_id, seq, status, offer_until, joined_ms) VALUES (?, ?, ?, 'waiting', NULL, ?)
       ON CONFLICT (session_id, student_id) DO UPDATE SET seq = excluded.seq, status = 'waiting', offer_until = NULL, joined_ms = excluded.joined_ms`,
      sessionId,
      studentId,
      typeof seq === "number" ? seq : 1,
      now,
    );
  }

  /** Takes the student out of the line; whether a seat was held for them (it is free again). */
  leave(sessionId: string, studentId: string): boolean {
    const row = this.row(sessionId, studentId);
    this.sql.exec("DELETE FROM waitlist WHERE session_id = ? AND student_id = ?", sessionId, studentId);
    return row?.status === "offered";
  }

  /**
   * Seats held for people in line other than `except` (a live offer to someone who has not taken a seat yet):
   * they count as taken for everyone else.
   */
  heldFor(sessionId: string, now: number, except: string | null): number {
    const n = this.sql
      .exec(
        `SELECT count(*) AS n FROM waitlist w WHERE w.session_id = ? AND w.status = 'offered' AND w.offer_until > ? AND w.student_id != ?
           AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.session_id = w.session_id AND s.student_id = w.student_id AND s.status IN ('held', 'confirmed'))`,
        sessionId,
        now,
        except ?? "",
      )
      .one().n;
    return typeof n === "number" ? n : 0;
  }

  /** Holds a seat for the next in line until now + the policy's hold; that student, or null when nobody waits. */
  offerNext(sessionId: string, now: number): { studentId: string; until: number } | null {
    const next = rowsOf(this.sql.exec("SELECT * FROM waitlist WHERE session_id = ? AND status = 'waiting' ORDER BY seq LIMIT 1", sessionId), RowSchema)[0];
    if (!next) return null;
    const until = now + WAITLIST_POLICY.holdMinutes * MINUTE;
    this.sql.exec("UPDATE waitlist SET status = 'offered', offer_until = ? WHERE session_id = ? AND student_id = ?", until, sessionId, next.student_id);
    return { studentId: next.student_id, until };
  }

  /** The student took a seat: out of the line (their held seat, if any, is now theirs). */
  seated(sessionId: string, studentId: string): void {
    this.sql.exec("DELETE FROM waitlist WHERE session_id = ? AND student_id = ?", sessionId, studentId);
  }

  /** Offers whose hold has run out, marked lapsed; the sessions they were for. */
  expire(now: number): string[] {
    const lapsed = rowsOf(this.sql.exec("SELECT * FROM waitlist WHERE status = 'offered' AND offer_until <= ?", now), RowSchema);
    for (const r of lapsed) this.sql.exec("UPDATE waitlist SET status = 'expired' WHERE session_id = ? AND student_id = ?", r.session_id, r.student_id);
    return [...new Set(lapsed.map((r) => r.session_id))];
  }

  /** Whether the student's last offer for this session lapsed (and they have not joined the line again since). */
  lapsed(sessionId: string, studentId: string): boolean {
    return this.row(sessionId, studentId)?.status === "expired";
  }

  /** A session no longer takes anyone (cancelled, started): its line is cleared. */
  close(sessionId: string): void {
    this.sql.exec("DELETE FROM waitlist WHERE session_id = ?", sessionId);
  }

  nextExpiry(): number | null {
    const t = this.sql.exec("SELECT min(offer_until) AS t FROM waitlist WHERE status = 'offered'").one().t;
    return typeof t === "number" ? t : null;
  }

  /** Where the student stands (`seated` is decided by the caller, who knows the seats). */
  place(sessionId: string, studentId: string, now: number): Omit<WaitlistPlace, "sessionId"> {
    const line = rowsOf(this.sql.exec("SELECT * FROM waitlist WHERE session_id = ? AND status IN ('waiting', 'offered') ORDER BY status = 'waiting', seq", sessionId), RowSchema);
    const i = line.findIndex((r) => r.student_id === studentId);
    const mine = line[i];
    if (!mine) return { status: "none", position: null, length: line.length, offerUntil: null };
    const live = mine.status === "offered" && (mine.offer_until ?? 0) > now;
    return { status: live ? "offered" : "waiting", position: i + 1, length: line.length, offerUntil: live ? new Date(mine.offer_until ?? now).toISOString() : null };
  }
}
