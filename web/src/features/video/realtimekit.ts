import type RealtimeKitClient from "@cloudflare/realtimekit";
import type { RemoteMedia, Transport } from "./transport";

/**
 * The parts of the RealtimeKit SDK this adapter uses, named by the SDK's own declarations, so an SDK upgrade
 * that renames or reshapes one of them fails the typecheck (test/unit/realtimekitAdapter.test.ts records the
 * calls against RealtimeKit's documented API).
 */
export type RtkMeeting = Pick<RealtimeKitClient, "join" | "leave"> & {
  self: Pick<RealtimeKitClient["self"], "enableAudio" | "disableAudio" | "enableVideo" | "disableVideo" | "enableScreenShare" | "disableScreenShare" | "screenShareTracks" | "permissions">;
  participants: Pick<RealtimeKitClient["participants"], "kickAll"> & {
    joined: Pick<RealtimeKitClient["participants"]["joined"], "on" | "removeAllListeners" | "toArray">;
  };
};
export type RtkSdk = { init(options: { authToken: string; defaults: { audio: boolean; video: boolean } }): Promise<RtkMeeting> };

/** The SDK, imported on demand: it loads only inside the session room and only when the Worker chose RealtimeKit. */
const loadSdk = async (): Promise<RtkSdk> => (await import("@cloudflare/realtimekit")).default;

/**
 * Media over Cloudflare RealtimeKit (its SFU). Remote participants are matched to room peers by their custom
 * participant id, which the Worker sets to the user id. It joins sending nothing; the caller then sets the tracks
 * from its own device check, so the chosen camera and microphone are the ones sent. Screen sharing is the SDK's
 * own (others receive it as a screen share, not as a camera); the tutor ending the session removes everyone.
 */
export async function connectRealtimeKit(opts: { authToken: string; onRemote(list: RemoteMedia[]): void; load?: () => Promise<RtkSdk> }): Promise<Transport> {
  const sdk = await (opts.load ?? loadSdk)();
  const meeting = await sdk.init({ authToken: opts.authToken, defaults: { audio: false, video: false } });
  await meeting.join();

  const joined = meeting.participants.joined;
  const sync = () =>
    opts.onRemote(
      joined.toArray().map((p) => {
        const video = p.screenShareEnabled ? p.screenShareTracks.video : p.videoEnabled ? p.videoTrack : null;
        const tracks = [video, p.audioEnabled ? p.audioTrack : null].filter((t): t is MediaStreamTrack => !!t);
        return { userId: p.customParticipantId || p.userId, stream: tracks.length ? new MediaStream(tracks) : null };
      }),
    );
  for (const event of ["participantJoined", "participantLeft", "videoUpdate", "audioUpdate", "screenShareUpdate"] as const) joined.on(event, sync);
  sync();

  return {
    async setAudio(track) {
      if (track) await meeting.self.enableAudio(track);
      else await meeting.self.disableAudio();
    },
    async setVideo(track) {
      if (track) await meeting.self.enableVideo(track);
      else await meeting.self.disableVideo();
    },
    async startScreen() {
      try {
        await meeting.self.enableScreenShare();
      } catch {
        return null;
      }
      return meeting.self.screenShareTracks?.video ?? null;
    },
    async stopScreen() {
      await meeting.self.disableScreenShare();
    },
    async endForAll() {
      // The host preset may kick participants; the Worker also ends the live session over REST.
      if (meeting.self.permissions.kickParticipant) await meeting.participants.kickAll();
    },
    async close() {
      joined.removeAllListeners();
      await meeting.leave().catch(() => undefined);
    },
  };
}
