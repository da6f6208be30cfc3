import { type Accessor, createSignal, onCleanup } from "solid-js";

let shared: AudioContext | undefined;
const WINDOW = 4096;
/** One AudioContext for the page, created (and resumed) after a click so autoplay rules allow it. */
export function audioContext(): AudioContext {
  shared ??= new AudioContext();
  if (shared.state === "suspended") void shared.resume();
  return shared;
}

/**
 * The loudness (0–1) of a stream's audio, sampled about ten times a second; closes with its component.
 * Drives the speaking ring on tiles and the microphone meter in the device check.
 */
export function createAudioLevel(stream: Accessor<MediaStream | null | undefined>): Accessor<number> {
  const [level, setLevel] = createSignal(0);
  let source: MediaStreamAudioSourceNode | undefined;
  let analyser: AnalyserNode | undefined;
  let current: MediaStream | null | undefined;
  // The last ~85 ms of sound (4,096 samples at 48 kHz), read every 100 ms: a short sound between two readings (a
  // clipped word, a beep) still moves the meter, where a 512-sample window saw one tenth of the time.
  const buffer = new Uint8Array(WINDOW);
  const timer = setInterval(() => {
    const s = stream();
    const track = s?.getAudioTracks()[0];
    if (s !== current || (track && !source) || (!track && source)) {
      source?.disconnect();
      source = undefined;
      current = s;
      if (track) {
        const ctx = audioContext();
        analyser ??= Object.assign(ctx.createAnalyser(), { fftSize: WINDOW });
        source = ctx.createMediaStreamSource(new MediaStream([track]));
        source.connect(analyser);
      }
    }
    if (!analyser || !source) return setLevel(0);
    analyser.getByteTimeDomainData(buffer);
    let peak = 0;
    for (const v of buffer) peak = Math.max(peak, Math.abs(v - 128));
    setLevel(Math.min(1, peak / 64));
  }, 100);
  onCleanup(() => {
    clearInterval(timer);
    source?.disconnect();
  });
  return level;
}
