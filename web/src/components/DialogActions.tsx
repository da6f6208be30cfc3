import type { JSX } from "solid-js";
import { ErrorAlert } from "./Alert";
import { Button } from "./Button";

/**
 * A confirming dialog's last lines: the action's error, the confirm button (a submit button when there is no
 * `onConfirm`) and the way back, which is disabled while the action is pending and may take the first focus.
 */
export function DialogActions(props: {
  pending: boolean;
  error?: string;
  confirm: JSX.Element;
  onConfirm?: () => void;
  danger?: boolean;
  disabled?: boolean;
  back: string;
  onBack: () => void;
  focusBack?: boolean;
}) {
  return (
    <>
      <ErrorAlert message={props.error} />
      <div class="row dialog-actions">
        <Button type={props.onConfirm ? "button" : "submit"} variant={props.danger ? "danger" : undefined} onClick={props.onConfirm} pending={props.pending} disabled={props.disabled}>
          {props.confirm}
        </Button>
        <Button type="button" variant="secondary" onClick={props.onBack} disabled={props.pending} autofocus={props.focusBack}>
          {props.back}
        </Button>
      </div>
    </>
  );
}
