/** How a call sends this browser's media, whichever provider carries it. `null` sends nothing (muted, camera off). */
export type Transport = {
  setAudio(track: MediaStreamTrack | null): Promise<void>;
  /** The camera, or nothing. */
  setVideo(track: MediaStreamTrack | null): Promise<void>;
  /** Starts sharing the screen (the browser asks which); the shared track, or null when the user cancelled. */
  startScreen(): Promise<MediaStreamTrack | null>;
  stopScreen(): Promise<void>;
  /** The tutor ended the session: everyone leaves the provider's side too. */
  endForAll(): Promise<void>;
  close(): Promise<void>;
};

/** A remote participant's media as a provider reports it, keyed by their user id. */
export type RemoteMedia = { userId: string; stream: MediaStream | null };
