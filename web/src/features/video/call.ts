import { type Accessor, createSignal, getOwner, onCleanup } from "solid-js";
import { createStore } from "solid-js/store";
import type { JoinData, VideoProvider } from "../../../../domain/schemas/video";
import { type SendProfile, sendProfile } from "../../../../domain/video/quality";
import type { ChatMessage, Peer, RoomClientMessage, RoomServerMessage } from "../../../../domain/video/protocol";
import { ApiFailure, codeMessage } from "../../lib/api";
import { joinErrorText } from "./api";
import { type Board, createBoard } from "./board";
import { openCamera } from "./devices";
import { type LinkState, Mesh } from "./mesh";
import { type Notes, createNotes } from "./notes";
import { type RoomSocket, openRoomSocket } from "./roomSocket";
import type { RemoteMedia, Transport } from "./transport";
import { t } from "../../i18n";

/** `away`: their connection to the room dropped; they keep their tile for a while in case they come back. */
export type CallPeer = Peer & { stream: MediaStream | null; link: LinkState | null; away: boolean };
export type CallPhase = "connecting" | "connected" | "reconnecting" | "ended" | "replaced" | "left" | "removed" | "failed";

export type CallState = {
  phase: CallPhase;
  provider: VideoProvider;
  self: Peer | null;
  peers: CallPeer[];
  chat: ChatMessage[];
  endedReason: "ended_by_tutor" | "room_closed" | "session_moved" | null;
  /** The session's new start and end, when it was moved while this room was open (`session_moved`). */
  movedTo: { start: string; end: string } | null;
  removedReason: "removed_by_tutor" | "seat_cancelled" | null;
  error: string | null;
  mic: boolean;
  camera: boolean;
  screen: boolean;
  /** A media action that failed (e.g. the screen picker was cancelled), for a polite message. */
  mediaError: string | null;
  /** Something the room told this person (the tutor muted them). */
  notice: string | null;
  /** What this browser's camera is held to in a peer-to-peer room (lowered for a group above four). */
  sending: SendProfile | null;
};

export type Call = {
  state: CallState;
  board: Board;
  notes: Notes;
  /** What this browser shows of itself: the camera or the shared screen. */
  selfStream: Accessor<MediaStream | null>;
  /** This browser's microphone while it is on (for its speaking indicator). */
  micStream: Accessor<MediaStream | null>;
  toggleMic(): Promise<void>;
  toggleCamera(): Promise<void>;
  toggleScreen(): Promise<void>;
  sendChat(text: string): void;
  /** The tutor's controls. */
  mute(userId: string): void;
  remove(userId: string): void;
  dismissNotice(): void;
  leave(): Promise<void>;
};

const BACKOFF_MS = [300, 1_000, 2_000, 4_000, 8_000];
/** How long a dropped peer keeps its tile before it counts as gone. */
const AWAY_MS = 30_000;

/**
 * One person's side of a session: the room socket (presence, chat, whiteboard, notes, signaling), the media
 * transport of the provider the Worker chose (a peer-to-peer mesh or RealtimeKit), and this browser's camera,
 * microphone and screen. A dropped socket (or a lost network) is rejoined with a fresh ticket and the same peer
 * id, so the others keep their media connection, and connections that broke restart ICE; the tutor ending the
 * session, a removal, the room closing or another tab taking over end it. Inside a component it leaves with it.
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
    movedTo: null,
    removedReason: null,
    error: null,
    mic: !!mic && opts.start.mic,
    camera: !!camera,
    screen: false,
    mediaError: null,
    notice: null,
    sending: null,
  });
  const outgoing = (kind: "audio" | "video") => (kind === "audio" ? (state.mic ? mic : null) : (screen ?? (state.camera ? camera : null)));
  const [selfStream, setSelfStream] = createSignal<MediaStream | null>(null);
  const [micStream, setMicStream] = createSignal<MediaStream | null>(null);
  const refreshSelf = () => {
    const video = outgoing("video");
    setSelfStream(video ? new MediaStream([video]) : null);
    const audio = outgoing("audio");
    setMicStream(audio ? new MediaStream([audio]) : null);
  };
  refreshSelf();

  let socket: RoomSocket | undefined;
  let transport: Transport | undefined;
  let mesh: Mesh | undefined;
  let remote = new Map<string, MediaStream | null>();
  let attempts = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const awayTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const over = () => ["ended", "replaced", "left", "removed", "failed"].includes(state.phase);
  const send = (m: RoomClientMessage) => socket?.send(m);
  const board = createBoard(send);
  const notes = createNotes(send);

  const updatePeer = (peerId: string, patch: Partial<CallPeer>) => setState("peers", (p) => p.peerId === peerId, patch);
  const sendMedia = () => send({ type: "media", state: { audio: state.mic, video: !!outgoing("video"), screen: state.screen } });
  const present = (peerId: string) => {
    clearTimeout(awayTimers.get(peerId));
    awayTimers.delete(peerId);
  };
  const forget = (peerId: string) => {
    present(peerId);
    mesh?.drop(peerId);
    setState("peers", (ps) => ps.filter((p) => p.peerId !== peerId));
  };
  /** In a mesh every sender uploads a copy per peer: a group above four sends less (domain/video/quality.ts). */
  const fitGroup = () => {
    if (!mesh) return;
    const profile = sendProfile(state.peers.length + 1);
    setState({ sending: profile });
    void mesh.setProfile(profile);
  };

  if (opts.join.provider === "local") {
    const m = new Mesh({
      self: () => state.self?.peerId ?? "",
      iceServers: opts.join.local.iceServers,
      send: (to, signal) => send({ type: "signal", to, signal }),
      track: outgoing,
      onStream: (peerId, stream) => updatePeer(peerId, { stream }),
      onState: (peerId, link) => updatePeer(peerId, { link }),
    });
    mesh = m;
    transport = {
      setAudio: (t) => m.replaceTrack("audio", t),
      setVideo: (t) => m.replaceTrack("video", t),
      async startScreen() {
        const s = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }).catch(() => null);
        const track = s?.getVideoTracks()[0] ?? null;
        if (track) await m.replaceTrack("video", track);
        return track;
      },
      stopScreen: () => m.replaceTrack("video", state.camera ? camera : null),
      endForAll: async () => undefined,
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
        await t.setVideo(state.camera ? camera : null);
      })
      .catch((e: unknown) => {
        // The provider's own words stay in the console; the person is told in their language.
        console.warn("video service connection failed", e);
        setState({ phase: "failed", error: t("room.connection.serviceFailed") });
      });
  }

  const withMedia = (p: Peer): CallPeer => ({ ...p, stream: opts.join.provider === "realtimekit" ? (remote.get(p.userId) ?? null) : null, link: null, away: false });

  function handle(m: RoomServerMessage) {
    switch (m.type) {
      case "welcome": {
        attempts = 0;
        const known = new Map(state.peers.map((p) => [p.peerId, p]));
        // Peers that left while this tab was away are gone; those still here keep their media connection.
        for (const p of state.peers) if (!m.peers.some((q) => q.peerId === p.peerId)) forget(p.peerId);
        setState({
          phase: "connected",
          self: m.self,
          peers: m.peers.map((p) => ({ ...withMedia(p), stream: known.get(p.peerId)?.stream ?? withMedia(p).stream, link: mesh?.state(p.peerId) ?? null })),
          chat: m.chat,
          error: null,
        });
        sendMedia();
        // The newcomer calls everyone already in the room; a tab coming back restarts what broke meanwhile, and
        // after a lost network every path (its candidates may have changed with the network).
        for (const p of m.peers) {
          if (!mesh) break;
          if (!mesh.has(p.peerId)) mesh.call(p.peerId);
          else if (networkChanged || mesh.state(p.peerId) !== "connected") void mesh.restart(p.peerId);
        }
        networkChanged = false;
        fitGroup();
        return;
      }
      case "peer.joined": {
        present(m.peer.peerId);
        const back = state.peers.find((p) => p.peerId === m.peer.peerId);
        if (back) {
          updatePeer(m.peer.peerId, { ...m.peer, away: false });
          if (mesh?.has(m.peer.peerId) && mesh.state(m.peer.peerId) !== "connected") void mesh.restart(m.peer.peerId);
          return;
        }
        // The same person from another tab replaces their old self.
        for (const old of state.peers.filter((p) => p.userId === m.peer.userId)) forget(old.peerId);
        setState("peers", (ps) => [...ps, withMedia(m.peer)]);
        fitGroup();
        return;
      }
      case "peer.left":
        if (m.reason === "dropped") {
          updatePeer(m.peerId, { away: true });
          clearTimeout(awayTimers.get(m.peerId));
          awayTimers.set(
            m.peerId,
            setTimeout(() => {
              forget(m.peerId);
              fitGroup();
            }, AWAY_MS),
          );
          return;
        }
        forget(m.peerId);
        fitGroup();
        return;
      case "peer.media":
        updatePeer(m.peerId, m.state);
        return;
      case "signal":
        void mesh?.signal(m.from, m.signal);
        return;
      case "chat":
        setState("chat", (c) => (c.some((x) => x.id === m.message.id) ? c : [...c, m.message]));
        return;
      case "ended":
        setState({ endedReason: m.reason, movedTo: m.movedTo ?? null });
        void finish("ended");
        return;
      case "replaced":
        void finish("replaced");
        return;
      case "removed":
        setState({ removedReason: m.reason });
        void finish("removed");
        return;
      case "muted":
        if (state.mic) void call.toggleMic();
        setState({ notice: t("room.connection.mutedBy", { name: m.by }) });
        return;
      case "wb.state":
      case "wb.draft":
      case "wb.added":
      case "wb.removed":
      case "wb.restored":
      case "wb.pages":
        board.handle(m);
        return;
      case "notes.state":
      case "notes.ack":
      case "notes.edit":
      case "notes.format":
        notes.handle(m);
        return;
      case "error":
        if (["board_full", "board_share_full", "unknown_page", "duplicate_item"].includes(m.code)) board.refused(m.code, codeMessage(m.code, m.message));
        // The tutor's Remove reached nobody: that student's connection had dropped (their tile waits for them a while).
        else if (m.code === "not_in_room") setState({ notice: codeMessage(m.code, m.message) });
        return;
      case "pong":
        return;
      default:
        ignore(m);
    }
  }

  function connect(join: JoinData) {
    socket = openRoomSocket(join.room.path, join.room.ticket, state.self?.peerId ?? null, {
      onOpen: () => undefined,
      onMessage: handle,
      onClose: (code) => {
        if (over()) return;
        if (code === 4003) return void finish("removed");
        setState({ phase: "reconnecting" });
        clearTimeout(retry);
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
        if (e.code === "removed_from_session") return finish("removed");
        return finish(e.code === "session_ended" ? "ended" : "failed");
      }
      retry = setTimeout(reconnect, BACKOFF_MS[Math.min(attempts++, BACKOFF_MS.length - 1)]);
    }
  }

  // A lost network: let go of the socket at once (it may hang half-open) and come back as soon as it returns;
  // the media paths restart once the room socket is back to carry their offers.
  let networkChanged = false;
  const offline = () => {
    networkChanged = true;
    if (over() || state.phase === "reconnecting") return;
    socket?.close();
    setState({ phase: "reconnecting" });
  };
  const online = () => {
    if (over()) return;
    attempts = 0;
    clearTimeout(retry);
    if (state.phase === "reconnecting") void reconnect();
  };
  window.addEventListener("offline", offline);
  window.addEventListener("online", online);

  async function finish(phase: "ended" | "replaced" | "left" | "removed" | "failed") {
    if (over()) return;
    clearTimeout(retry);
    for (const t of awayTimers.values()) clearTimeout(t);
    window.removeEventListener("offline", offline);
    window.removeEventListener("online", online);
    setState({ phase });
    socket?.close();
    // The tutor who ended the session ends it on the provider's side too (the Worker does as well, over REST).
    if (phase === "ended" && state.endedReason === "ended_by_tutor" && opts.join.role === "host") {
      await transport?.endForAll().catch((e: unknown) => console.warn("could not end the provider's session", e));
    }
    await transport?.close();
    for (const t of [mic, camera, screen]) t?.stop();
    setSelfStream(null);
    setMicStream(null);
  }

  const call: Call = {
    state,
    board,
    notes,
    selfStream,
    micStream,
    async toggleMic() {
      if (!mic) {
        try {
          mic = (await navigator.mediaDevices.getUserMedia({ audio: true })).getAudioTracks()[0] ?? null;
        } catch {
          return void setState({ mediaError: t("room.connection.micFailed") });
        }
      }
      setState({ mic: !state.mic, mediaError: null, ...(state.mic ? {} : { notice: null }) });
      await transport?.setAudio(outgoing("audio"));
      refreshSelf();
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
          return void setState({ mediaError: t("room.connection.cameraFailed") });
        }
        setState({ camera: true, mediaError: null });
      }
      if (!screen || state.provider === "realtimekit") await transport?.setVideo(state.camera ? camera : null);
      refreshSelf();
      sendMedia();
    },
    async toggleScreen() {
      if (!transport) return;
      if (screen) {
        screen.onended = null;
        if (state.provider === "local") screen.stop();
        screen = null;
        setState({ screen: false });
        await transport.stopScreen();
      } else {
        const track = await transport.startScreen();
        if (!track) return void setState({ mediaError: t("room.connection.screenFailed") });
        screen = track;
        // The browser's own "Stop sharing" button ends the track.
        screen.onended = () => void (screen && call.toggleScreen());
        setState({ screen: true, mediaError: null });
      }
      refreshSelf();
      sendMedia();
    },
    sendChat(text) {
      send({ type: "chat", text });
    },
    mute(userId) {
      send({ type: "moderate", action: "mute", userId });
    },
    remove(userId) {
      send({ type: "moderate", action: "remove", userId });
    },
    dismissNotice() {
      setState({ notice: null });
    },
    async leave() {
      send({ type: "leave" });
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
