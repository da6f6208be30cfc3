import { Show, createSignal } from "solid-js";
import { Dialog } from "../Dialog";
import { Button } from "../Button";
import { ErrorAlert } from "../Alert";

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
      setError(e instanceof Error ? e.message : "The session could not be ended.");
    } finally {
      setEnding(false);
    }
  };
  return (
    <div class="room-controls" role="toolbar" aria-label="Call controls">
      <button type="button" class="btn secondary" aria-pressed={!props.mic} onClick={() => props.onMic()}>
        {props.mic ? "Mute" : "Unmute"}
      </button>
      <button type="button" class="btn secondary" aria-pressed={!props.camera} onClick={() => props.onCamera()}>
        {props.camera ? "Stop camera" : "Start camera"}
      </button>
      <Show when={props.canShareScreen}>
        <button type="button" class="btn secondary" aria-pressed={props.screen} onClick={() => props.onScreen()}>
          {props.screen ? "Stop sharing" : "Share screen"}
        </button>
      </Show>
      <span class="spacer" />
      <button type="button" class="btn ghost" onClick={() => props.onLeave()}>
        Leave
      </button>
      <Show when={props.host}>
        <button type="button" class="btn danger" onClick={() => setConfirming(true)}>
          End session
        </button>
        <Dialog open={confirming()} title="End the session for everyone?" onClose={() => setConfirming(false)} busy={ending()}>
          <p>Everyone leaves the room and the session is marked as completed. Your earnings for it are recorded.</p>
          <ErrorAlert message={error()} />
          <div class="dialog-actions">
            <button type="button" class="btn secondary" onClick={() => setConfirming(false)} disabled={ending()}>
              Keep going
            </button>
            <Button variant="danger" pending={ending()} onClick={end} autofocus>
              End session
            </Button>
          </div>
        </Dialog>
      </Show>
    </div>
  );
}
