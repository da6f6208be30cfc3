import { For, Show, createSignal } from "solid-js";
import { REPORT_REASONS } from "../../../../domain/schemas/conversation";
import { report } from "../../features/messages/actions";
import { createAction } from "../../lib/action";
import { DialogActions } from "../DialogActions";

type Reason = (typeof REPORT_REASONS)[number];
const T = {
  intro: (name: string) => `Tell us what's wrong. Tutorly's team reads the conversation with ${name} and can suspend accounts that break the rules.`,
  reasons: {
    spam: "Spam or advertising",
    harassment: "Harassment or threats",
    inappropriate: "Inappropriate content",
    off_platform_payment: "Asks to pay outside Tutorly",
    other: "Something else",
  } satisfies Record<Reason, string>,
  legend: "Reason",
  details: "What happened (optional)",
  block: (name: string) => `Also block ${name}`,
  send: "Send report",
  sending: "Sending…",
  back: "Cancel",
  done: "Thank you. Our team will look at this conversation.",
  close: "Close",
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
      if (!r) throw new Error("Choose a reason.");
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
                <span>{T.reasons[r]}</span>
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
