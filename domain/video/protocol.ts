import { z } from "zod";
import { NOTES_MAX_CHARS, TextOpSchema } from "./textOps";
import { WbDraftSchema, WbIdSchema, WbItemSchema, WbPageSchema } from "./whiteboard";

/**
 * Messages over a session room's WebSocket (`/api/bookings/:id/room`): presence, text chat, media state, the
 * shared whiteboard and notes, the tutor's controls and, for the peer-to-peer provider, WebRTC signaling relayed
 * between peers. Both directions are discriminated unions; the room object and the SPA switch on `type`
 * exhaustively.
 */

/**
 * One browser tab in the room. A tab that reconnects (a network change) asks for its peer id back, so the others
 * keep their media connection to it; another tab of the same user is another peer.
 */
export const PeerIdSchema = z.string().min(1).max(64);

export const MediaStateSchema = z.object({ audio: z.boolean(), video: z.boolean(), screen: z.boolean() });
export type MediaState = z.infer<typeof MediaStateSchema>;

export const PeerSchema = MediaStateSchema.extend({
  peerId: PeerIdSchema,
  userId: z.string(),
  name: z.string(),
  role: z.enum(["host", "participant"]),
});
export type Peer = z.infer<typeof PeerSchema>;

export const CHAT_MAX_CHARS = 1000;
export const ChatMessageSchema = z.object({ id: z.string(), userId: z.string(), name: z.string(), text: z.string(), at: z.string() });
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

/** WebRTC signaling, relayed verbatim: a session description or an ICE candidate (`null` ends the candidates). */
export const SignalSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("description"), description: z.object({ type: z.enum(["offer", "answer"]), sdp: z.string().max(60_000) }) }),
  z.object({
    kind: z.literal("candidate"),
    candidate: z
      .object({
        candidate: z.string().max(1000),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable(),
  }),
]);
export type Signal = z.infer<typeof SignalSchema>;

export const NotesFormatSchema = z.enum(["plain", "markdown"]);
export type NotesFormat = z.infer<typeof NotesFormatSchema>;
export const NotesStateSchema = z.object({
  rev: z.number().int().min(0),
  text: z.string().max(NOTES_MAX_CHARS),
  format: NotesFormatSchema,
  /** The receiver's latest edits the room applied (so a reconnecting tab does not apply one twice). */
  appliedOpIds: z.array(z.string()),
});
export type NotesState = z.infer<typeof NotesStateSchema>;

export const RoomClientMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("ping") }),
  /** Relay `signal` to one other peer (local provider). */
  z.object({ type: z.literal("signal"), to: PeerIdSchema, signal: SignalSchema }),
  z.object({ type: z.literal("chat"), text: z.string().trim().min(1).max(CHAT_MAX_CHARS) }),
  /** The sender muted, turned the camera off or on, or started or stopped sharing the screen. */
  z.object({ type: z.literal("media"), state: MediaStateSchema }),
  z.object({ type: z.literal("leave") }),
  /** A stroke being drawn (relayed, not kept). */
  z.object({ type: z.literal("wb.draft"), draft: WbDraftSchema }),
  z.object({ type: z.literal("wb.add"), item: WbItemSchema }),
  z.object({ type: z.literal("wb.erase"), ids: z.array(WbIdSchema).min(1).max(200) }),
  /** Takes back the sender's own last add or erase. */
  z.object({ type: z.literal("wb.undo") }),
  z.object({ type: z.literal("wb.page.add") }),
  /** An edit of the notes made on revision `rev`. */
  z.object({ type: z.literal("notes.edit"), opId: z.string().regex(/^[\w-]{1,64}$/), rev: z.number().int().min(0), op: TextOpSchema }),
  z.object({ type: z.literal("notes.format"), format: NotesFormatSchema }),
  /** The tutor mutes a participant's microphone, or removes them from the session. */
  z.object({ type: z.literal("moderate"), action: z.enum(["mute", "remove"]), userId: z.string().min(1).max(100) }),
]);
export type RoomClientMessage = z.infer<typeof RoomClientMessageSchema>;

export const RoomServerMessageSchema = z.discriminatedUnion("type", [
  /** First message on a socket: who you are, who is here, the chat so far. */
  z.object({
    type: z.literal("welcome"),
    self: PeerSchema,
    peers: z.array(PeerSchema),
    chat: z.array(ChatMessageSchema),
    session: z.object({ bookingId: z.string(), start: z.string(), end: z.string() }),
  }),
  z.object({ type: z.literal("pong"), at: z.string() }),
  z.object({ type: z.literal("peer.joined"), peer: PeerSchema }),
  /** `dropped`: the connection was lost (they may come back); `left`: they left, or were removed. */
  z.object({ type: z.literal("peer.left"), peerId: PeerIdSchema, reason: z.enum(["left", "dropped"]).optional() }),
  z.object({ type: z.literal("peer.media"), peerId: PeerIdSchema, state: MediaStateSchema }),
  z.object({ type: z.literal("signal"), from: PeerIdSchema, signal: SignalSchema }),
  z.object({ type: z.literal("chat"), message: ChatMessageSchema }),
  /**
   * The session is over here: the tutor ended it, or its room closed, or it was moved to another time (`movedTo`,
   * its new start and end: the room opens again for that time). The server closes the socket after this.
   */
  z.object({
    type: z.literal("ended"),
    reason: z.enum(["ended_by_tutor", "room_closed", "session_moved"]),
    at: z.string(),
    movedTo: z.object({ start: z.string(), end: z.string() }).optional(),
  }),
  /** This socket was replaced by a newer one of the same user (another tab); it is closed after this. */
  z.object({ type: z.literal("replaced") }),
  /** A message the room could not act on; the socket stays open. */
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
  /** The whiteboard so far, sent after `welcome` in parts; `last` marks the final part. */
  z.object({ type: z.literal("wb.state"), pages: z.array(WbPageSchema), items: z.array(WbItemSchema), last: z.boolean() }),
  z.object({ type: z.literal("wb.draft"), from: PeerIdSchema, draft: WbDraftSchema }),
  z.object({ type: z.literal("wb.added"), item: WbItemSchema, by: z.string() }),
  z.object({ type: z.literal("wb.removed"), ids: z.array(WbIdSchema) }),
  z.object({ type: z.literal("wb.restored"), items: z.array(WbItemSchema) }),
  z.object({ type: z.literal("wb.pages"), pages: z.array(WbPageSchema) }),
  z.object({ type: z.literal("notes.state"), notes: NotesStateSchema }),
  z.object({ type: z.literal("notes.ack"), opId: z.string(), rev: z.number().int() }),
  z.object({ type: z.literal("notes.edit"), rev: z.number().int(), op: TextOpSchema, by: z.string() }),
  z.object({ type: z.literal("notes.format"), format: NotesFormatSchema }),
  /** The tutor muted this participant's microphone (they can unmute themselves). */
  z.object({ type: z.literal("muted"), by: z.string() }),
  /** This participant may no longer be in the room; the socket is closed after this. */
  z.object({ type: z.literal("removed"), reason: z.enum(["removed_by_tutor", "seat_cancelled"]) }),
]);
export type RoomServerMessage = z.infer<typeof RoomServerMessageSchema>;

/** Close codes the room uses besides the standard ones. */
export const ROOM_CLOSE = { ended: 4000, replaced: 4001, removed: 4003, signedOut: 4004, invalidMessage: 1003, tooLarge: 1009 } as const;
export const ROOM_MESSAGE_MAX_BYTES = 64 * 1024;

/** The `default:` of an exhaustive switch over a message union. */
export function unreachable(x: never): never {
  throw new Error(`Unexpected room message: ${JSON.stringify(x)}`);
}
