import { Show, createSignal } from "solid-js";
import { NOTES_MAX_CHARS } from "../../../../domain/video/textOps";
import type { Notes } from "../../features/video/notes";
import { Markdown } from "./Markdown";
import { t } from "../../i18n";

/**
 * The shared notes: one text everyone in the room edits at once, plain or Markdown (with a preview), kept with
 * the booking and downloadable afterwards from My sessions.
 */
export function NotesPad(props: { notes: Notes; disabled?: boolean }) {
  const n = props.notes;
  const [previewing, setPreviewing] = createSignal(false);
  return (
    <section class="notes-pad" aria-labelledby="notes-title">
      <div class="row tight notes-head">
        <h2 id="notes-title" class="chat-title grow">
          {t("room.notes.title")}
        </h2>
        <fieldset class="room-tabs" aria-label={t("room.notes.format")}>
          <label classList={{ on: n.format() === "plain" }}>
            <input type="radio" name="notes-format" value="plain" checked={n.format() === "plain"} onChange={() => n.setFormat("plain")} disabled={props.disabled} /> {t("room.notes.text")}
          </label>
          <label classList={{ on: n.format() === "markdown" }}>
            <input type="radio" name="notes-format" value="markdown" checked={n.format() === "markdown"} onChange={() => n.setFormat("markdown")} disabled={props.disabled} /> Markdown
          </label>
        </fieldset>
      </div>
      <Show when={n.format() === "markdown"}>
        <button type="button" class="btn small ghost notes-preview-toggle" aria-pressed={previewing()} onClick={() => setPreviewing((p) => !p)}>
          {previewing() ? t("room.notes.edit") : t("room.notes.previewButton")}
        </button>
      </Show>
      <Show
        when={n.format() === "markdown" && previewing()}
        fallback={
          <>
            <label class="sr-only" for="notes-text">
              {t("room.notes.title")}
            </label>
            <textarea
              id="notes-text"
              ref={(el) => n.bind(el)}
              class="notes-text"
              value={n.text()}
              maxLength={NOTES_MAX_CHARS}
              placeholder={n.ready() ? t("room.notes.placeholder") : t("room.notes.loading")}
              disabled={props.disabled || !n.ready()}
              onInput={(e) => n.input(e.currentTarget.value)}
              spellcheck
            />
          </>
        }
      >
        <div class="notes-preview" aria-label={t("room.notes.preview")}>
          <Markdown source={n.text()} />
        </div>
      </Show>
      <p class="muted small notes-foot">{t("room.notes.count", { count: n.text().length })}</p>
    </section>
  );
}
