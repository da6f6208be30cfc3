import { z } from "zod";
import { ownWords } from "./humanErrors";
import type { NotesFormat } from "../video/protocol";
import type { WbState } from "../video/whiteboard";
import type { RoomRole } from "../video/access";
import type { AttendanceStatus } from "../video/attendance";

export type VideoProvider = "local" | "realtimekit";

/** `POST /api/bookings/:id/join` → what the SPA needs to enter the room with either provider. */
export type JoinData = {
  provider: VideoProvider;
  role: RoomRole;
  booking: { id: string; tutorId: string; subject: string; kind: "one_on_one" | "group"; start: string; end: string };
  /** When the room is open: 10 minutes before the start until 10 minutes after the end. */
  window: { opensAt: string; closesAt: string };
  /** The room's WebSocket (presence, chat, signaling) and the single-use ticket that admits this user to it. */
  room: { path: string; ticket: string; expiresAt: string };
} & (
  /**
   * Peer-to-peer (a mesh between browsers). `iceServers` are STUN and TURN with short-lived credentials minted for
   * this participant (`relay`), or none locally (host candidates only).
   */
  | { provider: "local"; local: { iceServers: { urls: string | string[]; username?: string; credential?: string }[]; relay: boolean } }
  | { provider: "realtimekit"; realtimekit: { meetingId: string; participantId: string; authToken: string; presetName: string } }
);

/** `GET /api/bookings/:id/attendance`. */
export type AttendanceView = {
  bookingId: string;
  start: string;
  end: string;
  status: "confirmed" | "cancelled" | "completed";
  decided: boolean;
  noShows: string[];
  attendees: {
    userId: string;
    name: string;
    role: "tutor" | "student";
    status: AttendanceStatus;
    firstJoinedAt: string | null;
    minutesPresent: number;
    inRoom: boolean;
    visits: { joinedAt: string; leftAt: string | null }[];
  }[];
};

export const SUMMARY_MAX_CHARS = 2_000;
/** `PUT /api/bookings/:id/summary`: what the tutor writes after the session. */
export const SessionSummaryInputSchema = z.object({
  summary: z.string().trim().min(1, ownWords("summaryRequired")).max(SUMMARY_MAX_CHARS),
  homework: z.string().trim().max(SUMMARY_MAX_CHARS).default(""),
});
export type SessionSummaryInput = z.infer<typeof SessionSummaryInputSchema>;
export type SessionSummary = { summary: string; homework: string; writtenAt: string; updatedAt: string };

/** `GET /api/bookings/:id/record`: everything a session left behind, for its tutor and students. */
export type SessionRecord = {
  bookingId: string;
  summary: SessionSummary | null;
  notes: { text: string; format: NotesFormat };
  whiteboard: WbState;
};

/** One row of `GET /api/session-records`: what the caller's sessions left behind, without the pages themselves. */
export type SessionRecordBrief = {
  bookingId: string;
  summary: SessionSummary | null;
  hasNotes: boolean;
  boardPages: number;
  boardItems: number;
};
