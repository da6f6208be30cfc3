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
  | { provider: "local"; local: { iceServers: { urls: string | string[] }[] } }
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
