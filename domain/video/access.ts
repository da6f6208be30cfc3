import type { Role } from "../schemas/common";
import { type SessionTimes, joinWindow, windowPhase } from "./window";

/** What a participant may do in the room: the booking's tutor hosts (and can end the session). */
export type RoomRole = "host" | "participant";

export type JoinRefusal = "not_a_participant" | "outside_session_window" | "session_cancelled" | "session_ended";

export type JoinDecision = { ok: true; role: RoomRole } | { ok: false; code: JoinRefusal; message: string };

export type JoinableSession = SessionTimes & {
  tutorId: string;
  /** Students holding a confirmed seat. */
  studentIds: readonly string[];
  status: "confirmed" | "cancelled" | "completed";
};

const clock = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/**
 * Who may enter a session's room, and when: only its tutor and its confirmed students, only inside the join
 * window. Being a participant is checked first, so an outsider learns nothing about the session's times.
 */
export function decideJoin(input: { session: JoinableSession; user: { id: string; role: Role }; now: number }): JoinDecision {
  const { session: s, user, now } = input;
  const isTutor = user.role === "tutor" && user.id === s.tutorId;
  const isStudent = user.role === "student" && s.studentIds.includes(user.id);
  if (!isTutor && !isStudent) return { ok: false, code: "not_a_participant", message: "Only the tutor and students of this session can join it." };
  if (s.status === "cancelled") return { ok: false, code: "session_cancelled", message: "This session was cancelled." };
  if (s.status === "completed") return { ok: false, code: "session_ended", message: "This session has ended." };
  const phase = windowPhase(s, now);
  if (phase !== "open") {
    const { opensAt, closesAt } = joinWindow(s);
    return {
      ok: false,
      code: "outside_session_window",
      message:
        phase === "before"
          ? `The room opens 10 minutes before the start (at ${clock(opensAt)} UTC).`
          : `The room closed 10 minutes after the end (at ${clock(closesAt)} UTC).`,
    };
  }
  return { ok: true, role: isTutor ? "host" : "participant" };
}
