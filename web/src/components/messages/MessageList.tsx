import { For, Show } from "solid-js";
import type { Message } from "../../features/messages/conversations";
import type { Outgoing } from "../../features/messages/thread";
import { dayOf, formatDay, formatTime } from "../../lib/time";
import { t } from "../../i18n";

/** The words, from the catalogs (getters: each read follows the language). */
const T = {
  get you() {
    return t("messages.bubbles.you");
  },
  get sending() {
    return t("messages.bubbles.sending");
  },
  get notSent() {
    return t("messages.bubbles.notSent");
  },
  get retry() {
    return t("messages.bubbles.retry");
  },
  get discard() {
    return t("messages.bubbles.discard");
  },
  sentAt: (time: string) => t("messages.bubbles.sentAt", { time }),
};

/**
 * Messages as bubbles (the caller's on the right), with a line for each new day, times in `zone`. Text is only
 * ever put in text nodes: a link or a tag in a message shows as typed, never as HTML.
 */
export function MessageList(props: {
  messages: Message[];
  me?: string;
  zone: string;
  otherName: string;
  /** Sender names shown on each bubble (for a reader who is neither participant: the admin console). */
  names?: Record<string, string>;
  outgoing?: Outgoing[];
  onRetry?: (id: string) => void;
  onDiscard?: (id: string) => void;
}) {
  const senderOf = (m: Message) => props.names?.[m.senderId] ?? (m.senderId === props.me ? T.you : props.otherName);
  const newDay = (i: number) => i === 0 || dayOf(props.messages[i - 1]!.createdAt, props.zone) !== dayOf(props.messages[i]!.createdAt, props.zone);
  return (
    <>
      <For each={props.messages}>
        {(m, i) => (
          <>
            <Show when={newDay(i())}>
              <li class="day-line">
                <span>{formatDay(dayOf(m.createdAt, props.zone), { long: true })}</span>
              </li>
            </Show>
            <li class="bubble-row" classList={{ mine: m.senderId === props.me }} data-seq={m.seq} data-message={m.id}>
              <Show when={!props.names} fallback={<span class="bubble-sender small">{senderOf(m)}</span>}>
                <span class="sr-only">{senderOf(m)}: </span>
              </Show>
              <div class="bubble">
                <p class="bubble-text" dir="auto">{m.text}</p>
                <time class="bubble-time" dateTime={m.createdAt}>
                  {formatTime(m.createdAt, props.zone)}
                </time>
              </div>
            </li>
          </>
        )}
      </For>
      <For each={props.outgoing ?? []}>
        {(o) => (
          <li class="bubble-row mine" data-outgoing={o.state}>
            <div class="bubble pending" classList={{ failed: o.state === "failed" }}>
              <p class="bubble-text" dir="auto">{o.text}</p>
              <Show when={o.state === "failed"} fallback={<span class="bubble-time">{T.sending}</span>}>
                <span class="bubble-error" role="alert">
                  {T.notSent} {o.error}
                </span>
                <span class="row tight">
                  <button type="button" class="btn small secondary" onClick={() => props.onRetry?.(o.localId)}>
                    {T.retry}
                  </button>
                  <button type="button" class="btn small ghost" onClick={() => props.onDiscard?.(o.localId)}>
                    {T.discard}
                  </button>
                </span>
              </Show>
            </div>
          </li>
        )}
      </For>
    </>
  );
}
