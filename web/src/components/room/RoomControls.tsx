import { Show, createSignal } from "solid-js";
import { Dialog } from "../Dialog";
import { Button } from "../Button";
import { ErrorAlert } from "../Alert";
import { t } from "../../i18n";

/** The bar under the grid: microphone, camera, screen, leave, and for the tutor, ending the session. */
export function RoomControls(props: {
  mic: boolean;
  camera: boolean;
  screen: boolean;
  host: boolean;
  canShareScreen: boolean;
  onMic(): void;
  onCamera(): void;
  onScreen(): void;
  onLeave(): void;
  onEnd(): Promise<void>;
}) {
  const [confirming, setConfirming] = createSignal(false);
  const [ending, setEnding] = createSignal(false);
  const [error, setError] = createSignal<string>();
  const end = async () => {
    setEnding(true);
    setError();
    try {
      await props.onEnd();
      setConfirming(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : t("room.controls.endFailed"));
    } finally {
      setEnding(false);
    }
  };
  return (
    <div class="room-controls" role="toolbar" aria-label={t("room.controls.label")}>
      <button type="button" class="btn secondary" aria-pressed={!props.mic} onClick={() => props.onMic()}>
        {props.mic ? t("room.controls.mute") : t("room.controls.unmute")}
      </button>
      <button type="button" class="btn secondary" aria-pressed={!props.camera} onClick={() => props.onCamera()}>
        {props.camera ? t("room.controls.stopCamera") : t("room.controls.startCamera")}
      </button>
      <Show when={props.canShareScreen}>
        <button type="button" class="btn secondary" aria-pressed={props.screen} onClick={() => props.onScreen()}>
          {props.screen ? t("room.controls.stopSharing") : t("room.controls.share")}
        </button>
      </Show>
      <span class="spacer" />
      <button type="button" class="btn ghost" onClick={() => props.onLeave()}>
        {t("room.controls.leave")}
      </button>
      <Show when={props.host}>
        <button type="button" class="btn danger" onClick={() => setConfirming(true)}>
          {t("room.controls.end")}
        </button>
        <Dialog open={confirming()} title={t("room.controls.endTitle")} onClose={() => setConfirming(false)} busy={ending()}>
          <p>{t("room.controls.endBody")}</p>
          <ErrorAlert message={error()} />
          <div class="dialog-actions">
            <button type="button" class="btn secondary" onClick={() => setConfirming(false)} disabled={ending()}>
              {t("room.controls.keep")}
            </button>
            <Button variant="danger" pending={ending()} onClick={end} autofocus>
              {t("room.controls.end")}
            </Button>
          </div>
        </Dialog>
      </Show>
    </div>
  );
}
