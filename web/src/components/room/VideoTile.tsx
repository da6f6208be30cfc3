import { Show, createEffect, createSignal, onCleanup } from "solid-js";
import { createAudioLevel } from "../../features/video/audioLevel";
import { type PlainKey, t } from "../../i18n";

// A failed connection is restarted at once (features/video/mesh.ts), so it reads as reconnecting too.
const LINK_TEXT: Record<string, PlainKey> = {
  new: "room.phase.connecting",
  connecting: "room.phase.connecting",
  disconnected: "room.phase.reconnecting",
  failed: "room.phase.reconnecting",
  closed: "room.phase.failed",
};

/**
 * One person in the grid: their video (or their initial when the camera is off), name, muted and sharing
 * marks, a ring while they speak, and the state of the connection to them ("Reconnecting…" while their network
 * or yours comes back). Remote tiles play sound; the self view is muted and mirrored. The tutor sees a mute and
 * a remove button on each student's tile.
 */
export function VideoTile(props: {
  stream: MediaStream | null;
  name: string;
  self?: boolean;
  host?: boolean;
  audio: boolean;
  video: boolean;
  screen: boolean;
  link?: string | null;
  /** Their connection to the room dropped; they may come back. */
  away?: boolean;
  userId?: string;
  /** Where to hear this person's voice for the speaking ring (the self tile passes its microphone). */
  audioStream?: MediaStream | null;
  onSpeaking?(speaking: boolean): void;
  onMute?(): void;
  onRemove?(): void;
}) {
  let el!: HTMLVideoElement;
  const [blocked, setBlocked] = createSignal(false);
  createEffect(() => {
    const stream = props.stream;
    if (el.srcObject !== stream) el.srcObject = stream;
    if (stream) el.play().then(() => setBlocked(false), () => setBlocked(!props.self));
  });
  onCleanup(() => (el.srcObject = null));

  const level = createAudioLevel(() => (props.audioStream !== undefined ? props.audioStream : props.self ? null : props.stream));
  const speaking = () => level() > 0.08 && props.audio;
  createEffect(() => props.onSpeaking?.(speaking()));
  // Remembers that sound came through at all (tests and the "can you hear me" moment both want to know).
  const [heard, setHeard] = createSignal(false);
  createEffect(() => speaking() && setHeard(true));

  const connecting = () => {
    if (props.self) return null;
    if (props.away) return t("room.phase.reconnecting");
    return props.link && props.link !== "connected" ? t(LINK_TEXT[props.link] ?? "room.phase.connecting") : null;
  };
  const showVideo = () => !!props.stream && (props.video || props.screen);

  return (
    <figure
      class="tile"
      classList={{ speaking: speaking(), self: !!props.self, screen: props.screen }}
      data-self={props.self ? "true" : undefined}
      data-remote={props.self ? undefined : "true"}
      data-user={props.userId}
      data-audio={heard() ? "heard" : undefined}
      data-link={props.link ?? undefined}
      data-away={props.away ? "true" : undefined}
      data-speaking={speaking() ? "true" : undefined}
    >
      <video ref={el} autoplay playsinline muted={!!props.self} classList={{ mirrored: !!props.self && !props.screen, hidden: !showVideo() }} aria-label={t("room.tile.video", { name: props.name })} />
      <Show when={!showVideo()}>
        <div class="tile-avatar" aria-hidden="true">
          {props.name.slice(0, 1).toUpperCase()}
        </div>
      </Show>
      <figcaption class="tile-name">
        <span>{props.self ? t("room.tile.you", { name: props.name }) : props.name}</span>
        <Show when={props.host}>
          <span class="tile-tag">{t("sessions.detail.tutor")}</span>
        </Show>
        <Show when={!props.audio}>
          <span class="tile-tag muted-tag" title={t("room.tile.micOff")}>{t("room.tile.muted")}</span>
        </Show>
        <Show when={props.screen}>
          <span class="tile-tag">{t("room.tile.sharing")}</span>
        </Show>
      </figcaption>
      <Show when={connecting()}>
        <div class="tile-status" role="status">
          {connecting()}
        </div>
      </Show>
      <Show when={props.onMute || props.onRemove}>
        <div class="tile-actions">
          <Show when={props.onMute}>
            <button type="button" class="btn small secondary" disabled={!props.audio} onClick={() => props.onMute?.()} aria-label={t("room.tile.muteWho", { name: props.name })}>
              {t("room.controls.mute")}
            </button>
          </Show>
          <Show when={props.onRemove}>
            <button type="button" class="btn small danger" onClick={() => props.onRemove?.()} aria-label={t("room.tile.removeWho", { name: props.name })}>
              {t("room.remove.remove")}
            </button>
          </Show>
        </div>
      </Show>
      <Show when={blocked()}>
        <button type="button" class="btn small tile-unblock" onClick={() => el.play().then(() => setBlocked(false))}>
          {t("room.tile.clickToHear", { name: props.name })}
        </button>
      </Show>
    </figure>
  );
}
