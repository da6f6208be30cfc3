import { DurableObject } from "cloudflare:workers";
import { acceptSocket, admitMessage, saveSocketData, socketData } from "./lib/socketLimits";
import { z } from "zod";
import {
  type ChatMessage,
  type MediaState,
  type Peer,
  PeerSchema,
  ROOM_CLOSE,
  ROOM_MESSAGE_MAX_BYTES,
  type RoomServerMessage,
  RoomClientMessageSchema,
  unreachable,
} from "../domain/video/protocol";
import { joinWindow } from "../domain/video/window";
import { getDb } from "../platform/db/client";
import { sessionAttendance } from "../platform/db/schema";
import { RealtimeKitError } from "../platform/integrations/realtime/client";
import { RealtimeConfigSchema } from "../platform/integrations/realtime/config";
import { log } from "../platform/log";
import { Mutex } from "./lib/mutex";
import { type RealtimeJoin, realtimeJoin } from "./room/realtimeJoin";
import { type AttendanceRow, type ChatRow, ROOM_DDL, type RtkParticipantRow, type TicketRow } from "./room/storage";

/** A ticket admits one socket, once, within this time of being issued. */
export const TICKET_TTL_MS = 2 * 60_000;
const CHAT_HISTORY = 100;
const ATTENDANCE_RETRY_MS = 5_000;

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
  /** RealtimeKit settings when that provider is on; null for the local provider. */
  realtime: RealtimeConfigSchema.nullable(),
});
const EndSchema = z.object({ reason: z.enum(["ended_by_tutor", "room_closed"]), now: Instant });

export type Admission = { ticket: string; expiresAt: number; realtimekit: RealtimeJoin | null };
export type AdmitOutcome = { ok: true; value: Admission } | { ok: false; code: "video_unavailable"; message: string };

/** What each accepted socket carries across hibernation. */
type Attachment = Peer & { left?: boolean };

/**
 * One per booking: the session's video room. It admits only sockets presenting a ticket the join route issued
 * (single use, two minutes), relays WebRTC signaling between peers for the local provider, carries text chat,
 * records every join and leave (projected to D1 for attendance), and owns the booking's RealtimeKit meeting,
 * created under a lock so two first joins cannot create two. Sockets hibernate between messages.
 */
export class SessionRoom extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly realtimeLock = new Mutex();
  private flushing: Promise<void> | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of ROOM_DDL) this.sql.exec(ddl);
  }

  // ───────────────────────── admission ─────────────────────────

  /**
   * Issues a ticket for `user` (the join route has already checked who and when) and, with RealtimeKit on,
   * their meeting participant and token.
   */
  async admit(input: z.input<typeof AdmitSchema>): Promise<AdmitOutcome> {
    const a = AdmitSchema.parse(input);
    this.saveBooking(a.booking);
    let realtimekit: RealtimeJoin | null = null;
    if (a.realtime) {
      const config = a.realtime;
      try {
        realtimekit = await this.realtimeLock.run(() =>
          realtimeJoin(config, this.realtimeStore(), { title: `Tutorly · ${a.booking.subject} · ${a.booking.id}`, user: a.user }),
        );
      } catch (e) {
        if (!(e instanceof RealtimeKitError)) throw e;
        log.warn("realtimekit join failed", { bookingId: a.booking.id, status: e.status, error: e.message });
        return { ok: false, code: "video_unavailable", message: "The video service is not reachable right now. Please try again in a moment." };
      }
    }
    const ticket = randomToken();
    const expiresAt = a.now + TICKET_TTL_MS;
    this.sql.exec("DELETE FROM tickets WHERE expires_ms < ?", a.now);
    this.sql.exec("INSERT INTO tickets (ticket, user_id, name, role, expires_ms) VALUES (?, ?, ?, ?, ?)", ticket, a.user.id, a.user.name, a.user.role, expiresAt);
    await this.scheduleAlarm(joinWindow(a.booking).closesAt);
    return { ok: true, value: { ticket, expiresAt, realtimekit } };
  }

  private realtimeStore() {
    return {
      meeting: () => {
        const meetingId = this.meta("rtk_meeting_id");
        const appId = this.meta("rtk_app_id");
        return meetingId && appId ? { meetingId, appId } : null;
      },
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

  /** The socket upgrade, forwarded by the Worker with the signed-in user's id in `X-Tutorly-User`. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return refuse(426, "upgrade_required", "This endpoint speaks WebSocket.");
    const now = Date.now();
    const ticket = new URL(request.url).searchParams.get("ticket") ?? "";
    const userId = request.headers.get("X-Tutorly-User") ?? "";
    const row = this.sql.exec<TicketRow>("SELECT * FROM tickets WHERE ticket = ?", ticket).toArray()[0];
    if (!row || row.user_id !== userId || row.expires_ms < now) {
      return refuse(403, "invalid_ticket", "Join the session again: this room ticket is not valid (or was already used).");
    }
    if (this.meta("ended")) return refuse(403, "session_ended", "This session has ended.");
    this.sql.exec("DELETE FROM tickets WHERE ticket = ?", ticket);

    // One socket per user: a second tab takes over from the first.
    for (const old of this.ctx.getWebSockets(userId)) {
      this.send(old, { type: "replaced" });
      this.depart(old, now);
      safeClose(old, ROOM_CLOSE.replaced, "Joined from another tab");
    }

    const { 0: client, 1: server } = new WebSocketPair();
    const self: Attachment = { peerId: crypto.randomUUID(), userId, name: row.name, role: row.role, audio: false, video: false, screen: false };
    acceptSocket(this.ctx, server, [userId], self, now);
    const booking = this.booking();
    this.send(server, {
      type: "welcome",
      self: peerOf(self),
      peers: this.peers().filter((p) => p.peerId !== self.peerId),
      chat: this.chatHistory(),
      session: { bookingId: booking?.id ?? "", start: iso(booking?.start ?? 0), end: iso(booking?.end ?? 0) },
    });
    this.broadcast({ type: "peer.joined", peer: peerOf(self) }, self.peerId);
    this.recordAttendance(self, "join", now);
    await this.flushAttendance();
    return new Response(null, { status: 101, webSocket: client });
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
        this.depart(ws, Date.now());
        safeClose(ws, 1000, "Left the session");
        await this.flushAttendance();
        return;
      default:
        unreachable(msg);
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.depart(ws, Date.now());
    safeClose(ws, code === 1005 || code === 1006 ? 1000 : code, "closing");
    await this.flushAttendance();
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.depart(ws, Date.now());
    await this.flushAttendance();
  }

  /** Records a socket's leave and tells the others, once per socket. */
  private depart(ws: WebSocket, now: number) {
    const me = attachmentOf(ws);
    if (!me || me.left) return;
    try {
      saveSocketData(ws, { ...me, left: true } satisfies Attachment);
    } catch {
      /* the socket is already gone; the leave below still counts */
    }
    this.broadcast({ type: "peer.left", peerId: me.peerId }, me.peerId);
    this.recordAttendance(me, "leave", now);
  }

  // ───────────────────────── ending ─────────────────────────

  /** Ends the room: everyone is told why and disconnected; when the tutor ended it, nobody can come back. */
  async end(input: z.input<typeof EndSchema>): Promise<{ disconnected: number }> {
    const a = EndSchema.parse(input);
    if (a.reason === "ended_by_tutor") this.setMeta("ended", String(a.now));
    const sockets = this.sockets();
    for (const ws of sockets) {
      this.send(ws, { type: "ended", reason: a.reason, at: iso(a.now) });
      this.depart(ws, a.now);
      safeClose(ws, ROOM_CLOSE.ended, "Session ended");
    }
    await this.flushAttendance();
    return { disconnected: sockets.length };
  }

  /** Closes the room when its join window is over, and retries attendance rows D1 has not taken yet. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const booking = this.booking();
    const closesAt = booking ? joinWindow(booking).closesAt : null;
    if (closesAt !== null && now >= closesAt && this.sockets().length) await this.end({ reason: "room_closed", now });
    await this.flushAttendance();
    const pending = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM attendance WHERE projected = 0").one().n;
    const next = [pending ? now + ATTENDANCE_RETRY_MS : null, closesAt !== null && closesAt > now ? closesAt : null].filter((t): t is number => t !== null);
    if (next.length) await this.ctx.storage.setAlarm(Math.min(...next));
  }

  // ───────────────────────── attendance ─────────────────────────

  private recordAttendance(peer: Peer, kind: "join" | "leave", now: number) {
    const booking = this.booking();
    if (!booking) return;
    this.sql.exec(
      "INSERT INTO attendance (id, user_id, role, kind, connection_id, at_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (connection_id, kind) DO NOTHING",
      `${peer.peerId}:${kind}`,
      peer.userId,
      peer.role === "host" ? "tutor" : "student",
      kind,
      peer.peerId,
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
        if (pending) await this.scheduleAlarm(Date.now() + ATTENDANCE_RETRY_MS);
      })
      .finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async writeAttendance(): Promise<void> {
    const booking = this.booking();
    if (!booking) return;
    for (;;) {
      const rows = this.sql.exec<AttendanceRow>("SELECT * FROM attendance WHERE projected = 0 ORDER BY at_ms LIMIT 50").toArray();
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
const AttachmentSchema = PeerSchema.extend({ left: z.boolean().optional() });
const attachmentOf = (ws: WebSocket): Attachment | null => {
  const parsed = AttachmentSchema.safeParse(socketData(ws));
  return parsed.success ? parsed.data : null;
};

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
