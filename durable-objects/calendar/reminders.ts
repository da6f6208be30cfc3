import type { Outbox } from "./outbox";
import type { CalendarStore } from "./store";
import { SessionRowSchema, rowsOf } from "./storage";

const H24 = 24 * 3_600_000;
const H1 = 3_600_000;

/**
 * Reminders go out 24 h and 1 h before a confirmed session, once per participant per start time and move, except for
 * sessions booked after that moment. A move clears the markers (both people are told of every move), so a session
 * moved away and back is reminded of its time again, also when the time it went to was never reminded of — but one
 * moved to start within the hour is not told "in one hour" (`toldOnMove`); each is keyed by the session's
 * sequence as it goes out, so the outbox retrying one says it once.
 */
export class Reminders {
  constructor(
    private readonly store: CalendarStore,
    private readonly outbox: Outbox,
  ) {}

  /**
   * What a session moved at `now` to start at `start` counts as told of (its reminder markers): nothing, so both
   * reminders are owed again, even at a time reminded before — except "in one hour" for a session moved to start
   * sooner than that: the move's own notice gave its time, as a booking made inside the hour gets no reminder (the
   * one-hour reminder also stands for the day's).
   */
  static toldOnMove(start: number, now: number): number | null {
    return start - H1 <= now ? start : null;
  }

  /** The alarm times a session starting at `start` needs, booked at `now`. */
  static times(start: number, now: number): number[] {
    return [start - H24, start - H1].filter((t) => t > now);
  }

  /** Queues the reminders that are due at `now` (run by the alarm). */
  queueDue(now: number) {
    const due = rowsOf(this.store.sql.exec("SELECT * FROM sessions WHERE status = 'confirmed' AND start_ms > ? AND start_ms - ? <= ?", now, H24, now), SessionRowSchema);
    for (const s of due) {
      const lead = s.start_ms - H1 <= now ? "1h" : "24h";
      const sent = lead === "1h" ? s.reminded_1h_for : s.reminded_24h_for;
      if (sent === s.start_ms || s.created_ms >= s.start_ms - (lead === "1h" ? H1 : H24)) continue;
      // The 1 h reminder also stands for the 24 h one (a session booked 5 h ahead gets one reminder).
      this.store.sql.exec(
        lead === "1h" ? "UPDATE sessions SET reminded_1h_for = start_ms, reminded_24h_for = start_ms WHERE id = ?" : "UPDATE sessions SET reminded_24h_for = start_ms WHERE id = ?",
        s.id,
      );
      const students = this.store.seatsOf(s.id).filter((x) => x.status === "confirmed").map((x) => x.student_id);
      const tutorId = this.store.tutorId;
      const start = new Date(s.start_ms).toISOString();
      for (const userId of [tutorId, ...students]) {
        const forTutor = userId === tutorId;
        this.outbox.enqueue({
          kind: "notice",
          userId,
          nameOf: forTutor ? (students.length === 1 ? students[0]! : null) : tutorId,
          // A group's tutor hears how many are coming, in their own words (the count, rendered by renderNotice).
          template: { kind: "reminder", subject: s.subject, start, withName: "", lead, ...(forTutor && students.length !== 1 ? { students: students.length } : {}) },
          dedupeKey: `reminder:${lead}:${s.id}:${s.sequence}:${userId}`,
          link: `/sessions/${s.id}`,
        });
      }
    }
  }

  /** The next moment a reminder falls due after `now`, or null. */
  nextDue(now: number): number | null {
    const t = this.store.sql
      .exec(
        `SELECT min(CASE WHEN start_ms - ${H24} > ? AND created_ms < start_ms - ${H24} AND reminded_24h_for IS NOT start_ms THEN start_ms - ${H24}
                         WHEN start_ms - ${H1} > ? AND created_ms < start_ms - ${H1} AND reminded_1h_for IS NOT start_ms THEN start_ms - ${H1} END) AS t
         FROM sessions WHERE status = 'confirmed' AND start_ms > ?`,
        now,
        now,
        now,
      )
      .one().t;
    return typeof t === "number" ? t : null;
  }
}
