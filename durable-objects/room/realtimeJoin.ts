import { RealtimeKitApi, RealtimeKitError } from "../../platform/integrations/realtime/client";
import type { RealtimeConfig } from "../../platform/integrations/realtime/config";
import type { RtkParticipantRow } from "./storage";

export type RealtimeJoin = { meetingId: string; participantId: string; authToken: string; presetName: string };

/** The room's storage as the RealtimeKit join needs it (so this file stays free of the object's internals). */
export type RealtimeStore = {
  meeting(): { meetingId: string; appId: string } | null;
  saveMeeting(meetingId: string, appId: string): void;
  participant(userId: string): RtkParticipantRow | null;
  saveParticipant(row: RtkParticipantRow): void;
};

/**
 * Gets `user` into the booking's RealtimeKit meeting: creates the meeting on the first join (and again if the
 * app changed), adds the user once with their preset and their user id as the custom participant id, and
 * afterwards only refreshes their token. Must run under the room's lock: two first joins at once would
 * otherwise create two meetings.
 */
export async function realtimeJoin(
  config: RealtimeConfig,
  store: RealtimeStore,
  input: { title: string; user: { id: string; name: string; role: "host" | "participant" } },
): Promise<RealtimeJoin> {
  const api = new RealtimeKitApi(config);
  let meeting = store.meeting();
  if (!meeting || meeting.appId !== config.appId) {
    const created = await api.createMeeting({ title: input.title });
    meeting = { meetingId: created.id, appId: config.appId };
    store.saveMeeting(meeting.meetingId, meeting.appId);
  }
  const presetName = input.user.role === "host" ? config.hostPreset : config.participantPreset;
  const known = store.participant(input.user.id);
  if (known && known.preset === presetName) {
    try {
      const { token } = await api.refreshParticipantToken(meeting.meetingId, known.participant_id);
      return { meetingId: meeting.meetingId, participantId: known.participant_id, authToken: token, presetName };
    } catch (e) {
      // A participant removed on RealtimeKit's side is added again below; anything else is a real failure.
      if (!(e instanceof RealtimeKitError && e.status === 404)) throw e;
    }
  }
  const added = await api.addParticipant(meeting.meetingId, { customParticipantId: input.user.id, presetName, name: input.user.name });
  store.saveParticipant({ user_id: input.user.id, participant_id: added.id, preset: presetName });
  return { meetingId: meeting.meetingId, participantId: added.id, authToken: added.token, presetName };
}
