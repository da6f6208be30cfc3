import { beforeAll, describe, expect, it } from "vitest";
import { type RtkMeeting, type RtkSdk, connectRealtimeKit } from "../../web/src/features/video/realtimekit";

/**
 * The RealtimeKit adapter's contract. The SDK cannot be pointed at a local stand-in (it speaks Cloudflare's own
 * signalling and SFU protocols), so this records every SDK call the production adapter
 * (web/src/features/video/realtimekit.ts) makes for join, mute, camera, screen share, leave and the host's end
 * and checks each against RealtimeKit's documented web API. The names and signatures come from the SDK's own
 * declarations (the adapter's RtkMeeting type), so an SDK upgrade that changes them fails `npm run typecheck`.
 * What a real meeting does with these calls (media through the SFU) is not proven here.
 */
const DOCUMENTED: Record<string, string> = {
  init: "https://developers.cloudflare.com/realtime/realtimekit/core/ — RealtimeKitClient.init({ authToken, defaults: { audio, video } })",
  join: "https://developers.cloudflare.com/realtime/realtimekit/core/ — meeting.join()",
  "participants.joined.on": "https://developers.cloudflare.com/realtime/realtimekit/core/remote-participant — participantJoined, participantLeft, videoUpdate, audioUpdate, screenShareUpdate",
  "participants.joined.toArray": "https://developers.cloudflare.com/realtime/realtimekit/core/remote-participant — meeting.participants.joined.toArray()",
  "self.enableAudio": "https://developers.cloudflare.com/realtime/realtimekit/core/local-participant — meeting.self.enableAudio(customTrack?)",
  "self.disableAudio": "https://developers.cloudflare.com/realtime/realtimekit/core/local-participant — meeting.self.disableAudio()",
  "self.enableVideo": "https://developers.cloudflare.com/realtime/realtimekit/core/local-participant — meeting.self.enableVideo(customTrack?)",
  "self.disableVideo": "https://developers.cloudflare.com/realtime/realtimekit/core/local-participant — meeting.self.disableVideo()",
  "self.enableScreenShare": "https://developers.cloudflare.com/realtime/realtimekit/core/local-participant — meeting.self.enableScreenShare()",
  "self.screenShareTracks": "https://developers.cloudflare.com/realtime/realtimekit/core/meeting-object-explained/ — meeting.self.screenShareTracks { audio, video }",
  "self.disableScreenShare": "https://developers.cloudflare.com/realtime/realtimekit/core/local-participant — meeting.self.disableScreenShare()",
  "self.permissions.kickParticipant": "https://developers.cloudflare.com/realtime/realtimekit/core/end-a-session/ — meeting.self.permissions.kickParticipant",
  "participants.kickAll": "https://developers.cloudflare.com/realtime/realtimekit/core/end-a-session/ — meeting.participants.kickAll()",
  "participants.joined.removeAllListeners": "https://developers.cloudflare.com/realtime/realtimekit/core/remote-participant — the participant map is an event emitter",
  leave: "https://developers.cloudflare.com/realtime/realtimekit/core/ — meeting.leave()",
};

class FakeTrack {
  constructor(readonly kind: string, readonly label: string) {}
}
const track = (kind: string, label: string) => new FakeTrack(kind, label) as unknown as MediaStreamTrack;

/** A stand-in of the SDK's meeting that records what is called on it, and one remote participant. */
function recordingSdk(opts: { host: boolean; screenRefused?: boolean }) {
  const calls: string[] = [];
  const listeners = new Map<string, () => void>();
  const screen = track("video", "screen");
  const remote = {
    customParticipantId: "student-1",
    userId: "rtk-user-1",
    videoEnabled: true,
    audioEnabled: true,
    screenShareEnabled: false,
    videoTrack: track("video", "remote camera"),
    audioTrack: track("audio", "remote mic"),
    screenShareTracks: { audio: track("audio", "remote screen audio"), video: track("video", "remote screen") },
  };
  const rec = (name: string, arg?: unknown) => calls.push(arg === undefined ? name : `${name}(${(arg as FakeTrack).label ?? JSON.stringify(arg)})`);
  const meeting = {
    join: async () => void rec("join"),
    leave: async () => void rec("leave"),
    self: {
      enableAudio: async (t?: MediaStreamTrack) => void rec("self.enableAudio", t),
      disableAudio: async () => void rec("self.disableAudio"),
      enableVideo: async (t?: MediaStreamTrack) => void rec("self.enableVideo", t),
      disableVideo: async () => void rec("self.disableVideo"),
      enableScreenShare: async () => {
        rec("self.enableScreenShare");
        if (opts.screenRefused) throw new Error("NotAllowedError: the user cancelled the screen picker");
      },
      disableScreenShare: async () => void rec("self.disableScreenShare"),
      get screenShareTracks() {
        rec("self.screenShareTracks");
        return { audio: track("audio", "none"), video: screen };
      },
      get permissions() {
        rec("self.permissions.kickParticipant");
        return { kickParticipant: opts.host };
      },
    },
    participants: {
      kickAll: async () => void rec("participants.kickAll"),
      joined: {
        on: (event: string, cb: () => void) => {
          rec("participants.joined.on", event);
          listeners.set(event, cb);
        },
        removeAllListeners: () => void rec("participants.joined.removeAllListeners"),
        toArray: () => {
          rec("participants.joined.toArray");
          return [remote];
        },
      },
    },
  };
  const sdk = {
    init: async (o: unknown) => {
      rec("init", o);
      return meeting as unknown as RtkMeeting;
    },
  } satisfies RtkSdk;
  return { sdk, calls, listeners, remote, screen };
}

beforeAll(() => {
  // The adapter hands remote tracks to the page as MediaStreams; Node has none.
  globalThis.MediaStream ??= class {
    constructor(readonly tracks: MediaStreamTrack[]) {}
  } as unknown as typeof MediaStream;
});

describe("the RealtimeKit adapter (contract with the SDK)", () => {
  it("joins sending nothing, then sends the chosen devices; mutes, turns the camera off, shares the screen and leaves", async () => {
    const { sdk, calls, remote } = recordingSdk({ host: false });
    const seen: { userId: string; tracks: string[] }[][] = [];
    const t = await connectRealtimeKit({
      authToken: "participant-token",
      load: async () => sdk,
      onRemote: (list) => seen.push(list.map((r) => ({ userId: r.userId, tracks: ((r.stream as unknown as { tracks: FakeTrack[] })?.tracks ?? []).map((x) => x.label) }))),
    });
    // Remote participants are matched to room peers by their custom participant id (the user id).
    expect(seen.at(-1)).toEqual([{ userId: "student-1", tracks: ["remote camera", "remote mic"] }]);
    remote.screenShareEnabled = true;

    await t.setAudio(track("audio", "chosen mic"));
    await t.setVideo(track("video", "chosen camera"));
    await t.setAudio(null);
    await t.setVideo(null);
    expect(await t.startScreen()).toEqual(expect.objectContaining({ label: "screen" }));
    await t.stopScreen();
    await t.endForAll();
    await t.close();

    expect(calls).toEqual([
      'init({"authToken":"participant-token","defaults":{"audio":false,"video":false}})',
      "join",
      "participants.joined.on(\"participantJoined\")",
      "participants.joined.on(\"participantLeft\")",
      "participants.joined.on(\"videoUpdate\")",
      "participants.joined.on(\"audioUpdate\")",
      "participants.joined.on(\"screenShareUpdate\")",
      "participants.joined.toArray",
      "self.enableAudio(chosen mic)",
      "self.enableVideo(chosen camera)",
      "self.disableAudio",
      "self.disableVideo",
      "self.enableScreenShare",
      "self.screenShareTracks",
      "self.disableScreenShare",
      // Not a host: ending for everyone is the tutor's (and the Worker's, over REST) to do.
      "self.permissions.kickParticipant",
      "participants.joined.removeAllListeners",
      "leave",
    ]);
    for (const call of calls) expect(DOCUMENTED[call.replace(/\(.*\)$/, "")], `${call} is documented`).toBeTruthy();
  });

  it("shows a remote screen share instead of their camera when they share", async () => {
    const { sdk, listeners, remote } = recordingSdk({ host: false });
    const seen: string[][] = [];
    await connectRealtimeKit({
      authToken: "t",
      load: async () => sdk,
      onRemote: (list) => seen.push(((list[0]?.stream as unknown as { tracks: FakeTrack[] })?.tracks ?? []).map((x) => x.label)),
    });
    remote.screenShareEnabled = true;
    listeners.get("screenShareUpdate")!();
    expect(seen.at(-1)).toEqual(["remote screen", "remote mic"]);
    remote.audioEnabled = false;
    remote.screenShareEnabled = false;
    remote.videoEnabled = false;
    listeners.get("audioUpdate")!();
    expect(seen.at(-1)).toEqual([]);
  });

  it("the tutor ending the session removes everyone from the meeting before leaving", async () => {
    const { sdk, calls } = recordingSdk({ host: true });
    const t = await connectRealtimeKit({ authToken: "host-token", load: async () => sdk, onRemote: () => undefined });
    await t.endForAll();
    await t.close();
    expect(calls.slice(-4)).toEqual(["self.permissions.kickParticipant", "participants.kickAll", "participants.joined.removeAllListeners", "leave"]);
  });

  it("reports a cancelled screen picker as no screen", async () => {
    const { sdk } = recordingSdk({ host: false, screenRefused: true });
    const t = await connectRealtimeKit({ authToken: "t", load: async () => sdk, onRemote: () => undefined });
    expect(await t.startScreen()).toBeNull();
    await t.close();
  });
});
