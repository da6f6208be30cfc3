import { type SessionTimes, joinWindow } from "./window";

/** One socket entering or leaving a session room; a `leave` closes the `join` with the same connection id. */
export type AttendanceEvent = { userId: string; connectionId: string; kind: "join" | "leave"; at: number };

/** Someone expected in the room: the tutor and each confirmed student. */
export type Attendee = { userId: string; role: "tutor" | "student" };

export type Visit = { joinedAt: number; leftAt: number | null };

/**
 * - `attended`: was in the room for some of the booked [start, end] (a look into the room before the start, or after
 *   the end, is not coming to the lesson: settlement pays and refunds by the same rule).
 * - `no_show`: was never in the room during the booked time, and the session is over (its room closed, or the tutor
 *   ended it).
 * - `awaiting`: has not been in the room during the booked time yet while the room is still open (or not yet open);
 *   someone waiting in the room before the start is `awaiting` and `inRoom`.
 */
export type AttendanceStatus = "attended" | "no_show" | "awaiting";

export type AttendeeSummary = Attendee & {
  status: AttendanceStatus;
  visits: Visit[];
  firstJoinedAt: number | null;
  /** Time spent in the room inside the booked [start, end]. */
  presentMs: number;
  /** In the room right now (a visit with no leave yet, while the room is open). */
  inRoom: boolean;
};

export type AttendanceReport = {
  /** Whether no-shows are final: the room has closed, or the session was completed. */
  decided: boolean;
  attendees: AttendeeSummary[];
  /** The user ids of no-shows (empty until `decided`). */
  noShows: string[];
};

/**
 * Folds a session's join/leave events into who attended and who did not show up. A participant who was never in
 * the room inside the booked time is a no-show once the session is over: its join window has closed (10 minutes
 * after the end) or the tutor completed it. Cancelled sessions have no no-shows. Visits still open when the room
 * closed count up to its close.
 */
export function summarizeAttendance(input: {
  session: SessionTimes & { status: "confirmed" | "cancelled" | "completed" };
  attendees: readonly Attendee[];
  events: readonly AttendanceEvent[];
  now: number;
}): AttendanceReport {
  const { session, now } = input;
  const { closesAt } = joinWindow(session);
  const roomOpen = now <= closesAt && session.status === "confirmed";
  const decided = session.status === "completed" || (session.status === "confirmed" && now > closesAt);
  const ordered = [...input.events].sort((a, b) => a.at - b.at);

  const attendees = input.attendees.map((a): AttendeeSummary => {
    const open = new Map<string, Visit>();
    const visits: Visit[] = [];
    for (const e of ordered) {
      if (e.userId !== a.userId) continue;
      if (e.kind === "join" && !open.has(e.connectionId)) {
        const visit = { joinedAt: e.at, leftAt: null };
        open.set(e.connectionId, visit);
        visits.push(visit);
      } else if (e.kind === "leave") {
        const visit = open.get(e.connectionId);
        if (visit) visit.leftAt = e.at;
        open.delete(e.connectionId);
      }
    }
    const presentMs = overlapMs(
      visits.map((v) => ({ start: v.joinedAt, end: v.leftAt ?? Math.min(now, closesAt) })),
      session,
    );
    return {
      ...a,
      status: presentMs > 0 ? "attended" : decided ? "no_show" : "awaiting",
      visits,
      firstJoinedAt: visits[0]?.joinedAt ?? null,
      presentMs,
      inRoom: roomOpen && visits.some((v) => v.leftAt === null),
    };
  });
  return { decided, attendees, noShows: attendees.filter((a) => a.status === "no_show").map((a) => a.userId) };
}

/** Total length of the union of `intervals` clipped to `within` (overlapping visits from two tabs count once). */
function overlapMs(intervals: { start: number; end: number }[], within: SessionTimes): number {
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, within.start), end: Math.min(i.end, within.end) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  let total = 0;
  let cursor = -Infinity;
  for (const i of clipped) {
    const from = Math.max(i.start, cursor);
    if (i.end > from) total += i.end - from;
    cursor = Math.max(cursor, i.end);
  }
  return total;
}
