import type { AttendanceReport } from "../video/attendance";

/**
 * How a finished session is paid, from who came to its room (domain/video/attendance.ts). The rule, in order:
 *
 * The tutor counts as there only for their time in the room inside the booked [start, end] (`tutorPresentMs`): a
 * look into the room before the start or after the end teaches nobody. A student counts as joined by the same rule
 * (`studentsJoined`: in the room for some of the booked time, domain/video/attendance.ts): one who only looked in
 * before the start and never came back did not come to the lesson.
 *
 * 1. nobody came: `not_attended` — the tutor earns nothing and every student is refunded;
 * 2. students joined, the tutor was never there: `tutor_no_show` — refunded, nothing earned, counts against the tutor;
 * 3. the tutor was there, no student joined: `student_no_show` — paid as booked (students who skip are not
 *    refunded), but only once the tutor waited for them: STUDENT_NO_SHOW_WAIT_MINUTES inside the booked time, or half
 *    of a shorter lesson. A tutor who ended the session (or left) before that is not paid for it, and the students
 *    are refunded (`not_attended`): a student running a few minutes late must not lose the lesson and its price;
 * 4. both joined: the minutes taught are the tutor's minutes in the room inside the booked time. At least
 *    FULL_PAY_PERCENT of the booked length is `as_booked`; less is `ended_early`: the tutor earns pro rata to the
 *    minutes taught and each student gets the untaught share of their credits back. Ended inside its first minute
 *    it is `ended_early` with 0 minutes taught: settled, with nothing earned (no earning is written) and every
 *    credit back — both came, so it is neither "nobody came" nor a no-show.
 */
export const FULL_PAY_PERCENT = 80;
export const STUDENT_NO_SHOW_WAIT_MINUTES = 15;

export type Settlement =
  | { outcome: "as_booked" | "student_no_show"; taughtMinutes: number }
  | { outcome: "ended_early"; taughtMinutes: number }
  | { outcome: "not_attended" | "tutor_no_show"; taughtMinutes: 0 };

export type SettlementOutcome = Settlement["outcome"];

export function settleSession(input: { bookedMinutes: number; studentsJoined: boolean; tutorPresentMs: number }): Settlement {
  const taughtMinutes = Math.min(input.bookedMinutes, Math.floor(input.tutorPresentMs / 60_000));
  if (input.tutorPresentMs <= 0) return { outcome: input.studentsJoined ? "tutor_no_show" : "not_attended", taughtMinutes: 0 };
  if (!input.studentsJoined) {
    const waitMs = Math.min(STUDENT_NO_SHOW_WAIT_MINUTES, input.bookedMinutes / 2) * 60_000;
    return input.tutorPresentMs >= waitMs ? { outcome: "student_no_show", taughtMinutes } : { outcome: "not_attended", taughtMinutes: 0 };
  }
  if (taughtMinutes * 100 >= FULL_PAY_PERCENT * input.bookedMinutes) return { outcome: "as_booked", taughtMinutes };
  return { outcome: "ended_early", taughtMinutes };
}

/**
 * What settlement reads from a session's attendance: whether any student counted as there (in the room for some of
 * the booked time) and the tutor's time in it inside the booked time. The job that completes past sessions decides a
 * tutor's no-show from the same facts, so a look in before the start counts for nobody, there or here.
 */
export function attendanceFacts(report: AttendanceReport): { studentsJoined: boolean; tutorPresentMs: number } {
  return {
    studentsJoined: report.attendees.some((a) => a.role === "student" && a.status === "attended"),
    tutorPresentMs: report.attendees.find((a) => a.role === "tutor")?.presentMs ?? 0,
  };
}

/** Whether the tutor is paid the whole fixed earning (true), a pro rata share, or nothing. */
export const paysInFull = (s: Settlement) => s.outcome === "as_booked" || s.outcome === "student_no_show";
