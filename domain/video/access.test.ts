import { describe, expect, it } from "vitest";
import { type JoinableSession, decideJoin } from "./access";

const session: JoinableSession = {
  tutorId: "tutor-1",
  studentIds: ["student-1", "student-2"],
  status: "confirmed",
  start: Date.parse("2027-03-01T09:00:00Z"),
  end: Date.parse("2027-03-01T10:00:00Z"),
};
const during = Date.parse("2027-03-01T09:05:00Z");

describe("decideJoin", () => {
  it("lets the tutor in as the host", () => {
    expect(decideJoin({ session, user: { id: "tutor-1", role: "tutor" }, now: during })).toEqual({ ok: true, role: "host" });
  });

  it("lets every confirmed student of a group in as a participant", () => {
    for (const id of ["student-1", "student-2"]) {
      expect(decideJoin({ session, user: { id, role: "student" }, now: during })).toEqual({ ok: true, role: "participant" });
    }
  });

  it.each([
    ["another tutor", { id: "tutor-2", role: "tutor" }],
    ["another student", { id: "student-3", role: "student" }],
    ["an admin", { id: "admin-1", role: "admin" }],
    ["the tutor's id under another role", { id: "tutor-1", role: "student" }],
    ["a student's id under another role", { id: "student-1", role: "tutor" }],
  ] as const)("refuses %s as not_a_participant", (_, user) => {
    expect(decideJoin({ session, user, now: during })).toMatchObject({ ok: false, code: "not_a_participant" });
  });

  it("tells an outsider nothing about the window, even outside it", () => {
    expect(decideJoin({ session, user: { id: "student-3", role: "student" }, now: Date.parse("2027-02-01T00:00:00Z") })).toMatchObject({ code: "not_a_participant" });
  });

  it.each([
    ["2027-03-01T08:49:59.999Z", false],
    ["2027-03-01T08:50:00.000Z", true],
    ["2027-03-01T10:10:00.000Z", true],
    ["2027-03-01T10:10:00.001Z", false],
  ] as const)("at %s a participant may join: %s", (now, ok) => {
    const decision = decideJoin({ session, user: { id: "student-1", role: "student" }, now: Date.parse(now) });
    expect(decision.ok).toBe(ok);
    if (!decision.ok) expect(decision.code).toBe("outside_session_window");
  });

  it("says when the room opens", () => {
    expect(decideJoin({ session, user: { id: "tutor-1", role: "tutor" }, now: Date.parse("2027-03-01T08:00:00Z") })).toEqual({
      ok: false,
      code: "outside_session_window",
      message: "The room opens 10 minutes before the start (at 08:50 UTC).",
    });
  });

  it.each([
    ["cancelled", "session_cancelled"],
    ["completed", "session_ended"],
  ] as const)("refuses a %s session with %s", (status, code) => {
    expect(decideJoin({ session: { ...session, status }, user: { id: "tutor-1", role: "tutor" }, now: during })).toMatchObject({ ok: false, code });
  });
});
