import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { SessionRecord, SessionSummary } from "../domain/schemas/video";
import {
  type ChatMessage,
  type MediaState,
  type Peer,
  PeerIdSchema,
  PeerSchema,
  ROOM_CLOSE,
  ROOM_MESSAGE_MAX_BYTES,
  type RoomClientMessage,
  RoomClientMessageSchema,
  type RoomServerMessage,
  unreachable,
} from "../domain/video/protocol";
import type { WbItem } from "../domain/video/whiteboard";
import { joinWindow } from "../domain/video/window";
import { getDb } from "../platform/db/client";
import { sessionAttendance } from "../platform/db/schema";
import { RealtimeKitError } from "../platform/integrations/realtime/client";
import { RealtimeConfigSchema, realtimeConfig } from "../platform/integrations/realtime/config";
import { log } from "../platform/log";
import { acceptSocket, admitMessage, saveSocketData, socketData } from "./lib/socketLimits";
import { Mutex } from "./lib/mutex";
import { NotesPad } from "./room/notes";
import { type RealtimeJoin, realtimeJoin } from "./room/realtimeJoin";
import { endMeeting, removeFromMeeting } from "./room/realtimeRemove";
import { DELETED_USER_NAME, chatExpiresAt } from "./room/chat";
import { SessionSummarySchema, projectRecord, sendSummaryNotice } from "./room/record";
import { type AttendanceRow, type ChatRow, ROOM_DDL, type RtkParticipantRow, type TicketRow } from "./room/storage";
import { type BoardChange, Whiteboard } from "./room/whiteboard";

/** A ticket admits one socket, once, within this time of being issued. */
export const TICKET_TTL_MS = 2 * 60_000;
const CHAT_HISTORY = 100;
const RETRY_MS = 5_000;
/** Notes and board counts reach D1 this long after the last change (typing is not written per keystroke). */
const RECORD_DEBOUNCE_MS = 3_000;
/** The whiteboard reaches a newcomer in parts of at most this many items and bytes (messages stay well under 1 MiB). */
const BOARD_CHUNK = 400;
const BOARD_CHUNK_BYTES = 256 * 1024;

const Id = z.string().min(1).max(100);
const Instant = z.number().int().positive();
const BookingFactsSchema = z.object({
  id: Id,
  tutorId: Id,
  subject: z.string().min(1).max(60),
  start: Instant,
  end: Instant,
});
type BookingFacts = z.infer<typeof BookingFactsSchema>;
const AdmitSchema = z.object({
  booking: BookingFactsSchema,
  user: z.object({ id: Id, name: z.string().min(1).max(200), role: z.enum(["host", "participant"]) }),
  now: Instant,
  /** RealtimeKit settings when that provider is on; null for peer-to-peer. */
  realtime: RealtimeConfigSchema.nullable(),
});
/**
 * `session_cancelled`: the whole booking was cancelled while its room was open (not one seat of a group that goes on).
 * `session_moved`: it was moved to `movedTo` while the room of its old time was open.
 */
const EndSchema = z.discriminatedUnion("reason", [
  z.object({ reason: z.enum(["ended_by_tutor", "room_closed", "session_cancelled"]), now: Instant }),
  z.object({ reason: z.literal("session_moved"), now: Instant, movedTo: z.object({ start: Instant, end: Instant }) }),
]);
const SeatsSchema = z.number().int().positive();
const DisconnectSchema = z.object({ userId: Id, sessionId: Id.optional(), now: Instant });
const ForgetSchema = z.object({ userId: Id });
const RevokeSchema = z.object({ userId: Id, reason: z.enum(["removed_by_tutor", "seat_cancelled"]), now: Instant });
const SaveSummarySchema = z.object({
  booking: BookingFactsSchema,
  summary: z.string().min(1).max(2_000),
  homework: z.string().max(2_000),
  tutorName: z.string().min(1).max(200),
  studentIds: z.array(Id).max(8),
  now: Instant,
});

/** One of a user's own chat lines (their data export). */
export type OwnChatLine = { id: string; name: string; text: string; at: string };

export type Admission = { ticket: string; expiresAt: number; realtimekit: RealtimeJoin | null };
export type AdmitOutcome = { ok: true; value: Admission } | { ok: false; code: "video_unavailable" | "removed_from_session"; message: string };

/** What each accepted socket carries across hibernation. `socketId` names the visit in attendance. */
type Attachment = Peer & { socketId: string; left?: boolean };

/**
 * One per booking: the session's room. It admits only sockets presenting a ticket the join route issued (single
 * use, two minutes), relays WebRTC signaling between peers, carries chat, the shared whiteboard and notes (kept
 * here, replayed to latecomers, projected to D1 with the booking), lets the tutor mute or remove a participant,
 * records every join and leave (projected to D1 for attendance), and owns the booking's RealtimeKit meeting,
 * created under a lock so two first joins cannot create two. Sockets hibernate between messages.
 */
export class SessionRoom extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly realtimeLock = new Mutex();
  private readonly board: Whiteboard;
  private readonly notes: NotesPad;
  private flushing: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of ROOM_DDL) this.sql.exec(ddl);
    this.board = new Whiteboard(this.sql, () => ({ tutorId: this.booking()?.tutorId ?? null, seats: Number(this.meta("seats") ?? 1) }));
    this.notes = new NotesPad(this.sql, { get: (k) => this.meta(k), set: (k, v) => this.setMeta(k, v) });
  }

  // ───────────────────────── admission ─────────────────────────

  /**
   * Issues a ticket for `user` (the join route has already checked who and when) and, with RealtimeKit on,
   * their meeting participant and token. Someone removed from the session gets nothing.
   */
  async admit(input: z.input<typeof AdmitSchema>): Promise<AdmitOutcome> {
    const a = AdmitSchema.parse(input);
    this.saveBooking(a.booking);
    const removed = this.removal(a.user.id);
    if (removed) return { ok: false, code: "removed_from_session", message: removedMessage(removed) };
    await this.learnSeats(a.booking);
    let realtimekit: RealtimeJoin | null = null;
    if (a.realtime) {
      const config = a.realtime;
      try {
        realtimekit = await this.realtimeLock.run(async () => {
          // Their old participant (they signed out mid-call, say) must be gone first: a kick sent later would throw
          // out the one this join creates.
          await this.sendRealtimeRemovals(a.user.id);
          if (this.sql.exec("SELECT 1 FROM rtk_removals WHERE user_id = ?", a.user.id).toArray().length) return null;
          return realtimeJoin(config, this.realtimeStore(), { title: `Tutorly · ${a.booking.subject} · ${a.booking.id}`, user: a.user });
        });
      } catch (e) {
        if (!(e instanceof RealtimeKitError)) throw e;
        log.warn("realtimekit join failed", { bookingId: a.booking.id, status: e.status, error: e.message });
        return { ok: false, code: "video_unavailable", message: VIDEO_UNAVAILABLE };
      }
      if (!realtimekit) return { ok: false, code: "video_unavailable", message: VIDEO_UNAVAILABLE };
    }
    const ticket = randomToken();
    const expiresAt = a.now + TICKET_TTL_MS;
    this.sql.exec("DELETE FROM tickets WHERE expires_ms < ?", a.now);
    this.sql.exec("INSERT INTO tickets (ticket, user_id, name, role, expires_ms) VALUES (?, ?, ?, ?, ?)", ticket, a.user.id, a.user.name, a.user.role, expiresAt);
    await this.scheduleAlarm(joinWindow(a.booking).closesAt);
    return { ok: true, value: { ticket, expiresAt, realtimekit } };
  }

  /**
   * How many students the session seats (1 for a 1:1), asked of its tutor's calendar once: each student's share of
   * the whiteboard follows it. Until the calendar answers, the room counts it a 1:1 (asked again at the next admit).
   */
  private async learnSeats(booking: BookingFacts) {
    if (this.meta("seats")) return;
    try {
      const found = await this.env.TUTOR_CALENDAR.get(this.env.TUTOR_CALENDAR.idFromName(booking.tutorId)).getSession(booking.id);
      const seats = SeatsSchema.safeParse(found?.booking.seats);
      if (seats.success) this.setMeta("seats", String(seats.data));
    } catch (e) {
      log.warn("room could not read the session's seats; will ask again", { bookingId: booking.id, error: String(e) });
    }
  }

  private realtimeStore() {
    return {
      meeting: () => this.meeting(),
      saveMeeting: (meetingId: string, appId: string) => {
        this.setMeta("rtk_meeting_id", meetingId);
        this.setMeta("rtk_app_id", appId);
        this.sql.exec("DELETE FROM rtk_participants");
      },
      participant: (userId: string) => this.sql.exec<RtkParticipantRow>("SELECT * FROM rtk_participants WHERE user_id = ?", userId).toArray()[0] ?? null,
      saveParticipant: (row: RtkParticipantRow) => {
        this.sql.exec(
          "INSERT INTO rtk_participants (user_id, participant_id, preset) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET participant_id = excluded.participant_id, preset = excluded.preset",
          row.user_id,
          row.participant_id,
          row.preset,
        );
      },
    };
  }

  /**
   * The socket upgrade, forwarded by the Worker with the signed-in user's id in `X-Tutorly-User`. A tab that
   * reconnects passes `peer` (its previous peer id) to keep its place in the others' media connections.
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return refuse(426, "upgrade_required", "This endpoint speaks WebSocket.");
    const now = Date.now();
    const url = new URL(request.url);
    const ticket = url.searchParams.get("ticket") ?? "";
    const userId = request.headers.get("X-Tutorly-User") ?? "";
    const sessionId = request.headers.get("X-Tutorly-Session") ?? "";
    const row = this.sql.exec<TicketRow>("SELECT * FROM tickets WHERE ticket = ?", ticket).toArray()[0];
    if (!row || row.user_id !== userId || row.expires_ms < now) {
      return refuse(403, "invalid_ticket", "Join the session again: this room ticket is not valid (or was already used).");
    }
    if (this.meta("ended")) return refuse(403, "session_ended", "This session has ended.");
    if (this.closed(now)) return refuse(403, "session_ended", "This session's room has closed.");
    const removed = this.removal(userId);
    if (removed) return refuse(403, "removed_from_session", removedMessage(removed));
    this.sql.exec("DELETE FROM tickets WHERE ticket = ?", ticket);
    const peerId = this.peerIdFor(userId, url.searchParams.get("peer"));

    // One socket per user: a second tab takes over from the first; the same tab coming back replaces its old socket quietly.
    for (const old of this.ctx.getWebSockets(userId)) {
      const sameTab = attachmentOf(old)?.peerId === peerId;
      if (!sameTab) this.send(old, { type: "replaced" });
      this.depart(old, now, sameTab ? "silent" : "left");
      safeClose(old, ROOM_CLOSE.replaced, sameTab ? "Reconnected" : "Joined from another tab");
    }

    const { 0: client, 1: server } = new WebSocketPair();
    const self: Attachment = { peerId, socketId: crypto.randomUUID(), userId, name: row.name, role: row.role, audio: false, video: false, screen: false };
    // Tagged by user and by sign-in session, so signing out (one device or all) can close them.
    acceptSocket(this.ctx, server, sessionId ? [userId, `session:${sessionId}`] : [userId], self, now);
    const booking = this.booking();
    this.send(server, {
      type: "welcome",
      self: peerOf(self),
      peers: this.peers().filter((p) => p.peerId !== self.peerId),
      chat: this.chatHistory(),
      session: { bookingId: booking?.id ?? "", start: iso(booking?.start ?? 0), end: iso(booking?.end ?? 0) },
    });
    this.sendBoard(server);
    this.send(server, { type: "notes.state", notes: this.notes.state(userId) });
    this.broadcast({ type: "peer.joined", peer: peerOf(self) }, self.peerId);
    this.recordAttendance(self, "join", now);
    await this.flushAttendance();
    return new Response(null, { status: 101, webSocket: client });
  }

  /** The peer id a tab asked for when it is its user's (or new), otherwise a fresh one. */
  private peerIdFor(userId: string, asked: string | null): string {
    if (asked && PeerIdSchema.safeParse(asked).success && /^[\w-]+$/.test(asked)) {
      const owner = this.sql.exec<{ user_id: string }>("SELECT user_id FROM peer_ids WHERE peer_id = ?", asked).toArray()[0];
      if (owner?.user_id === userId) return asked;
    }
    const fresh = crypto.randomUUID();
    this.sql.exec("INSERT INTO peer_ids (peer_id, user_id) VALUES (?, ?)", fresh, userId);
    return fresh;
  }

  private sendBoard(ws: WebSocket) {
    const { pages, items } = this.board.state();
    let part: WbItem[] = [];
    let bytes = 0;
    for (const item of items) {
      const size = JSON.stringify(item).length;
      if (part.length && (part.length >= BOARD_CHUNK || bytes + size > BOARD_CHUNK_BYTES)) {
        this.send(ws, { type: "wb.state", pages, items: part, last: false });
        part = [];
        bytes = 0;
      }
      part.push(item);
      bytes += size;
    }
    this.send(ws, { type: "wb.state", pages, items: part, last: true });
  }

  // ───────────────────────── messages ─────────────────────────

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const me = attachmentOf(ws);
    if (!me || me.left) return;
    // Size first, then a rate a WebRTC negotiation never reaches (bursts of ICE candidates to 7 peers fit).
    if (!admitMessage(ws, raw, { maxBytes: ROOM_MESSAGE_MAX_BYTES, perWindow: 400, windowMs: 10_000 })) return;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return safeClose(ws, ROOM_CLOSE.invalidMessage, "Invalid JSON");
    }
    const parsed = RoomClientMessageSchema.safeParse(json);
    if (!parsed.success) return safeClose(ws, ROOM_CLOSE.invalidMessage, "Unknown message");
    const msg = parsed.data;
    switch (msg.type) {
      case "ping":
        this.send(ws, { type: "pong", at: new Date().toISOString() });
        return;
      case "signal": {
        const target = this.sockets().find((s) => attachmentOf(s)?.peerId === msg.to);
        if (!target) return this.send(ws, { type: "error", code: "peer_gone", message: "That participant has left." });
        this.send(target, { type: "signal", from: me.peerId, signal: msg.signal });
        return;
      }
      case "chat": {
        const message: ChatMessage = { id: crypto.randomUUID(), userId: me.userId, name: me.name, text: msg.text, at: new Date().toISOString() };
        this.sql.exec("INSERT INTO chat (id, user_id, name, text, at_ms) VALUES (?, ?, ?, ?, ?)", message.id, message.userId, message.name, message.text, Date.parse(message.at));
        this.broadcast({ type: "chat", message });
        return;
      }
      case "media": {
        const next: Attachment = { ...me, ...msg.state };
        saveSocketData(ws, next);
        this.broadcast({ type: "peer.media", peerId: me.peerId, state: mediaOf(next) }, me.peerId);
        return;
      }
      case "leave":
        this.depart(ws, Date.now(), "left");
        safeClose(ws, 1000, "Left the session");
        await this.flushAttendance();
        return;
      case "wb.draft":
        this.broadcast({ type: "wb.draft", from: me.peerId, draft: msg.draft }, me.peerId);
        return;
      case "wb.add":
      case "wb.erase":
      case "wb.undo":
      case "wb.page.add":
        return this.changeBoard(ws, me, msg);
      case "notes.edit": {
        const outcome = this.notes.edit(me.userId, msg);
        if (!outcome.ok || outcome.duplicate) {
          if (!outcome.ok) this.send(ws, { type: "error", code: outcome.code, message: outcome.message });
          return this.send(ws, { type: "notes.state", notes: this.notes.state(me.userId) });
        }
        this.send(ws, { type: "notes.ack", opId: msg.opId, rev: outcome.rev });
        this.broadcast({ type: "notes.edit", rev: outcome.rev, op: outcome.op, by: me.userId }, me.peerId);
        return this.recordChanged();
      }
      case "notes.format":
        this.notes.setFormat(msg.format);
        this.broadcast({ type: "notes.format", format: msg.format });
        return this.recordChanged();
      case "moderate":
        return this.moderate(ws, me, msg);
      default:
        unreachable(msg);
    }
  }

  private async changeBoard(ws: WebSocket, me: Attachment, msg: Extract<RoomClientMessage, { type: `wb.${string}` }>) {
    let change: BoardChange;
    switch (msg.type) {
      case "wb.add":
        change = this.board.add(msg.item, me.userId);
        break;
      case "wb.erase":
        change = this.board.erase(msg.ids, me.userId);
        break;
      case "wb.undo":
        change = this.board.undo(me.userId);
        break;
      case "wb.page.add":
        change = this.board.addPage();
        break;
      default:
        return;
    }
    if (!change.ok) return this.send(ws, { type: "error", code: change.code, message: change.message });
    switch (change.kind) {
      case "added":
        this.broadcast({ type: "wb.added", item: change.item, by: me.userId });
        break;
      case "removed":
        this.broadcast({ type: "wb.removed", ids: change.ids });
        break;
      case "restored":
        this.broadcast({ type: "wb.restored", items: change.items });
        break;
      case "pages":
        this.broadcast({ type: "wb.pages", pages: change.pages });
        break;
      case "none":
        return;
    }
    await this.recordChanged();
  }

  /** The tutor's controls: mute someone's microphone (they may unmute), or remove them from the session. */
  private async moderate(ws: WebSocket, me: Attachment, msg: Extract<RoomClientMessage, { type: "moderate" }>) {
    if (me.role !== "host") return this.send(ws, { type: "error", code: "not_host", message: "Only the tutor can do that." });
    if (msg.userId === me.userId) return this.send(ws, { type: "error", code: "not_yourself", message: "Use your own controls for that." });
    const targets = this.ctx.getWebSockets(msg.userId).filter((s) => !attachmentOf(s)?.left);
    if (msg.action === "mute") {
      if (!targets.length) return this.send(ws, { type: "error", code: "peer_gone", message: "That participant has left." });
      for (const t of targets) this.send(t, { type: "muted", by: me.name });
      return;
    }
    // A removal is for good, so only someone in the room now can be removed: a student who has not come (yet)
    // must not be locked out of a session they paid for, and then be counted as a no-show.
    if (!targets.length) return this.send(ws, { type: "error", code: "not_in_room", message: "That participant is not in the room." });
    await this.revoke({ userId: msg.userId, reason: "removed_by_tutor", now: Date.now() });
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.depart(ws, Date.now(), "dropped");
    safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, "closing");
    await this.flushAttendance();
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.depart(ws, Date.now(), "dropped");
    await this.flushAttendance();
  }

  /**
   * Records a socket's leave and tells the others, once per socket: `dropped` (the connection was lost, the tab
   * may come back), `left`, or `silent` (the same tab reconnected: nobody needs to know).
   */
  private depart(ws: WebSocket, now: number, how: "left" | "dropped" | "silent") {
    const me = attachmentOf(ws);
    if (!me || me.left) return;
    try {
      saveSocketData(ws, { ...me, left: true } satisfies Attachment);
    } catch {
      /* the socket is already gone; the leave below still counts */
    }
    if (how !== "silent") this.broadcast({ type: "peer.left", peerId: me.peerId, reason: how }, me.peerId);
    this.recordAttendance(me, "leave", now);
  }

  // ───────────────────────── removal ─────────────────────────

  /**
   * Takes a user out of this session: the tutor removed them (for good, and what they drew goes from the whiteboard),
   * or their seat was cancelled. Their sockets are told and closed, their tickets dropped, and their RealtimeKit
   * participant (if the meeting has one) deleted and disconnected, retried by the alarm until RealtimeKit confirms.
   */
  async revoke(input: z.input<typeof RevokeSchema>): Promise<{ disconnected: number }> {
    const a = RevokeSchema.parse(input);
    // A cancelled seat already keeps them out (the join route admits confirmed students only), and a seat
    // booked again must let them back in; a removal by the tutor is remembered here.
    if (a.reason === "removed_by_tutor") {
      this.sql.exec("INSERT INTO removed (user_id, reason, at_ms) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING", a.userId, a.reason, a.now);
    }
    this.sql.exec("DELETE FROM tickets WHERE user_id = ?", a.userId);
    const sockets = this.ctx.getWebSockets(a.userId).filter((s) => !attachmentOf(s)?.left);
    for (const ws of sockets) {
      this.send(ws, { type: "removed", reason: a.reason });
      this.depart(ws, a.now, "left");
      safeClose(ws, ROOM_CLOSE.removed, "Removed from the session");
    }
    // What someone the tutor removed drew leaves the board with them (they cannot come back to undo or erase it, and
    // it would keep taking the class's room); the others see it go as an erase.
    const board = a.reason === "removed_by_tutor" ? this.board.removeAuthor(a.userId) : null;
    if (board?.ok && board.kind === "removed") {
      this.broadcast({ type: "wb.removed", ids: board.ids });
      await this.recordChanged();
    }
    this.queueRealtimeRemoval(a.userId);
    await Promise.all([this.flushAttendance(), this.flushRealtimeRemovals()]);
    return { disconnected: sockets.length };
  }

  /**
   * Moves a user's RealtimeKit participant (if the meeting has one) to the removals outbox: deleted there, its
   * token stops working, and the user is kicked from the live session. A later join adds them afresh.
   */
  private queueRealtimeRemoval(userId: string) {
    const meeting = this.meeting();
    const participant = this.sql.exec<RtkParticipantRow>("SELECT * FROM rtk_participants WHERE user_id = ?", userId).toArray()[0];
    if (!meeting || !participant) return;
    this.sql.exec(
      "INSERT INTO rtk_removals (user_id, meeting_id, participant_id) VALUES (?, ?, ?) ON CONFLICT (user_id) DO NOTHING",
      userId,
      meeting.meetingId,
      participant.participant_id,
    );
    this.sql.exec("DELETE FROM rtk_participants WHERE user_id = ?", userId);
  }

  private removal(userId: string): "removed_by_tutor" | "seat_cancelled" | null {
    const reason = this.sql.exec<{ reason: string }>("SELECT reason FROM removed WHERE user_id = ?", userId).toArray()[0]?.reason;
    return reason === "removed_by_tutor" || reason === "seat_cancelled" ? reason : null;
  }

  /**
   * Sends the queued removals to RealtimeKit, under the lock joins take: a removal's kick (by user) running after
   * that user joined again would throw out their new participant.
   */
  private flushRealtimeRemovals(): Promise<void> {
    return this.realtimeLock.run(() => this.sendRealtimeRemovals());
  }

  /** The body of `flushRealtimeRemovals` (of one user's removal only, with `userId`), for callers holding the lock. */
  private async sendRealtimeRemovals(userId?: string): Promise<void> {
    const rows = this.sql
      .exec<{ user_id: string; meeting_id: string; participant_id: string; attempts: number }>("SELECT * FROM rtk_removals")
      .toArray()
      .filter((r) => userId === undefined || r.user_id === userId);
    if (!rows.length) return;
    const config = realtimeConfig(this.env);
    for (const row of rows) {
      if (!config) {
        log.warn("cannot remove a RealtimeKit participant: RealtimeKit credentials are not configured", { bookingId: this.booking()?.id, userId: row.user_id });
        this.sql.exec("DELETE FROM rtk_removals WHERE user_id = ?", row.user_id);
        continue;
      }
      try {
        await removeFromMeeting(config, row);
        this.sql.exec("DELETE FROM rtk_removals WHERE user_id = ?", row.user_id);
      } catch (e) {
        log.warn("RealtimeKit removal failed; will retry", { bookingId: this.booking()?.id, userId: row.user_id, error: String(e) });
        this.sql.exec("UPDATE rtk_removals SET attempts = attempts + 1 WHERE user_id = ?", row.user_id);
        await this.scheduleAlarm(Date.now() + RETRY_MS);
      }
    }
  }

  // ───────────────────────── ending ─────────────────────────

  /**
   * Ends the room: everyone is told why and disconnected; when the tutor ended it or the session was cancelled,
   * nobody can come back (not even with a ticket issued just before). Every RealtimeKit participant is deleted
   * (their tokens stop working; retried by the alarm) and kicked. A cancelled session's room closes at the cancel,
   * not when its window would have: its students hear that their seat went, its tutor that the room closed.
   * Ending a cancelled room again (one call per lost seat) changes nothing.
   *
   * A session moved while the room of its old time was open is not over: everyone is told the new times and
   * disconnected, every ticket issued before goes (the join route admits again only inside the new time's window),
   * and the room keeps the new times at once (each admit refreshes them too), its chat, notes and board with them.
   */
  async end(input: z.input<typeof EndSchema>): Promise<{ disconnected: number }> {
    const a = EndSchema.parse(input);
    const cancelled = a.reason === "session_cancelled";
    if ((cancelled || a.reason === "session_moved") && this.meta("ended")) return { disconnected: 0 };
    const movedTo = a.reason === "session_moved" ? a.movedTo : null;
    if (movedTo) this.moveTo(movedTo);
    else if (a.reason !== "room_closed") this.setMeta("ended", String(a.now));
    else this.markClosed(a.now);
    // The room's protocol says "closed" for a cancelled session (its tutor is told of the cancel itself).
    const said = a.reason === "session_cancelled" ? "room_closed" : a.reason;
    const sockets = this.sockets();
    for (const ws of sockets) {
      const seatGone = cancelled && attachmentOf(ws)?.role !== "host";
      this.send(
        ws,
        seatGone
          ? { type: "removed", reason: "seat_cancelled" }
          : { type: "ended", reason: said, at: iso(a.now), ...(movedTo ? { movedTo: { start: iso(movedTo.start), end: iso(movedTo.end) } } : {}) },
      );
      this.depart(ws, a.now, "left");
      safeClose(ws, seatGone ? ROOM_CLOSE.removed : ROOM_CLOSE.ended, seatGone ? "Removed from the session" : movedTo ? "Session moved" : "Session ended");
    }
    const meeting = this.meeting();
    const config = realtimeConfig(this.env);
    for (const { user_id } of this.sql.exec<{ user_id: string }>("SELECT user_id FROM rtk_participants").toArray()) this.queueRealtimeRemoval(user_id);
    await this.flushRealtimeRemovals();
    if (meeting && config) {
      // Clients leave on `ended` too; this also disconnects a tab whose room socket was down at that moment.
      await endMeeting(config, meeting.meetingId).catch((e: unknown) => log.warn("RealtimeKit kick-all failed", { bookingId: this.booking()?.id, error: String(e) }));
    }
    await Promise.all([this.flushAttendance(), this.flushRecord()]);
    return { disconnected: sockets.length };
  }

  /**
   * The room closed at the end of its window: a ticket issued in its last minutes must not open it afterwards (no
   * socket would ever close it). The mark names the window that closed, so a session moved to a later time (or whose
   * times an admit refreshed) opens again for its new window.
   */
  private markClosed(now: number) {
    const booking = this.booking();
    this.setMeta("closed", String(booking ? joinWindow(booking).closesAt : now));
  }

  /**
   * Whether the room is closed: its window is over (also when nobody was in to be closed out), or it closed and the
   * window it closed at is still the session's (see `markClosed`).
   */
  private closed(now: number): boolean {
    const mark = Number(this.meta("closed") ?? 0);
    const booking = this.booking();
    const closesAt = booking ? joinWindow(booking).closesAt : null;
    if (closesAt !== null && now >= closesAt) return true;
    return mark > 0 && (closesAt === null || closesAt <= mark);
  }

  /** The session now runs at `times`: tickets of the old time stop working, and the room keeps the new times. */
  private moveTo(times: { start: number; end: number }) {
    this.sql.exec("DELETE FROM tickets");
    const booking = this.booking();
    if (booking) this.setMeta("booking", JSON.stringify({ ...booking, ...times }));
  }

  /**
   * A user signed out (this device: `sessionId`), or all their sign-ins ended (suspension, deletion, signing out
   * everywhere, a new password): their sockets close at once, and their RealtimeKit participant is deleted and
   * kicked (its token would otherwise keep them in the call). One device signing out takes the participant only
   * when that device was the one in the room (a user holds one room socket), so a phone signing out leaves the
   * laptop's call alone. Signed in again, a join adds them afresh.
   */
  async disconnect(input: z.input<typeof DisconnectSchema>): Promise<{ disconnected: number }> {
    const a = DisconnectSchema.parse(input);
    const sockets = this.ctx.getWebSockets(a.sessionId ? `session:${a.sessionId}` : a.userId).filter((ws) => attachmentOf(ws)?.userId === a.userId);
    const inRoom = sockets.some((ws) => !attachmentOf(ws)?.left);
    for (const ws of sockets) {
      this.depart(ws, a.now, "left");
      safeClose(ws, ROOM_CLOSE.signedOut, "Signed out");
    }
    if (!a.sessionId || inRoom) this.queueRealtimeRemoval(a.userId);
    await Promise.all([this.flushAttendance(), this.flushRealtimeRemovals()]);
    return { disconnected: sockets.length };
  }

  /**
   * Closes the room when its join window is over, deletes its chat once that is past retention
   * (room/chat.ts), and retries what D1, RealtimeKit or email have not taken yet.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const booking = this.booking();
    const closesAt = booking ? joinWindow(booking).closesAt : null;
    const participants = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM rtk_participants").one().n;
    if (closesAt !== null && now >= closesAt && (this.sockets().length || participants)) await this.end({ reason: "room_closed", now });
    await Promise.all([this.flushAttendance(), this.flushRealtimeRemovals(), this.flushSummaryNotices()]);
    const recordDue = Number(this.meta("record_due") ?? 0);
    if (recordDue && recordDue <= now) await this.flushRecord();
    const chatDue = closesAt === null ? null : chatExpiresAt(closesAt);
    if (chatDue !== null && chatDue <= now) this.sql.exec("DELETE FROM chat");
    const chatLeft = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM chat").one().n > 0;
    const pending =
      this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM attendance WHERE projected = 0").one().n +
      this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM rtk_removals").one().n +
      this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM summary_notices").one().n;
    const due = Number(this.meta("record_due") ?? 0);
    const next = [
      pending ? now + RETRY_MS : null,
      due ? Math.max(due, now + 100) : null,
      closesAt !== null && closesAt > now ? closesAt : null,
      chatLeft && chatDue !== null && chatDue > now ? chatDue : null,
    ].filter((t): t is number => t !== null);
    if (next.length) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  // ───────────────────────── a user's data ─────────────────────────

  /**
   * The user deleted their account: their chat lines stay in place (the others' replies keep their sense) but
   * say nothing and name nobody, and any ticket they hold (which carries their name) goes.
   */
  forget(input: z.input<typeof ForgetSchema>): void {
    const a = ForgetSchema.parse(input);
    this.sql.exec("UPDATE chat SET name = ?, text = '' WHERE user_id = ?", DELETED_USER_NAME, a.userId);
    this.sql.exec("DELETE FROM tickets WHERE user_id = ?", a.userId);
  }

  /** What the user said in this room's chat, oldest first (their data export). */
  chatBy(input: z.input<typeof ForgetSchema>): OwnChatLine[] {
    const a = ForgetSchema.parse(input);
    return this.sql
      .exec<ChatRow>("SELECT * FROM chat WHERE user_id = ? ORDER BY at_ms", a.userId)
      .toArray()
      .map((r) => ({ id: r.id, name: r.name, text: r.text, at: iso(r.at_ms) }));
  }

  // ───────────────────────── the record: notes, board, summary ─────────────────────────

  /** Everything the session left behind (for the record route and downloads). */
  record(): SessionRecord {
    const whiteboard = this.board.state();
    if (whiteboard.truncated) log.warn("session record: whiteboard cut to its read limit", { bookingId: this.booking()?.id, items: whiteboard.items.length });
    return {
      bookingId: this.booking()?.id ?? "",
      summary: this.summary(),
      notes: { text: this.notes.text(), format: this.notes.format() },
      whiteboard,
    };
  }

  /**
   * The tutor's summary and homework, kept with the booking. The first one tells each student (inbox and email,
   * retried by the alarm until sent); later edits only update it.
   */
  async saveSummary(input: z.input<typeof SaveSummarySchema>): Promise<{ summary: SessionSummary; first: boolean }> {
    const a = SaveSummarySchema.parse(input);
    this.saveBooking(a.booking);
    const previous = this.summary();
    const at = iso(a.now);
    const summary: SessionSummary = { summary: a.summary, homework: a.homework, writtenAt: previous?.writtenAt ?? at, updatedAt: at };
    this.setMeta("summary", JSON.stringify(summary));
    this.setMeta("tutor_name", a.tutorName);
    if (!previous) for (const id of a.studentIds) this.sql.exec("INSERT INTO summary_notices (user_id) VALUES (?) ON CONFLICT (user_id) DO NOTHING", id);
    this.bumpVersion();
    await Promise.all([this.flushRecord(), this.flushSummaryNotices()]);
    return { summary, first: !previous };
  }

  private summary(): SessionSummary | null {
    const raw = this.meta("summary");
    return raw ? SessionSummarySchema.parse(JSON.parse(raw)) : null;
  }

  private bumpVersion() {
    this.setMeta("record_version", String(Number(this.meta("record_version") ?? 0) + 1));
  }

  /** Notes or the board changed: D1 gets the new record a moment after the last change. */
  private async recordChanged() {
    this.bumpVersion();
    if (!this.meta("record_due")) {
      const due = Date.now() + RECORD_DEBOUNCE_MS;
      this.setMeta("record_due", String(due));
      await this.scheduleAlarm(due);
    }
  }

  private async flushRecord(): Promise<void> {
    const booking = this.booking();
    if (!booking) return;
    const version = Number(this.meta("record_version") ?? 0);
    const counts = this.board.counts();
    try {
      await projectRecord(this.env, {
        bookingId: booking.id,
        tutorId: booking.tutorId,
        notes: this.notes.text(),
        notesFormat: this.notes.format(),
        summary: this.summary(),
        boardPages: counts.pages,
        boardItems: counts.items,
        version,
      });
      if (Number(this.meta("record_version") ?? 0) === version) this.sql.exec("DELETE FROM meta WHERE key = 'record_due'");
    } catch (e) {
      log.warn("session record projection failed; will retry", { bookingId: booking.id, error: String(e) });
      this.setMeta("record_due", String(Date.now() + RETRY_MS));
      await this.scheduleAlarm(Date.now() + RETRY_MS);
    }
  }

  private async flushSummaryNotices(): Promise<void> {
    const booking = this.booking();
    const summary = this.summary();
    const rows = this.sql.exec<{ user_id: string }>("SELECT user_id FROM summary_notices").toArray();
    if (!booking || !summary || !rows.length) return;
    for (const { user_id } of rows) {
      try {
        await sendSummaryNotice(this.env, { bookingId: booking.id, userId: user_id, subject: booking.subject, start: iso(booking.start), tutorName: this.meta("tutor_name") ?? "Your tutor", summary });
        this.sql.exec("DELETE FROM summary_notices WHERE user_id = ?", user_id);
      } catch (e) {
        log.warn("summary notice failed; will retry", { bookingId: booking.id, userId: user_id, error: String(e) });
        this.sql.exec("UPDATE summary_notices SET attempts = attempts + 1 WHERE user_id = ?", user_id);
        await this.scheduleAlarm(Date.now() + RETRY_MS);
      }
    }
  }

  // ───────────────────────── attendance ─────────────────────────

  private recordAttendance(peer: Attachment, kind: "join" | "leave", now: number) {
    const booking = this.booking();
    if (!booking) return;
    this.sql.exec(
      "INSERT INTO attendance (id, user_id, role, kind, connection_id, at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (connection_id, kind) DO NOTHING",
      `${peer.socketId}:${kind}`,
      peer.userId,
      peer.role === "host" ? "tutor" : "student",
      kind,
      peer.socketId,
      now,
    );
  }

  /**
   * Writes unprojected joins and leaves to D1 (idempotent by row id); one flush at a time. What D1 did not
   * take is retried by the alarm.
   */
  private flushAttendance(): Promise<void> {
    this.flushing ??= this.writeAttendance()
      .then(async () => {
        const pending = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM attendance WHERE projected = 0").one().n;
        if (pending) await this.scheduleAlarm(Date.now() + RETRY_MS);
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeAttendance(): Promise<void> {
    const booking = this.booking();
    if (!booking) return;
    for (;;) {
      // 14 rows of 7 values: one D1 statement binds at most 100, and a backlog (D1 was down a while) drains in steps.
      const rows = this.sql.exec<AttendanceRow>("SELECT * FROM attendance WHERE projected = 0 ORDER BY at_ms LIMIT 14").toArray();
      if (!rows.length) return;
      try {
        await getDb(this.env)
          .insert(sessionAttendance)
          .values(rows.map((r) => ({ id: `${booking.id}:${r.id}`, bookingId: booking.id, userId: r.user_id, role: r.role, kind: r.kind, connectionId: r.connection_id, at: iso(r.at_ms) })))
          .onConflictDoNothing();
      } catch (e) {
        log.warn("attendance projection failed; will retry", { bookingId: booking.id, error: String(e) });
        return;
      }
      for (const r of rows) this.sql.exec("UPDATE attendance SET projected = 1 WHERE id = ?", r.id);
    }
  }

  // ───────────────────────── helpers ─────────────────────────

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }
  private setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }
  private meeting(): { meetingId: string; appId: string } | null {
    const meetingId = this.meta("rtk_meeting_id");
    const appId = this.meta("rtk_app_id");
    return meetingId && appId ? { meetingId, appId } : null;
  }
  private saveBooking(b: BookingFacts) {
    const known = this.booking();
    if (known && known.id !== b.id) throw new Error(`Room of ${known.id} addressed as ${b.id}`);
    this.setMeta("booking", JSON.stringify(b));
  }
  private booking(): BookingFacts | null {
    const raw = this.meta("booking");
    return raw ? BookingFactsSchema.parse(JSON.parse(raw)) : null;
  }

  private sockets(): WebSocket[] {
    return this.ctx.getWebSockets().filter((ws) => !attachmentOf(ws)?.left);
  }
  private peers(): Peer[] {
    return this.sockets()
      .map(attachmentOf)
      .filter((a): a is Attachment => !!a)
      .map(peerOf);
  }
  private chatHistory(): ChatMessage[] {
    return this.sql
      .exec<ChatRow>("SELECT * FROM (SELECT * FROM chat ORDER BY at_ms DESC LIMIT ?) ORDER BY at_ms", CHAT_HISTORY)
      .toArray()
      .map((r) => ({ id: r.id, userId: r.user_id, name: r.name, text: r.text, at: iso(r.at_ms) }));
  }

  private send(ws: WebSocket, message: RoomServerMessage) {
    try {
      ws.send(JSON.stringify(message));
    } catch {
      /* closing; its close handler records the leave */
    }
  }
  private broadcast(message: RoomServerMessage, exceptPeerId?: string) {
    for (const ws of this.sockets()) if (attachmentOf(ws)?.peerId !== exceptPeerId) this.send(ws, message);
  }

  private async scheduleAlarm(at: number) {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const mediaOf = (a: MediaState): MediaState => ({ audio: a.audio, video: a.video, screen: a.screen });
const peerOf = (a: Attachment): Peer => ({ peerId: a.peerId, userId: a.userId, name: a.name, role: a.role, ...mediaOf(a) });
const AttachmentSchema = PeerSchema.extend({ socketId: z.string(), left: z.boolean().optional() });
const attachmentOf = (ws: WebSocket): Attachment | null => {
  const parsed = AttachmentSchema.safeParse(socketData(ws));
  return parsed.success ? parsed.data : null;
};
const VIDEO_UNAVAILABLE = "The video service is not reachable right now. Please try again in a moment.";
const removedMessage = (reason: "removed_by_tutor" | "seat_cancelled") =>
  reason === "removed_by_tutor" ? "Your tutor removed you from this session." : "Your seat in this session was cancelled.";

function safeClose(ws: WebSocket, code: number, reason: string) {
  try {
    ws.close(code, reason);
  } catch {
    /* already closed */
  }
}

function refuse(status: number, code: string, message: string) {
  return Response.json({ error: { code, message } }, { status });
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
