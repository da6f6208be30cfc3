import { describe, expect, it } from "vitest";
import { settleSession } from "./settlement";

const MIN = 60_000;

describe("settleSession", () => {
  it.each([
    ["nobody came", { studentsJoined: false, tutorPresentMs: 0 }, { outcome: "not_attended", taughtMinutes: 0 }],
    ["students came, the tutor did not", { studentsJoined: true, tutorPresentMs: 0 }, { outcome: "tutor_no_show", taughtMinutes: 0 }],
    ["the tutor waited, no student came", { studentsJoined: false, tutorPresentMs: 20 * MIN }, { outcome: "student_no_show", taughtMinutes: 20 }],
    ["the tutor waited exactly 15 minutes, no student came", { studentsJoined: false, tutorPresentMs: 15 * MIN }, { outcome: "student_no_show", taughtMinutes: 15 }],
    ["taught the whole hour", { studentsJoined: true, tutorPresentMs: 60 * MIN }, { outcome: "as_booked", taughtMinutes: 60 }],
    ["taught exactly 80 %", { studentsJoined: true, tutorPresentMs: 48 * MIN }, { outcome: "as_booked", taughtMinutes: 48 }],
    ["ended a second before 80 %", { studentsJoined: true, tutorPresentMs: 48 * MIN - 1000 }, { outcome: "ended_early", taughtMinutes: 47 }],
    ["ended at minute 1", { studentsJoined: true, tutorPresentMs: 1 * MIN + 5000 }, { outcome: "ended_early", taughtMinutes: 1 }],
  ] as const)("%s", (_, input, expected) => {
    expect(settleSession({ bookedMinutes: 60, ...input })).toEqual(expected);
  });

  it("does not call a student a no-show unless the tutor waited for them: 15 minutes, or half of a shorter lesson", () => {
    // The tutor came, no student had yet, and the tutor ended it (or left) within a minute: nobody is paid for it.
    expect(settleSession({ bookedMinutes: 60, studentsJoined: false, tutorPresentMs: 30_000 })).toEqual({ outcome: "not_attended", taughtMinutes: 0 });
    expect(settleSession({ bookedMinutes: 60, studentsJoined: false, tutorPresentMs: 15 * MIN - 1000 })).toEqual({ outcome: "not_attended", taughtMinutes: 0 });
    expect(settleSession({ bookedMinutes: 20, studentsJoined: false, tutorPresentMs: 10 * MIN })).toEqual({ outcome: "student_no_show", taughtMinutes: 10 });
    expect(settleSession({ bookedMinutes: 20, studentsJoined: false, tutorPresentMs: 9 * MIN })).toEqual({ outcome: "not_attended", taughtMinutes: 0 });
  });

  it("counts only the tutor's time inside the booked hour: a visit before the start or after the end is no lesson", () => {
    // Students waited; the tutor looked in only after the end (presence inside the booked time: none).
    expect(settleSession({ bookedMinutes: 60, studentsJoined: true, tutorPresentMs: 0 })).toEqual({ outcome: "tutor_no_show", taughtMinutes: 0 });
  });
});
