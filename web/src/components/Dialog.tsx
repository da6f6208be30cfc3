import { useIsRouting } from "@solidjs/router";
import { type JSX, Show, createEffect, createUniqueId, onCleanup } from "solid-js";
import { t } from "../i18n";

/**
 * A modal on the native `<dialog>`: the page behind is inert while it is open, focus moves into it (to the
 * first `[autofocus]` or focusable element) and returns to what opened it; Esc, a click on the backdrop and the
 * browser's Back call `onClose`, unless `busy` says an action is in flight.
 *
 * Back: opening adds a history entry with the same URL (marked with this dialog's id), so Back pops that entry
 * and closes the dialog instead of leaving the page; closing any other way takes the entry off again.
 */
export function Dialog(props: { open: boolean; title: string; onClose: () => void; busy?: boolean; wide?: boolean; children: JSX.Element }) {
  let dialog!: HTMLDialogElement;
  let opener: Element | null = null;
  const titleId = createUniqueId();
  let entry = false;
  const ours = () => (history.state as { dialog?: unknown } | null)?.dialog === titleId;
  const onPop = () => {
    if (!entry || ours()) return;
    entry = false;
    if (!props.busy) return props.onClose();
    // An action is in flight: stay open, and put the entry back for the next Back.
    history.pushState({ ...(history.state ?? {}), dialog: titleId }, "");
    entry = true;
  };
  window.addEventListener("popstate", onPop);
  const dropEntry = () => {
    if (entry && ours()) history.back();
    entry = false;
  };
  const routing = useIsRouting();
  onCleanup(() => {
    window.removeEventListener("popstate", onPop);
    // Unmounted by a navigation (a link inside the dialog): the router's new entry is on its way; going back
    // would undo it.
    if (!routing()) dropEntry();
  });

  createEffect(() => {
    if (props.open && !dialog.open) {
      opener = document.activeElement;
      history.pushState({ ...(history.state ?? {}), dialog: titleId }, "");
      entry = true;
      dialog.showModal();
      queueMicrotask(() => {
        const target = dialog.querySelector<HTMLElement>("[autofocus]") ?? dialog.querySelector<HTMLElement>("button, [href], input, select, textarea");
        target?.focus();
      });
    } else if (!props.open && dialog.open) {
      dialog.close();
      dropEntry();
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
