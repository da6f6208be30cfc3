import { dayOf, formatDateTime, formatTime } from "../../lib/time";
import { For, Show, createEffect, createResource, createSignal, onCleanup } from "solid-js";
import { joinWindow } from "../../../../domain/video/window";
import { audioContext, createAudioLevel } from "../../features/video/audioLevel";
import { type DeviceChoice, listDevices, openDevices, stopStream } from "../../features/video/devices";
import { Button } from "../Button";
import { ErrorAlert } from "../Alert";
import { t } from "../../i18n";

/**
 * Before joining: pick a camera and a microphone, see yourself, watch the microphone meter move, and choose
 * to start muted or with the camera off. Joining hands the chosen stream to the call.
 */
export function DeviceCheck(props: {
  start?: string;
  end?: string;
  zone: string;
  pending: boolean;
  error?: string;
  /** Resolves to whether the call took the stream over (then it is no longer this component's to stop). */
  onJoin(choice: DeviceChoice, stream: MediaStream, start: { mic: boolean; camera: boolean }): Promise<boolean>;
}) {
  const [choice, setChoice] = createSignal<DeviceChoice>({ cameraId: null, micId: null });
  const [stream, setStream] = createSignal<MediaStream | null>(null);
  const [deviceError, setDeviceError] = createSignal<string | null>(null);
  const [micOn, setMicOn] = createSignal(true);
  const [cameraOn, setCameraOn] = createSignal(true);
  let handedOver = false;
  let video!: HTMLVideoElement;

  // Opening the devices first is what fills in their labels.
  createEffect(() => {
    const c = choice();
    let cancelled = false;
    void openDevices(c).then(({ stream: s, error }) => {
      if (cancelled) return stopStream(s);
      setStream((old) => {
        stopStream(old);
        return s;
      });
      setDeviceError(error);
      void refetch();
    });
    onCleanup(() => (cancelled = true));
  });
  const [devices, { refetch }] = createResource(listDevices);
  createEffect(() => {
    video.srcObject = stream();
    void video.play().catch(() => undefined);
  });
  onCleanup(() => !handedOver && stopStream(stream()));
  const level = createAudioLevel(stream);

  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 5_000);
  onCleanup(() => clearInterval(tick));
  const opensAt = () => (props.start && props.end ? joinWindow({ start: Date.parse(props.start), end: Date.parse(props.end) }).opensAt : null);
  const tooEarly = () => {
    const at = opensAt();
    return at !== null && now() < at;
  };
  // The room's opening time, with its day when that is not today.
  const time = (t: number) => (dayOf(t, props.zone) === dayOf(now(), props.zone) ? formatTime(t, props.zone) : formatDateTime(t, props.zone));

  const join = async () => {
    const s = stream();
    if (!s) return;
    // Joining unmounts this component before `onJoin` resolves; the stream must survive that.
    handedOver = true;
    if (!(await props.onJoin(choice(), s, { mic: micOn(), camera: cameraOn() }))) handedOver = false;
  };

  return (
    // A click lets the page's audio context run, so the microphone meter moves (autoplay rules).
    <section class="card device-check" aria-labelledby="device-check-title" onPointerDown={() => audioContext()}>
      <h2 id="device-check-title">{t("room.check.title")}</h2>
      <div class="device-check-body">
        <div class="preview">
          <video ref={video} class="mirrored" autoplay playsinline muted aria-label={t("room.check.preview")} classList={{ hidden: !cameraOn() }} />
          <Show when={!cameraOn()}>
            <div class="preview-off">{t("room.check.cameraOff")}</div>
          </Show>
        </div>
        <div class="stack">
          <div class="field">
            <label for="camera-select">{t("room.check.camera")}</label>
            <select
              id="camera-select"
              value={choice().cameraId ?? stream()?.getVideoTracks()[0]?.getSettings().deviceId ?? ""}
              onChange={(e) => setChoice((c) => ({ ...c, cameraId: e.currentTarget.value || null }))}
            >
              <For each={devices.latest?.cameras ?? []} fallback={<option value="">{t("room.check.noCamera")}</option>}>
                {(d, i) => <option value={d.deviceId}>{d.label || t("room.check.cameraN", { n: i() + 1 })}</option>}
              </For>
            </select>
          </div>
          <div class="field">
            <label for="mic-select">{t("room.check.mic")}</label>
            <select
              id="mic-select"
              value={choice().micId ?? stream()?.getAudioTracks()[0]?.getSettings().deviceId ?? ""}
              onChange={(e) => setChoice((c) => ({ ...c, micId: e.currentTarget.value || null }))}
            >
              <For each={devices.latest?.microphones ?? []} fallback={<option value="">{t("room.check.noMic")}</option>}>
                {(d, i) => <option value={d.deviceId}>{d.label || t("room.check.micN", { n: i() + 1 })}</option>}
              </For>
            </select>
            <meter class="mic-meter" min={0} max={1} value={level()} aria-label={t("room.check.level")} />
          </div>
          <fieldset class="choice-group">
            <legend>{t("room.check.joinWith")}</legend>
            <label class="choice">
              <input type="checkbox" checked={cameraOn()} onChange={(e) => setCameraOn(e.currentTarget.checked)} /> {t("room.check.cameraOn")}
            </label>
            <label class="choice">
              <input type="checkbox" checked={micOn()} onChange={(e) => setMicOn(e.currentTarget.checked)} /> {t("room.check.micOn")}
            </label>
          </fieldset>
          <Show when={deviceError()}>
            <div class="alert warning" role="status">
              {deviceError()} {t("room.check.stillJoin")}
            </div>
          </Show>
          <ErrorAlert message={props.error} />
          <Show when={tooEarly()}>
            <p class="muted small">{t("room.check.opensAt", { time: time(opensAt()!), minutes: 10 })}</p>
          </Show>
          <Button pending={props.pending} disabled={!stream() || tooEarly()} onClick={join} block>
            {t("room.check.join")}
          </Button>
        </div>
      </div>
    </section>
  );
}
