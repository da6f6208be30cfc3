import { type Accessor, createSignal, getOwner, onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import type { JoinData, VideoProvider } from "../../../../domain/schemas/video";
import type { ChatMessage, Peer, RoomServerMessage } from "../../../../domain/video/protocol";
import { ApiFailure } from "../../lib/api";
import { joinErrorText } from "./api";
import { openCamera } from "./devices";
import { type LinkState, Mesh } from "./mesh";
import { type RoomSocket, openRoomSocket } from "./roomSocket";
import type { RemoteMedia, Transport } from "./transport";

export type CallPeer = Peer & { stream: MediaStream | null; link: LinkState | null };
export type CallPhase = "connecting" | "connected" | "reconnecting" | "ended" | "replaced" | "left" | "failed";

export type CallState = {
  phase: CallPhase;
  provider: VideoProvider;
  self: Peer | null;
  peers: CallPeer[];
  chat: ChatMessage[];
  endedReason: "ended_by_tutor" | "room_closed" | null;
  error: string | null;
  mic: boolean;
  camera: boolean;
  screen: boolean;
  /** A media action that failed (e.g. the screen picker was cancelled), for a polite message. */
  mediaError: string | null;
};

export type Call = {
  state: CallState;
  /** What this browser shows of itself: the camera or the shared screen. */
  selfStream: Accessor<MediaStream | null>;
  toggleMic(): Promise<void>;
  toggleCamera(): Promise<void>;
  toggleScreen(): Promise<void>;
  sendChat(text: string): void;
  leave(): Promise<void>;
};

const BACKOFF_MS = [500, 1_000, 2_000, 4_000, 8_000];

/**
 * One person's side of a session: the room socket (presence, chat, signaling), the media transport of the
 * provider the Worker chose (a local WebRTC mesh or RealtimeKit), and this browser's camera, microphone and
 * screen. A dropped socket is rejoined with a fresh ticket; the tutor ending the session, the room closing or
 * another tab taking over end it. Inside a component it leaves with the component.
 */
export function createCall(opts: {
  join: JoinData;
  stream: MediaStream;
  cameraId: string | null;
  /** Start muted or with the camera off, as chosen in the device check. */
  start: { mic: boolean; camera: boolean };
  rejoin(): Promise<JoinData>;
}): Call {
  let mic: MediaStreamTrack | null = opts.stream.getAudioTracks()[0] ?? null;
  let camera: MediaStreamTrack | null = opts.stream.getVideoTracks()[0] ?? null;
  if (!opts.start.camera) {
    camera?.stop();
    camera = null;
  }
  let screen: MediaStreamTrack | null = null;
  const [state, setState] = createStore<CallState>({
    phase: "connecting",
    provider: opts.join.provider,
    self: null,
    peers: [],
    chat: [],
    endedReason: null,
    error: null,
    mic: !!mic && opts.start.mic,
    camera: !!camera,
    screen: false,
    mediaError: null,
  });
  const outgoing = (kind: "audio" | "video") => (kind === "audio" ? (state.mic ? mic : null) : (screen ?? (state.camera ? camera : null)));
  const [selfStream, setSelfStream] = createSignal<MediaStream | null>(null);
  const refreshSelf = () => {
    const video = outgoing("video");
    setSelfStream(video ? new MediaStream([video]) : null);
  };
  refreshSelf();

  let socket: RoomSocket | undefined;
  let transport: Transport | undefined;
  let mesh: Mesh | undefined;
  let remote = new Map<string, MediaStream | null>();
  let attempts = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const over = () => ["ended", "replaced", "left", "failed"].includes(state.phase);

  const updatePeer = (peerId: string, patch: Partial<CallPeer>) => setState("peers", (p) => p.peerId === peerId, patch);
  const sendMedia = () => socket?.send({ type: "media", state: { audio: state.mic, video: !!outgoing("video"), screen: state.screen } });

  if (opts.join.provider === "local") {
    const m = new Mesh({
      iceServers: opts.join.local.iceServers,
      send: (to, signal) => socket?.send({ type: "signal", to, signal }),
      track: outgoing,
      onStream: (peerId, stream) => updatePeer(peerId, { stream }),
      onState: (peerId, link) => updatePeer(peerId, { link }),
    });
    mesh = m;
    transport = {
      setAudio: (t) => m.replaceTrack("audio", t),
      setVideo: (t) => m.replaceTrack("video", t),
      close: async () => m.close(),
    };
  } else {
    const { authToken } = opts.join.realtimekit;
    void import("./realtimekit")
      .then(({ connectRealtimeKit }) =>
        connectRealtimeKit({
          authToken,
          onRemote: (list: RemoteMedia[]) => {
            remote = new Map(list.map((r) => [r.userId, r.stream]));
            setState("peers", (ps) => ps.map((p) => ({ ...p, stream: remote.get(p.userId) ?? null, link: remote.has(p.userId) ? "connected" : "connecting" })));
          },
        }),
      )
      .then(async (t) => {
        if (over()) return t.close();
        transport = t;
        // Send what is on now (including toggles made while connecting).
        await t.setAudio(outgoing("audio"));
        await t.setVideo(outgoing("video"));
      })
      .catch((e: unknown) => setState({ phase: "failed", error: `We couldn't connect to the video service. ${e instanceof Error ? e.message : ""}`.trim() }));
  }

  const withMedia = (p: Peer): CallPeer => ({ ...p, stream: opts.join.provider === "realtimekit" ? (remote.get(p.userId) ?? null) : null, link: null });

  function handle(m: RoomServerMessage) {
    switch (m.type) {
      case "welcome":
        attempts = 0;
        mesh?.close();
        setState({ phase: "connected", self: m.self, peers: m.peers.map(withMedia), chat: m.chat, error: null });
        sendMedia();
        // The newcomer calls everyone already in the room; they answer.
        for (const p of m.peers) void mesh?.call(p.peerId);
        return;
      case "peer.joined":
        // Someone coming back from another tab or after a drop replaces their old self.
        for (const old of state.peers.filter((p) => p.userId === m.peer.userId)) mesh?.drop(old.peerId);
        setState("peers", (ps) => [...ps.filter((p) => p.userId !== m.peer.userId), withMedia(m.peer)]);
        return;
      case "peer.left":
        mesh?.drop(m.peerId);
        setState("peers", (ps) => ps.filter((p) => p.peerId !== m.peerId));
        return;
      case "peer.media":
        updatePeer(m.peerId, m.state);
        return;
      case "signal":
        void mesh?.signal(m.from, m.signal).catch((e: unknown) => console.warn("signaling failed", e));
        return;
      case "chat":
        setState("chat", (c) => (c.some((x) => x.id === m.message.id) ? c : [...c, m.message]));
        return;
      case "ended":
        setState({ endedReason: m.reason });
        void finish("ended");
        return;
      case "replaced":
        void finish("replaced");
        return;
      case "error":
      case "pong":
      case "wb.state":
      case "wb.draft":
      case "wb.added":
      case "wb.removed":
      case "wb.restored":
      case "wb.pages":
      case "notes.state":
      case "notes.ack":
      case "notes.edit":
      case "notes.format":
      case "muted":
      case "removed":
        return;
      default:
        ignore(m);
    }
  }

  function connect(join: JoinData) {
    socket = openRoomSocket(join.room.path, join.room.ticket, {
      onOpen: () => undefined,
      onMessage: handle,
      onClose: () => {
        if (over()) return;
        setState({ phase: "reconnecting" });
        retry = setTimeout(reconnect, BACKOFF_MS[Math.min(attempts++, BACKOFF_MS.length - 1)]);
      },
    });
  }

  async function reconnect() {
    if (over()) return;
    try {
      connect(await opts.rejoin());
    } catch (e) {
      if (e instanceof ApiFailure && e.status >= 400 && e.status < 500) {
        setState({ error: joinErrorText(e) });
        return finish(e.code === "session_ended" ? "ended" : "failed");
      }
      retry = setTimeout(reconnect, BACKOFF_MS[Math.min(attempts++, BACKOFF_MS.length - 1)]);
    }
  }

  async function finish(phase: "ended" | "replaced" | "left" | "failed") {
    if (over()) return;
    clearTimeout(retry);
    setState({ phase });
    socket?.close();
    await transport?.close();
    for (const t of [mic, camera, screen]) t?.stop();
    setSelfStream(null);
  }

  const call: Call = {
    state,
    selfStream,
    async toggleMic() {
      if (!mic) {
        try {
          mic = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0] ?? null;
        } catch {
          return void setState({ mediaError: "We couldn't use your microphone." });
        }
      }
      setState({ mic: !state.mic, mediaError: null });
      await transport?.setAudio(outgoing("audio"));
      sendMedia();
    },
    async toggleCamera() {
      if (state.camera) {
        camera?.stop();
        camera = null;
        setState({ camera: false, mediaError: null });
      } else {
        try {
          camera = await openCamera(opts.cameraId);
        } catch {
          return void setState({ mediaError: "We couldn't start your camera." });
        }
        setState({ camera: true, mediaError: null });
      }
      if (!screen) await transport?.setVideo(outgoing("video"));
      refreshSelf();
      sendMedia();
    },
    async toggleScreen() {
      if (screen) {
        screen.stop();
        screen = null;
        setState({ screen: false });
      } else {
        try {
          const s = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
          screen = s.getVideoTracks()[0] ?? null;
        } catch {
          return void setState({ mediaError: "Screen sharing didn't start." });
        }
        // The browser's own "Stop sharing" button ends the track.
        if (screen) screen.onended = () => void (screen && call.toggleScreen());
        setState({ screen: !!screen, mediaError: null });
      }
      await transport?.setVideo(outgoing("video"));
      refreshSelf();
      sendMedia();
    },
    sendChat(text) {
      socket?.send({ type: "chat", text });
    },
    async leave() {
      socket?.send({ type: "leave" });
      await finish("left");
    },
  };

  connect(opts.join);
  if (getOwner()) onCleanup(() => void call.leave());
  return call;
}

/** The `default:` of the exhaustive switch above: a compile error when a message type is not handled. */
function ignore(x: never) {
  console.warn("Unhandled room message", x);
}
