import { type JSX, Show, createEffect, createUniqueId, onCleanup } from "solid-js";
import { t } from "../i18n";

/**
 * A modal on the native `<dialog>`: the page behind is inert while it is open, focus moves into it (to the
 * first `[autofocus]` or focusable element) and returns to what opened it; Esc and a click on the backdrop
 * call `onClose`, unless `busy` says an action is in flight.
 */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; busy?: boolean; wide?: boolean; children: JSX.Element }) {
  let dialog!: HTMLDialogElement;
  let opener: Element | null = null;
  const titleId = createUniqueId();

  createEffect(() => {
    if (props.open && !dialog.open) {
      opener = document.activeElement;
      dialog.showModal();
      queueMicrotask(() => {
        const target = dialog.querySelector<HTMLElement>("[autofocus]") ?? dialog.querySelector<HTMLElement>("button, [href], input, select, textarea");
        target?.focus();
      });
    } else if (!props.open && dialog.open) {
      dialog.close();
    }
  });
  onCleanup(() => dialog?.open && dialog.close());

  const requestClose = () => {
    if (!props.busy) props.onClose();
  };
  return (
    <dialog
      ref={dialog}
      class={props.wide ? "dialog wide" : "dialog"}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        requestClose();
      }}
      onClose={() => {
        if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      }}
      onClick={(e) => e.target === dialog && requestClose()}
    >
      <div class="dialog-body">
        <div class="dialog-head">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" class="icon-btn" aria-label={t("core.app.close")} onClick={requestClose} disabled={props.busy}>
            ×
          </button>
        </div>
        <Show when={props.open}>{props.children}</Show>
      </div>
    </dialog>
  );
}
