import { t } from "../../i18n";

/** Cameras and microphones, and the local stream built from the ones picked. */

export type DeviceLists = { cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] };
export type DeviceChoice = { cameraId: string | null; micId: string | null };

/** Lists devices; their labels are only filled in once the page has been granted access. */
export async function listDevices(): Promise<DeviceLists> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return { cameras: all.filter((d) => d.kind === "videoinput"), microphones: all.filter((d) => d.kind === "audioinput") };
}

const videoConstraints = (cameraId: string | null): MediaTrackConstraints => ({
  ...(cameraId ? { deviceId: { exact: cameraId } } : {}),
  width: { ideal: 1280 },
  height: { ideal: 720 },
});
const audioConstraints = (micId: string | null): MediaTrackConstraints => ({
  ...(micId ? { deviceId: { exact: micId } } : {}),
  echoCancellation: true,
  noiseSuppression: true,
});

/** A camera track from `cameraId` (or the default camera). */
export async function openCamera(cameraId: string | null): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(cameraId) });
  return stream.getVideoTracks()[0]!;
}

/**
 * A stream with the picked camera and microphone. Either may be missing (no device, or access refused): the
 * call still works with what there is.
 */
export async function openDevices(choice: DeviceChoice, want: { video: boolean; audio: boolean } = { video: true, audio: true }): Promise<{ stream: MediaStream; error: string | null }> {
  const stream = new MediaStream();
  const errors: string[] = [];
  if (want.video) {
    try {
      stream.addTrack(await openCamera(choice.cameraId));
    } catch (e) {
      errors.push(t("room.connection.camera", { reason: describe(e) }));
    }
  }
  if (want.audio) {
    try {
      const mic = await navigator.mediaDevices.getUserMedia({ audio: audioConstraints(choice.micId) });
      stream.addTrack(mic.getAudioTracks()[0]!);
    } catch (e) {
      errors.push(t("room.connection.microphone", { reason: describe(e) }));
    }
  }
  return { stream, error: errors.length ? t("room.connection.devicesFailed", { devices: errors.join(t("room.connection.or")) }) : null };
}

function describe(e: unknown): string {
  if (e instanceof DOMException) {
    if (e.name === "NotAllowedError") return t("room.connection.blocked");
    if (e.name === "NotFoundError" || e.name === "OverconstrainedError") return t("room.connection.noDevice");
    if (e.name === "NotReadableError") return t("room.connection.busy");
  }
  return t("room.connection.didntStart");
}

export function stopStream(stream: MediaStream | null | undefined) {
  stream?.getTracks().forEach((t) => t.stop());
}
