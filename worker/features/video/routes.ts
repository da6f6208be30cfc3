import { z } from "zod";
import { type AttendanceView, type JoinData, type SessionRecord, SessionSummaryInputSchema } from "../../../domain/schemas/video";
import { decideJoin } from "../../../domain/video/access";
import { summarizeAttendance } from "../../../domain/video/attendance";
import { joinWindow } from "../../../domain/video/window";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { realtimeConfig, turnConfig, videoPlan } from "../../../platform/integrations/realtime/config";
import { type IceServer, TurnError, mintIceServers } from "../../../platform/integrations/realtime/turn";
import { log } from "../../../platform/log";
import { ApiError, notFound } from "../../lib/errors";
import { calendarOf, roomOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentSessionId, currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { sessionIsLive } from "../auth/session";
import { assertSameOriginUpgrade } from "../../middleware/origin";
import { unwrap } from "../bookings/outcome";
import { attendanceEvents, namesOf, recordsFor } from "./repo";
import { canSeeRoom, loadRoomSession } from "./session";

const IdParam = z.object({ id: z.string().min(1).max(100) });
const iso = (ms: number) => new Date(ms).toISOString();
/** TURN credentials outlive the room by this much, so a call that runs to the room's last minute keeps its relay. */
const TURN_MARGIN_S = 15 * 60;

/**
 * The ICE servers of one peer-to-peer join: short-lived STUN and TURN credentials minted for this participant
 * with the TURN key, or none at all (host candidates only: local development works offline).
 */
async function iceServersFor(env: Env, turn: boolean, roomLeftSeconds: number): Promise<IceServer[]> {
  const config = turnConfig(env);
  if (!turn || !config) return [];
  try {
    return await mintIceServers(config, roomLeftSeconds + TURN_MARGIN_S);
  } catch (e) {
    if (!(e instanceof TurnError)) throw e;
    log.warn("TURN credentials failed", { status: e.status, error: e.message });
    throw new ApiError(503, "video_unavailable", "The video service is not reachable right now. Please try again in a moment.");
  }
}

/** Video sessions: entering a booking's room, its socket, ending it, and who attended. */
export const videoRoutes = newApp()
  /**
   * Admits one of the booking's participants inside its window, with the join data of the configured provider. What it
   * hands out (a RealtimeKit participant and token, TURN credentials) outlives the credential's 60 s, so it is given
   * only to a session the store still has: a suspended, deleted or signed-out device's cookies get no way back in.
   */
  .post("/bookings/:id/join", requireRole(), validate("param", IdParam), async (c) => {
    if (!(await sessionIsLive(c))) throw unauthenticated();
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { booking, session } = await loadRoomSession(c.env, id);
    const now = Date.now();
    const decision = decideJoin({ session, user: me, now });
    if (!decision.ok) throw new ApiError(403, decision.code, decision.message);
    const plan = videoPlan(c.env);
    if (!plan.ok) throw new ApiError(503, "video_not_configured", plan.message);
    const window = joinWindow(session);
    const [admitted, iceServers] = await Promise.all([
      roomOf(c.env, id).admit({
        booking: { id, tutorId: booking.tutorId, subject: booking.subject, start: session.start, end: session.end },
        user: { id: me.id, name: me.name, role: decision.role },
        now,
        realtime: plan.provider === "realtimekit" ? realtimeConfig(c.env) : null,
      }),
      plan.provider === "p2p" ? iceServersFor(c.env, plan.turn, (window.closesAt - now) / 1000) : [],
    ]);
    if (!admitted.ok) throw new ApiError(admitted.code === "removed_from_session" ? 403 : 503, admitted.code, admitted.message);
    const { ticket, expiresAt, realtimekit } = admitted.value;
    const common = {
      role: decision.role,
      booking: { id, tutorId: booking.tutorId, subject: booking.subject, kind: booking.kind, start: booking.start, end: booking.end },
      window: { opensAt: iso(window.opensAt), closesAt: iso(window.closesAt) },
      room: { path: `/api/bookings/${encodeURIComponent(id)}/room`, ticket, expiresAt: iso(expiresAt) },
    };
    const data: JoinData = realtimekit ? { ...common, provider: "realtimekit", realtimekit } : { ...common, provider: "local", local: { iceServers, relay: iceServers.length > 0 } };
    return c.json(data, 200);
  })
  /** The room's WebSocket: presence, chat and signaling. The ticket from the join route is checked by the room. */
  .get("/bookings/:id/room", requireRole(), validate("param", IdParam), async (c) => {
    assertSameOriginUpgrade(c);
    // A socket outlives the credential's 60 s: it opens only for a session the store still has.
    if (!(await sessionIsLive(c))) throw unauthenticated();
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
  })
  /** The tutor writes (or edits) the session's summary and homework once it has started; students are told once. */
  .put("/bookings/:id/summary", requireRole("tutor"), validate("param", IdParam), validate("json", SessionSummaryInputSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { booking, session } = await loadRoomSession(c.env, id);
    if (booking.tutorId !== me.id) throw notFound("That booking");
    const now = Date.now();
    if (booking.status === "cancelled") throw new ApiError(409, "session_cancelled", "This session was cancelled, so it has no summary.");
    if (session.start > now) throw new ApiError(409, "session_not_started", "You can write the summary once the session has started.");
    const input = c.req.valid("json");
    const saved = await roomOf(c.env, id).saveSummary({
      booking: { id, tutorId: booking.tutorId, subject: booking.subject, start: session.start, end: session.end },
      summary: input.summary,
      homework: input.homework,
      tutorName: me.name,
      studentIds: booking.studentIds,
      now,
    });
    return c.json({ summary: saved.summary }, 200);
  })
  /** Everything the session left behind (summary, notes, whiteboard pages), for its tutor, students and admins. */
  .get("/bookings/:id/record", requireRole(), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const { session } = await loadRoomSession(c.env, id);
    if (!canSeeRoom(session, me)) throw new ApiError(403, "not_a_participant", "Only the tutor and students of this session can see what it left behind.");
    const record: SessionRecord = await roomOf(c.env, id).record();
    return c.json({ record: { ...record, bookingId: id } }, 200);
  })
  /** Summaries and what else the caller's sessions left behind, for My sessions. */
  .get("/session-records", requireRole("student", "tutor"), async (c) => {
    return c.json({ records: await recordsFor(getDb(c.env), currentUser(c)) }, 200);
  });
