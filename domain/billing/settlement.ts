/**
 * How a finished session is paid, from who came to its room (domain/video/attendance.ts). The rule, in order:
 *
 * 1. nobody joined: `not_attended` — the tutor earns nothing and every student is refunded;
 * 2. students joined, the tutor never did: `tutor_no_show` — refunded, nothing earned, counts against the tutor;
 * 3. the tutor joined, no student did: `student_no_show` — paid as booked (students who skip are not refunded);
 * 4. both joined: the minutes taught are the tutor's minutes in the room inside the booked time. At least
 *    FULL_PAY_PERCENT of the booked length is `as_booked`; less is `ended_early`: the tutor earns pro rata to the
 *    minutes taught and each student gets the untaught share of their credits back.
 */
export const FULL_PAY_PERCENT = 80;

export type Settlement =
  | { outcome: "as_booked" | "student_no_show"; taughtMinutes: number }
  | { outcome: "ended_early"; taughtMinutes: number }
  | { outcome: "not_attended" | "tutor_no_show"; taughtMinutes: 0 };

export type SettlementOutcome = Settlement["outcome"];

export function settleSession(input: { bookedMinutes: number; tutorJoined: boolean; studentsJoined: boolean; tutorPresentMs: number }): Settlement {
  const taughtMinutes = Math.min(input.bookedMinutes, Math.floor(input.tutorPresentMs / 60_000));
  if (!input.tutorJoined) return { outcome: input.studentsJoined ? "tutor_no_show" : "not_attended", taughtMinutes: 0 };
  if (!input.studentsJoined) return { outcome: "student_no_show", taughtMinutes };
  if (taughtMinutes * 100 >= FULL_PAY_PERCENT * input.bookedMinutes) return { outcome: "as_booked", taughtMinutes };
  return { outcome: "ended_early", taughtMinutes };
}

/** Whether the tutor is paid the whole fixed earning (true), a pro rata share, or nothing. */
export const paysInFull = (s: Settlement) => s.outcome === "as_booked" || s.outcome === "student_no_show";
