import { type SendProfile, FULL_QUALITY, scaleDownBy } from "../../../../domain/video/quality";
import type { Signal } from "../../../../domain/video/protocol";

export type LinkState = RTCPeerConnectionState;
type Kind = "audio" | "video";

type Link = {
  pc: RTCPeerConnection;
  /** In an offer collision the polite side gives way (perfect negotiation); one side of each pair is polite. */
  polite: boolean;
  makingOffer: boolean;
  ignoreOffer: boolean;
  /** Signals are handled one at a time per peer, in the order they arrived. */
  queue: Promise<void>;
  stall?: ReturnType<typeof setTimeout>;
};

/** How long a connection may stay "disconnected" (a network blip) before its ICE is restarted. */
const STALL_MS = 2_500;

/**
 * The peer-to-peer provider's media: one RTCPeerConnection to every other peer in the room (a mesh, fine up to
 * nine people), signaled through the room socket. The newcomer calls everyone already there; after that either
 * side may renegotiate (an ICE restart after a network change), with "perfect negotiation" settling offers that
 * cross. Each connection carries one audio and one video transceiver; muting, the camera and screen sharing swap
 * the sent track with `replaceTrack`, which needs no renegotiation. Video is sent within the room's send profile.
 */
export class Mesh {
  private readonly links = new Map<string, Link>();
  private profile: SendProfile = FULL_QUALITY;

  constructor(
    private readonly opts: {
      self(): string;
      iceServers: RTCIceServer[];
      send(to: string, signal: Signal): void;
      /** What this browser currently sends. */
      track(kind: Kind): MediaStreamTrack | null;
      onStream(peerId: string, stream: MediaStream): void;
      onState(peerId: string, state: LinkState): void;
    },
  ) {}

  has(peerId: string) {
    return this.links.has(peerId);
  }
  state(peerId: string): LinkState | null {
    return this.links.get(peerId)?.pc.connectionState ?? null;
  }

  /** Calls a peer that was in the room before us: adding the transceivers starts the negotiation. */
  call(peerId: string) {
    const link = this.link(peerId);
    for (const kind of ["audio", "video"] as const) link.pc.addTransceiver(this.opts.track(kind) ?? kind, { direction: "sendrecv" });
  }

  /** Handles an offer, answer or candidate from `from`, after the ones before it. */
  signal(from: string, signal: Signal): Promise<void> {
    const link = this.links.get(from) ?? (signal.kind === "description" && signal.description.type === "offer" ? this.link(from) : null);
    if (!link) return Promise.resolve();
    link.queue = link.queue.then(() => this.handle(link, signal)).catch((e: unknown) => console.warn("signaling failed", e));
    return link.queue;
  }

  private async handle(link: Link, signal: Signal) {
    const { pc } = link;
    if (signal.kind === "candidate") {
      if (!signal.candidate) return;
      try {
        await pc.addIceCandidate(signal.candidate);
      } catch (e) {
        if (!link.ignoreOffer) throw e;
      }
      return;
    }
    const { description } = signal;
    const collision = description.type === "offer" && (link.makingOffer || pc.signalingState !== "stable");
    link.ignoreOffer = !link.polite && collision;
    if (link.ignoreOffer) return;
    if (description.type === "answer" && pc.signalingState !== "have-local-offer") return;
    // A polite peer's own pending offer is rolled back implicitly here.
    await pc.setRemoteDescription(description);
    if (description.type !== "offer") return;
    // Answer with our own tracks on the transceivers the offer created.
    for (const t of pc.getTransceivers()) {
      if (t.direction === "stopped") continue;
      t.direction = "sendrecv";
      await t.sender.replaceTrack(this.opts.track(t.receiver.track.kind === "audio" ? "audio" : "video"));
    }
    await pc.setLocalDescription();
    this.sendDescription(link);
  }

  /** Restarts ICE with a peer (a new network path); an offer of ours the peer never got is withdrawn first. */
  async restart(peerId: string) {
    const link = this.links.get(peerId);
    if (!link || link.pc.connectionState === "closed") return;
    if (link.pc.signalingState === "have-local-offer") await link.pc.setLocalDescription({ type: "rollback" }).catch(() => undefined);
    link.pc.restartIce();
  }

  /**
   * Restarts every connection (this browser's network changed: its old candidates may be gone even while the
   * connections still look up), or only those that are not connected.
   */
  async restartAll(onlyBroken = false) {
    await Promise.all([...this.links.entries()].filter(([, l]) => !onlyBroken || l.pc.connectionState !== "connected").map(([id]) => this.restart(id)));
  }

  /** Sends `track` (or nothing) as this browser's `kind` to every peer. */
  async replaceTrack(kind: Kind, track: MediaStreamTrack | null): Promise<void> {
    await Promise.all([...this.links.values()].map(({ pc }) => senderOf(pc, kind)?.replaceTrack(track)));
    if (kind === "video") await this.applyProfile();
  }

  /** Keeps every video sender within `profile` (a group above four sends less). */
  async setProfile(profile: SendProfile) {
    this.profile = profile;
    await this.applyProfile();
  }

  /** What each video sender is held to now (for the room's status line and tests). */
  encodings(): RTCRtpEncodingParameters[] {
    return [...this.links.values()].flatMap(({ pc }) => senderOf(pc, "video")?.getParameters().encodings ?? []);
  }

  private async applyProfile() {
    const track = this.opts.track("video");
    const scale = scaleDownBy(track?.getSettings().height, this.profile);
    await Promise.all(
      [...this.links.values()].map(async ({ pc }) => {
        const sender = senderOf(pc, "video");
        const params = sender?.getParameters();
        // Encodings exist once the connection is negotiated; it is applied again when it connects.
        if (!sender || !params?.encodings?.length) return;
        for (const e of params.encodings) Object.assign(e, { maxBitrate: this.profile.maxBitrateBps, maxFramerate: this.profile.maxFramerate, scaleResolutionDownBy: scale });
        await sender.setParameters(params).catch((err: unknown) => console.warn("could not limit the video sent", err));
      }),
    );
  }

  drop(peerId: string) {
    const link = this.links.get(peerId);
    if (!link) return;
    clearTimeout(link.stall);
    link.pc.close();
    this.links.delete(peerId);
  }

  close() {
    for (const id of [...this.links.keys()]) this.drop(id);
  }

  private link(peerId: string): Link {
    this.drop(peerId);
    const pc = new RTCPeerConnection({ iceServers: this.opts.iceServers });
    const link: Link = { pc, polite: this.opts.self() < peerId, makingOffer: false, ignoreOffer: false, queue: Promise.resolve() };
    this.links.set(peerId, link);
    pc.onnegotiationneeded = async () => {
      try {
        link.makingOffer = true;
        await pc.setLocalDescription();
        this.sendDescription(link, peerId);
      } catch (e) {
        console.warn("negotiation failed", e);
      } finally {
        link.makingOffer = false;
      }
    };
    pc.onicecandidate = ({ candidate: c }) =>
      this.opts.send(peerId, { kind: "candidate", candidate: c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment } : null });
    pc.ontrack = () => this.opts.onStream(peerId, new MediaStream(pc.getReceivers().map((r) => r.track)));
    pc.onconnectionstatechange = () => {
      if (this.links.get(peerId) !== link) return;
      const state = pc.connectionState;
      this.opts.onState(peerId, state);
      clearTimeout(link.stall);
      // A changed network breaks the path: restart ICE at once when it failed, after a short wait when it only stalled.
      if (state === "failed") void this.restart(peerId);
      if (state === "disconnected") link.stall = setTimeout(() => pc.connectionState === "disconnected" && void this.restart(peerId), STALL_MS);
      if (state === "connected") void this.applyProfile();
    };
    return link;
  }

  private sendDescription(link: Link, peerId = this.peerOf(link)) {
    const d = link.pc.localDescription;
    if (!peerId || !d || (d.type !== "offer" && d.type !== "answer")) return;
    this.opts.send(peerId, { kind: "description", description: { type: d.type, sdp: d.sdp } });
  }

  private peerOf(link: Link): string | undefined {
    for (const [id, l] of this.links) if (l === link) return id;
    return undefined;
  }
}

const senderOf = (pc: RTCPeerConnection, kind: Kind) => pc.getTransceivers().find((t) => t.receiver.track.kind === kind && t.direction !== "stopped")?.sender;
