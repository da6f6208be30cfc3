import { describe, expect, it } from "vitest";
import { type AttendanceEvent, summarizeAttendance } from "./attendance";

const t = (hhmm: string) => Date.parse(`2027-03-01T${hhmm}:00Z`);
const session = { start: t("09:00"), end: t("10:00"), status: "confirmed" as const };
const attendees = [
  { userId: "tutor", role: "tutor" as const },
  { userId: "ana", role: "student" as const },
  { userId: "ben", role: "student" as const },
];
const ev = (userId: string, connectionId: string, kind: "join" | "leave", hhmm: string): AttendanceEvent => ({ userId, connectionId, kind, at: t(hhmm) });

describe("summarizeAttendance", () => {
  const events = [ev("tutor", "c1", "join", "08:55"), ev("ana", "c2", "join", "09:02"), ev("ana", "c2", "leave", "09:50"), ev("tutor", "c1", "leave", "10:01")];

  it("marks a student who never joined as a no-show once the room has closed", () => {
    const report = summarizeAttendance({ session, attendees, events, now: t("10:11") });
    expect(report.decided).toBe(true);
    expect(report.noShows).toEqual(["ben"]);
    expect(report.attendees.map((a) => [a.userId, a.status])).toEqual([
      ["tutor", "attended"],
      ["ana", "attended"],
      ["ben", "no_show"],
    ]);
  });

  it("does not decide while the room is still open (10 minutes after the end)", () => {
    const report = summarizeAttendance({ session, attendees, events, now: t("10:10") });
    expect(report.decided).toBe(false);
    expect(report.noShows).toEqual([]);
    expect(report.attendees.find((a) => a.userId === "ben")?.status).toBe("awaiting");
  });

  it("decides as soon as the tutor completes the session", () => {
    const report = summarizeAttendance({ session: { ...session, status: "completed" }, attendees, events, now: t("09:30") });
    expect(report).toMatchObject({ decided: true, noShows: ["ben"] });
  });

  it("has no no-shows for a cancelled session", () => {
    const report = summarizeAttendance({ session: { ...session, status: "cancelled" }, attendees, events: [], now: t("12:00") });
    expect(report).toMatchObject({ decided: false, noShows: [] });
  });

  it("marks the tutor a no-show when only the students came", () => {
    const report = summarizeAttendance({ session, attendees, events: [ev("ana", "a", "join", "09:00"), ev("ben", "b", "join", "09:01")], now: t("11:00") });
    expect(report.noShows).toEqual(["tutor"]);
  });

  it("counts time present inside the booked hour only, and two tabs at once only once", () => {
    const report = summarizeAttendance({
      session,
      attendees,
      events: [
        ev("tutor", "c1", "join", "08:50"),
        ev("tutor", "c2", "join", "09:10"),
        ev("tutor", "c1", "leave", "09:20"),
        ev("tutor", "c2", "leave", "09:30"),
        ev("tutor", "c3", "join", "09:40"),
        ev("tutor", "c3", "leave", "10:05"),
      ],
      now: t("11:00"),
    });
    const tutor = report.attendees[0]!;
    expect(tutor.presentMs).toBe(50 * 60_000); // 09:00–09:30 and 09:40–10:00
    expect(tutor.firstJoinedAt).toBe(t("08:50"));
    expect(tutor.visits).toEqual([
      { joinedAt: t("08:50"), leftAt: t("09:20") },
      { joinedAt: t("09:10"), leftAt: t("09:30") },
      { joinedAt: t("09:40"), leftAt: t("10:05") },
    ]);
  });

  it("treats a visit with no leave as still in the room, up to now", () => {
    const report = summarizeAttendance({ session, attendees, events: [ev("ana", "c9", "join", "09:15")], now: t("09:45") });
    const ana = report.attendees[1]!;
    expect(ana).toMatchObject({ inRoom: true, presentMs: 30 * 60_000, visits: [{ joinedAt: t("09:15"), leftAt: null }] });
  });

  it("counts a visit that never recorded its leave only until the room closed", () => {
    const report = summarizeAttendance({ session, attendees, events: [ev("ana", "c9", "join", "09:30")], now: t("18:00") });
    expect(report.attendees[1]).toMatchObject({ inRoom: false, presentMs: 30 * 60_000, status: "attended" });
  });

  it("does not count a look into the room before the start (or after the end) as coming to the lesson", () => {
    const events = [ev("ana", "c1", "join", "08:52"), ev("ana", "c1", "leave", "08:55"), ev("ben", "c2", "join", "10:01"), ev("ben", "c2", "leave", "10:03")];
    const during = summarizeAttendance({ session, attendees, events: [...events, ev("tutor", "c3", "join", "08:58")], now: t("09:15") });
    expect(during.attendees.map((a) => [a.userId, a.status])).toEqual([
      ["tutor", "attended"],
      ["ana", "awaiting"],
      ["ben", "awaiting"],
    ]);
    const ended = summarizeAttendance({ session: { ...session, status: "completed" }, attendees, events, now: t("10:05") });
    expect(ended.noShows).toEqual(["tutor", "ana", "ben"]);
    expect(ended.attendees[1]).toMatchObject({ status: "no_show", presentMs: 0, visits: [{ joinedAt: t("08:52"), leftAt: t("08:55") }] });
  });

  it("counts someone waiting in the room before the start as in the room, and as attended from the start", () => {
    const events = [ev("ana", "c1", "join", "08:55")];
    expect(summarizeAttendance({ session, attendees, events, now: t("08:58") }).attendees[1]).toMatchObject({ status: "awaiting", inRoom: true, presentMs: 0 });
    expect(summarizeAttendance({ session, attendees, events, now: t("09:01") }).attendees[1]).toMatchObject({ status: "attended", inRoom: true, presentMs: 60_000 });
  });

  it("ignores events in any order and a leave without its join", () => {
    const report = summarizeAttendance({
      session,
      attendees,
      events: [ev("ana", "c2", "leave", "09:20"), ev("ana", "zz", "leave", "09:05"), ev("ana", "c2", "join", "09:10")],
      now: t("11:00"),
    });
    expect(report.attendees[1]).toMatchObject({ status: "attended", presentMs: 10 * 60_000, visits: [{ joinedAt: t("09:10"), leftAt: t("09:20") }] });
  });
});
