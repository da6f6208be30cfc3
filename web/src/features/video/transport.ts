/** How a call sends this browser's media, whichever provider carries it. `null` sends nothing (muted, camera off). */
export type Transport = {
  setAudio(track: MediaStreamTrack | null): Promise<void>;
  /** The camera, the shared screen, or nothing. */
  setVideo(track: MediaStreamTrack | null): Promise<void>;
  close(): Promise<void>;
};

/** A remote participant's media as a provider reports it, keyed by their user id. */
export type RemoteMedia = { userId: string; stream: MediaStream | null };
