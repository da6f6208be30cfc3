import type { RemoteMedia, Transport } from "./transport";

/**
 * Media over Cloudflare RealtimeKit (its SFU). The SDK is imported here, on demand, so it loads only inside
 * the session room and only when the Worker chose this provider. Remote participants are matched to room
 * peers by their custom participant id, which the Worker sets to the user id. It joins sending nothing; the
 * caller then sets the tracks from its own device check, so the chosen camera and microphone are the ones sent.
 */
export async function connectRealtimeKit(opts: { authToken: string; onRemote(list: RemoteMedia[]): void }): Promise<Transport> {
  const { default: RealtimeKitClient } = await import("@cloudflare/realtimekit");
  const meeting = await RealtimeKitClient.init({ authToken: opts.authToken, defaults: { audio: false, video: false } });
  await meeting.join();

  const sync = () =>
    opts.onRemote(
      meeting.participants.joined.toArray().map((p) => {
        const video = p.screenShareEnabled ? p.screenShareTracks.video : p.videoEnabled ? p.videoTrack : null;
        const tracks = [video, p.audioEnabled ? p.audioTrack : null].filter((t): t is MediaStreamTrack => !!t);
        return { userId: p.customParticipantId || p.userId, stream: tracks.length ? new MediaStream(tracks) : null };
      }),
    );
  const joined = meeting.participants.joined;
  joined.on("participantJoined", sync);
  joined.on("participantLeft", sync);
  joined.on("videoUpdate", sync);
  joined.on("audioUpdate", sync);
  joined.on("screenShareUpdate", sync);
  sync();

  const transport: Transport = {
    async setAudio(track) {
      if (track) await meeting.self.enableAudio(track);
      else await meeting.self.disableAudio();
    },
    async setVideo(track) {
      if (track) await meeting.self.enableVideo(track);
      else await meeting.self.disableVideo();
    },
    async close() {
      joined.removeAllListeners();
      await meeting.leave().catch(() => undefined);
    },
  };
  return transport;
}
