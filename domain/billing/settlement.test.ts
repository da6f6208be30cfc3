import { describe, expect, it } from "vitest";
import { settleSession } from "./settlement";

const MIN = 60_000;

describe("settleSession", () => {
  it.each([
    ["nobody came", { tutorJoined: false, studentsJoined: false, tutorPresentMs: 0 }, { outcome: "not_attended", taughtMinutes: 0 }],
    ["students came, the tutor did not", { tutorJoined: false, studentsJoined: true, tutorPresentMs: 0 }, { outcome: "tutor_no_show", taughtMinutes: 0 }],
    ["the tutor waited, no student came", { tutorJoined: true, studentsJoined: false, tutorPresentMs: 20 * MIN }, { outcome: "student_no_show", taughtMinutes: 20 }],
    ["taught the whole hour", { tutorJoined: true, studentsJoined: true, tutorPresentMs: 60 * MIN }, { outcome: "as_booked", taughtMinutes: 60 }],
    ["taught exactly 80 %", { tutorJoined: true, studentsJoined: true, tutorPresentMs: 48 * MIN }, { outcome: "as_booked", taughtMinutes: 48 }],
    ["ended a second before 80 %", { tutorJoined: true, studentsJoined: true, tutorPresentMs: 48 * MIN - 1000 }, { outcome: "ended_early", taughtMinutes: 47 }],
    ["ended at minute 1", { tutorJoined: true, studentsJoined: true, tutorPresentMs: 1 * MIN + 5000 }, { outcome: "ended_early", taughtMinutes: 1 }],
  ] as const)("%s", (_, input, expected) => {
    expect(settleSession({ bookedMinutes: 60, ...input })).toEqual(expected);
  });
});
