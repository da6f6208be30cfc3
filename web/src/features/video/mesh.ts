import type { Signal } from "../../../../domain/video/protocol";

export type LinkState = RTCPeerConnectionState;
type Kind = "audio" | "video";

type Link = { pc: RTCPeerConnection; initiator: boolean; pending: RTCIceCandidateInit[] };

/**
 * The local provider's media: one RTCPeerConnection to every other peer in the room (a mesh, fine for up to
 * nine people), signaled through the room socket. The newcomer offers to everyone already there, so two peers
 * never offer to each other at once. Each connection always carries one audio and one video transceiver;
 * muting, switching the camera off or sharing the screen swaps the sent track with `replaceTrack`, which
 * needs no renegotiation.
 */
export class Mesh {
  private readonly links = new Map<string, Link>();

  constructor(
    private readonly opts: {
      iceServers: RTCIceServer[];
      send(to: string, signal: Signal): void;
      /** What this browser currently sends. */
      track(kind: Kind): MediaStreamTrack | null;
      onStream(peerId: string, stream: MediaStream): void;
      onState(peerId: string, state: LinkState): void;
    },
  ) {}

  /** Calls a peer that was in the room before us. */
  async call(peerId: string): Promise<void> {
    const link = this.link(peerId, true);
    for (const kind of ["audio", "video"] as const) link.pc.addTransceiver(this.opts.track(kind) ?? kind, { direction: "sendrecv" });
    await this.offer(peerId, link);
  }

  /** Handles an offer, answer or candidate from `from`. */
  async signal(from: string, signal: Signal): Promise<void> {
    if (signal.kind === "candidate") {
      const link = this.links.get(from);
      if (!link || !signal.candidate) return;
      if (link.pc.remoteDescription) await link.pc.addIceCandidate(signal.candidate).catch(() => undefined);
      else link.pending.push(signal.candidate);
      return;
    }
    const { description } = signal;
    if (description.type === "offer") {
      const link = this.links.get(from) ?? this.link(from, false);
      await link.pc.setRemoteDescription(description);
      // Answer with our own tracks on the transceivers the offer created.
      for (const t of link.pc.getTransceivers()) {
        const kind = t.receiver.track.kind as Kind;
        t.direction = "sendrecv";
        await t.sender.replaceTrack(this.opts.track(kind));
      }
      await link.pc.setLocalDescription(await link.pc.createAnswer());
      this.opts.send(from, { kind: "description", description: { type: "answer", sdp: link.pc.localDescription!.sdp } });
      await this.flush(link);
    } else {
      const link = this.links.get(from);
      if (!link || link.pc.signalingState !== "have-local-offer") return;
      await link.pc.setRemoteDescription(description);
      await this.flush(link);
    }
  }

  /** Sends `track` (or nothing) as this browser's `kind` to every peer. */
  async replaceTrack(kind: Kind, track: MediaStreamTrack | null): Promise<void> {
    await Promise.all(
      [...this.links.values()].map(({ pc }) => pc.getTransceivers().find((t) => t.receiver.track.kind === kind)?.sender.replaceTrack(track)),
    );
  }

  drop(peerId: string) {
    this.links.get(peerId)?.pc.close();
    this.links.delete(peerId);
  }

  close() {
    for (const id of [...this.links.keys()]) this.drop(id);
  }

  private link(peerId: string, initiator: boolean): Link {
    this.drop(peerId);
    const pc = new RTCPeerConnection({ iceServers: this.opts.iceServers });
    const link: Link = { pc, initiator, pending: [] };
    this.links.set(peerId, link);
    pc.onicecandidate = ({ candidate: c }) =>
      this.opts.send(peerId, { kind: "candidate", candidate: c ? { candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex, usernameFragment: c.usernameFragment } : null });
    pc.ontrack = () => this.opts.onStream(peerId, new MediaStream(pc.getReceivers().map((r) => r.track)));
    pc.onconnectionstatechange = () => {
      if (this.links.get(peerId) !== link) return;
      this.opts.onState(peerId, pc.connectionState);
      // The caller restarts ICE when the path breaks (a network change, a sleeping laptop).
      if (pc.connectionState === "failed" && link.initiator) {
        pc.restartIce();
        void this.offer(peerId, link);
      }
    };
    return link;
  }

  private async offer(peerId: string, link: Link) {
    await link.pc.setLocalDescription(await link.pc.createOffer());
    this.opts.send(peerId, { kind: "description", description: { type: "offer", sdp: link.pc.localDescription!.sdp } });
  }

  private async flush(link: Link) {
    for (const c of link.pending.splice(0)) await link.pc.addIceCandidate(c).catch(() => undefined);
  }
}
