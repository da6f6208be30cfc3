import { formatTime } from "../../lib/time";
import { For, Show, createEffect, createSignal } from "solid-js";
import { CHAT_MAX_CHARS, type ChatMessage } from "../../../../domain/video/protocol";
import { t } from "../../i18n";

/** The room's text chat: everything said since the room opened, and a box to say more. */
export function ChatPanel(props: { messages: ChatMessage[]; selfId?: string; zone: string; disabled?: boolean; onSend(text: string): void }) {
  const [text, setText] = createSignal("");
  let list!: HTMLOListElement;
  createEffect(() => {
    props.messages.length;
    queueMicrotask(() => list && (list.scrollTop = list.scrollHeight));
  });
  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const value = text().trim();
    if (!value) return;
    props.onSend(value);
    setText("");
  };
  const time = (at: string) => formatTime(at, props.zone);
  return (
    <section class="chat" aria-labelledby="chat-title">
      <h2 id="chat-title" class="chat-title">
        {t("room.chat.title")}
      </h2>
      <ol class="chat-list" ref={list} aria-live="polite" aria-label={t("room.chat.messages")}>
        <Show when={!props.messages.length}>
          <li class="chat-empty muted small">{t("room.chat.empty")}</li>
        </Show>
        <For each={props.messages}>
          {(m) => (
            <li class="chat-message" classList={{ mine: m.userId === props.selfId }}>
              <div class="chat-meta small">
                <strong>{m.userId === props.selfId ? t("sessions.detail.you") : m.name}</strong> <span class="muted">{time(m.at)}</span>
              </div>
              {/* A line whose writer deleted their account keeps its place, its words erased. */}
              <Show when={m.text} fallback={<p class="chat-text muted"><em>{t("room.chat.removed")}</em></p>}>
                <p class="chat-text" dir="auto">{m.text}</p>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <form class="chat-form" onSubmit={submit}>
        <label class="sr-only" for="chat-input">
          {t("room.chat.label")}
        </label>
        <input
          id="chat-input"
          type="text"
          placeholder={t("room.chat.placeholder")}
          autocomplete="off"
          maxLength={CHAT_MAX_CHARS}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          disabled={props.disabled}
        />
        <button type="submit" class="btn small" disabled={props.disabled || !text().trim()}>
          {t("room.chat.send")}
        </button>
      </form>
    </section>
  );
}
