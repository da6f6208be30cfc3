import { Show, createSignal } from "solid-js";
import { MESSAGE_MAX_CHARS } from "../../../../domain/messaging/text";
import { SendMessageSchema } from "../../../../domain/schemas/conversation";
import { humanErrorIn } from "../../../../domain/schemas/humanErrors";
import { language, t } from "../../i18n";

/** The words, from the catalogs (getters: each read follows the language). */
const T = {
  label: (name: string) => t("messages.composer.label", { name }),
  get placeholder() {
    return t("messages.composer.placeholder");
  },
  get hint() {
    return t("messages.composer.hint");
  },
  get send() {
    return t("messages.composer.send");
  },
  left: (n: number) => (n >= 0 ? t("messages.composer.left", { count: n }) : t("messages.composer.tooMany", { count: -n })),
};

/** The text box under a thread: checked with the server's schema, Enter sends, Shift+Enter breaks the line. */
export function Composer(props: { otherName: string; disabled?: boolean; onSend: (text: string) => void }) {
  const [text, setText] = createSignal("");
  const [error, setError] = createSignal<string>();
  let box!: HTMLTextAreaElement;
  const left = () => MESSAGE_MAX_CHARS - text().length;
  const submit = (e?: Event) => {
    e?.preventDefault();
    const parsed = SendMessageSchema.safeParse({ text: text() }, { error: humanErrorIn(language()) });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message);
    setError(undefined);
    props.onSend(parsed.data.text);
    setText("");
    box.focus();
  };
  return (
    <form class="composer" onSubmit={submit}>
      <label for="composer-text" class="sr-only">
        {T.label(props.otherName)}
      </label>
      <textarea
        ref={box}
        id="composer-text"
        rows={2}
        placeholder={T.placeholder}
        value={text()}
        disabled={props.disabled}
        aria-describedby="composer-hint"
        aria-invalid={error() ? "true" : undefined}
        onInput={(e) => {
          setText(e.currentTarget.value);
          setError(undefined);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.isComposing) submit(e);
        }}
      />
      <button type="submit" class="btn" disabled={props.disabled || !text().trim()}>
        {T.send}
      </button>
      <p id="composer-hint" class="composer-hint small muted">
        <Show when={error()} fallback={left() < 200 ? T.left(left()) : T.hint}>
          <span class="field-error" role="alert">
            {error()}
          </span>
        </Show>
      </p>
    </form>
  );
}
