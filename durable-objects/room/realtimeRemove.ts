import { RealtimeKitApi, RealtimeKitError } from "../../platform/integrations/realtime/client";
import type { RealtimeConfig } from "../../platform/integrations/realtime/config";

const gone = (e: unknown) => e instanceof RealtimeKitError && e.status === 404;

/**
 * Takes a user out of the booking's RealtimeKit meeting: deletes their participant (their token stops working,
 * so they cannot come back in) and disconnects them from the live session. Safe to repeat: what is already
 * gone (404, also "no live session") counts as done.
 */
export async function removeFromMeeting(config: RealtimeConfig, row: { meeting_id: string; participant_id: string; user_id: string }): Promise<void> {
  const api = new RealtimeKitApi(config);
  await api.deleteParticipant(row.meeting_id, row.participant_id).catch((e: unknown) => {
    if (!gone(e)) throw e;
  });
  await api.kickParticipants(row.meeting_id, [row.user_id]).catch((e: unknown) => {
    if (!gone(e)) throw e;
  });
}

/** Disconnects everyone from the meeting's live session (the tutor ended it); nothing live is fine. */
export async function endMeeting(config: RealtimeConfig, meetingId: string): Promise<void> {
  await new RealtimeKitApi(config).kickAll(meetingId).catch((e: unknown) => {
    if (!gone(e)) throw e;
  });
}
