import { z } from "zod";
import type { AttendanceView, JoinData } from "../../../domain/schemas/video";
import { decideJoin } from "../../../domain/video/access";
import { summarizeAttendance } from "../../../domain/video/attendance";
import { joinWindow } from "../../../domain/video/window";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { realtimeConfig } from "../../../platform/integrations/realtime/config";
import { ApiError } from "../../lib/errors";
import { calendarOf, roomOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentSessionId, currentUser, requireRole } from "../../middleware/auth";
import { assertSameOriginUpgrade } from "../../middleware/origin";
import { unwrap } from "../bookings/outcome";
import { attendanceEvents, namesOf } from "./repo";
import { canSeeRoom, loadRoomSession } from "./session";

const IdParam = z.object({ id: z.string().min(1).max(100) });
const iso = (ms: number) => new Date(ms).toISOString();

/** Video sessions: entering a booking's room, its socket, ending it, and who attended. */
export const videoRoutes = newApp()
  /** Admits one of the booking's participants inside its window, with the join data of the configured provider. */
  .post("/bookings/:id/join", requireRole(), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { booking, session } = await loadRoomSession(c.env, id);
    const now = Date.now();
    const decision = decideJoin({ session, user: me, now });
    if (!decision.ok) throw new ApiError(403, decision.code, decision.message);
    const realtime = realtimeConfig(c.env);
    const admitted = await roomOf(c.env, id).admit({
      booking: { id, tutorId: booking.tutorId, subject: booking.subject, start: session.start, end: session.end },
      user: { id: me.id, name: me.name, role: decision.role },
      now,
      realtime,
    });
    if (!admitted.ok) throw new ApiError(503, admitted.code, admitted.message);
    const { ticket, expiresAt, realtimekit } = admitted.value;
    const window = joinWindow(session);
    const common = {
      role: decision.role,
      booking: { id, tutorId: booking.tutorId, subject: booking.subject, kind: booking.kind, start: booking.start, end: booking.end },
      window: { opensAt: iso(window.opensAt), closesAt: iso(window.closesAt) },
      room: { path: `/api/bookings/${encodeURIComponent(id)}/room`, ticket, expiresAt: iso(expiresAt) },
    };
    const data: JoinData = realtimekit
      ? { ...common, provider: "realtimekit", realtimekit }
      : // Host candidates only: the local provider must work with no internet, so no STUN or TURN servers.
        { ...common, provider: "local", local: { iceServers: [] } };
    return c.json(data, 200);
  })
  /** The room's WebSocket: presence, chat and signaling. The ticket from the join route is checked by the room. */
  .get("/bookings/:id/room", requireRole(), validate("param", IdParam), async (c) => {
    assertSameOriginUpgrade(c);
    const forwarded = new Request(c.req.raw);
    forwarded.headers.set("X-Tutorly-User", currentUser(c).id);
    forwarded.headers.set("X-Tutorly-Session", currentSessionId(c));
    return roomOf(c.env, c.req.valid("param").id).fetch(forwarded);
  })
  /** The tutor (or an admin) ends the session: it is completed, earnings accrue, and the room closes. */
  .post("/bookings/:id/end", requireRole("tutor", "admin"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { booking: current } = await loadRoomSession(c.env, id);
    const now = Date.now();
    const booking = unwrap(await calendarOf(c.env, current.tutorId).complete({ tutorId: current.tutorId, sessionId: id, actor: { id: me.id, role: me.role }, now }));
    await roomOf(c.env, id).end({ reason: "ended_by_tutor", now });
    return c.json({ booking }, 200);
  })
  /** Who joined and left, and who did not show up. Students see the tutor and themselves. */
  .get("/bookings/:id/attendance", requireRole(), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { booking, session } = await loadRoomSession(c.env, id);
    if (!canSeeRoom(session, me)) throw new ApiError(403, "not_a_participant", "Only the tutor and students of this session can see its attendance.");
    const db = getDb(c.env);
    const attendees = [{ userId: booking.tutorId, role: "tutor" as const }, ...booking.studentIds.map((userId) => ({ userId, role: "student" as const }))];
    const report = summarizeAttendance({ session, attendees, events: await attendanceEvents(db, id), now: Date.now() });
    const names = await namesOf(db, attendees.map((a) => a.userId));
    const visible = report.attendees.filter((a) => me.role !== "student" || a.role === "tutor" || a.userId === me.id);
    const view: AttendanceView = {
      bookingId: id,
      start: booking.start,
      end: booking.end,
      status: booking.status,
      decided: report.decided,
      noShows: report.noShows.filter((u) => visible.some((a) => a.userId === u)),
      attendees: visible.map((a) => ({
        userId: a.userId,
        name: names.get(a.userId) ?? "",
        role: a.role,
        status: a.status,
        firstJoinedAt: a.firstJoinedAt === null ? null : iso(a.firstJoinedAt),
        minutesPresent: Math.round(a.presentMs / 60_000),
        inRoom: a.inRoom,
        visits: a.visits.map((v) => ({ joinedAt: iso(v.joinedAt), leftAt: v.leftAt === null ? null : iso(v.leftAt) })),
      })),
    };
    return c.json({ attendance: view }, 200);
  });
