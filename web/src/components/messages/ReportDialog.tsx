import { For, Show, createSignal } from "solid-js";
import { REPORT_REASONS } from "../../../../domain/schemas/conversation";
import { report } from "../../features/messages/actions";
import { createAction } from "../../lib/action";
import { DialogActions } from "../DialogActions";
import { t } from "../../i18n";

type Reason = (typeof REPORT_REASONS)[number];
/** The words, from the catalogs (getters: each read follows the language). */
const T = {
  intro: (name: string) => t("messages.report.intro", { name }),
  reason: (r: Reason) => (r === "other" ? t("messages.report.reasonOther") : t(`messages.report.reasons.${r}`)),
  get legend() {
    return t("messages.report.legend");
  },
  get details() {
    return t("messages.report.details");
  },
  block: (name: string) => t("messages.report.block", { name }),
  get send() {
    return t("messages.report.send");
  },
  get sending() {
    return t("messages.report.sending");
  },
  get back() {
    return t("messages.report.back");
  },
  get done() {
    return t("messages.report.done");
  },
  get close() {
    return t("messages.report.close");
  },
  get chooseReason() {
    return t("messages.report.chooseReason");
  },
};

/** Reports a conversation: a reason, optional details, and (ticked by default) blocking the other person. */
export function ReportDialogBody(props: { conversationId: string; otherName: string; onClose: () => void; onPendingChange: (p: boolean) => void }) {
  const [reason, setReason] = createSignal<Reason>();
  const [details, setDetails] = createSignal("");
  const [block, setBlock] = createSignal(true);
  const [done, setDone] = createSignal(false);
  const key = crypto.randomUUID();
  const send = createAction(
    async () => {
      const r = reason();
      if (!r) throw new Error(T.chooseReason);
      await report(props.conversationId, { reason: r, details: details().trim() || undefined, block: block() }, key);
      setDone(true);
    },
    { onPendingChange: props.onPendingChange },
  );
  return (
    <Show
      when={!done()}
      fallback={
        <div class="stack">
          <p class="alert success" role="status">
            {T.done}
          </p>
          <button type="button" class="btn" onClick={props.onClose} autofocus>
            {T.close}
          </button>
        </div>
      }
    >
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void send.run();
        }}
      >
        <p>{T.intro(props.otherName)}</p>
        <fieldset class="choice-group single">
          <legend>{T.legend}</legend>
          <For each={REPORT_REASONS}>
            {(r) => (
              <label class="choice">
                <input type="radio" name="report-reason" value={r} checked={reason() === r} onChange={() => setReason(r)} />
                <span>{T.reason(r)}</span>
              </label>
            )}
          </For>
        </fieldset>
        <div class="field">
          <label for="report-details">{T.details}</label>
          <textarea id="report-details" maxLength={1000} value={details()} onInput={(e) => setDetails(e.currentTarget.value)} />
        </div>
        <label class="check">
          <input type="checkbox" checked={block()} onChange={(e) => setBlock(e.currentTarget.checked)} />
          <span>{T.block(props.otherName)}</span>
        </label>
        <DialogActions pending={send.pending()} error={send.error()} danger disabled={!reason()} confirm={send.pending() ? T.sending : T.send} back={T.back} onBack={props.onClose} />
      </form>
    </Show>
  );
}
