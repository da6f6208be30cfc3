import { Show } from "solid-js";

/** A failure to show (nothing when there is none); announced at once. */
export function ErrorAlert(props: { message?: string }) {
  return (
    <Show when={props.message}>
      <div class="alert error" role="alert">
        {props.message}
      </div>
    </Show>
  );
}

/** A passing message (an action's result, a heads-up); nothing when there is none; announced politely. */
export function Notice(props: { message?: string; tone?: "success" | "info" | "warning" }) {
  return (
    <Show when={props.message}>
      <div class={`alert ${props.tone ?? "success"}`} role="status">
        {props.message}
      </div>
    </Show>
  );
}
