import { Show, createSignal } from "solid-js";
import { NOTES_MAX_CHARS } from "../../../../domain/video/textOps";
import type { Notes } from "../../features/video/notes";
import { Markdown } from "./Markdown";

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
          Shared notes
        </h2>
        <fieldset class="room-tabs" aria-label="Notes format">
          <label classList={{ on: n.format() === "plain" }}>
            <input type="radio" name="notes-format" value="plain" checked={n.format() === "plain"} onChange={() => n.setFormat("plain")} disabled={props.disabled} /> Text
          </label>
          <label classList={{ on: n.format() === "markdown" }}>
            <input type="radio" name="notes-format" value="markdown" checked={n.format() === "markdown"} onChange={() => n.setFormat("markdown")} disabled={props.disabled} /> Markdown
          </label>
        </fieldset>
      </div>
      <Show when={n.format() === "markdown"}>
        <button type="button" class="btn small ghost notes-preview-toggle" aria-pressed={previewing()} onClick={() => setPreviewing((p) => !p)}>
          {previewing() ? "Edit" : "Preview"}
        </button>
      </Show>
      <Show
        when={n.format() === "markdown" && previewing()}
        fallback={
          <>
            <label class="sr-only" for="notes-text">
              Shared notes
            </label>
            <textarea
              id="notes-text"
              ref={(el) => n.bind(el)}
              class="notes-text"
              value={n.text()}
              maxLength={NOTES_MAX_CHARS}
              placeholder={n.ready() ? "Notes everyone here can edit. They're saved with the session." : "Loading the notes…"}
              disabled={props.disabled || !n.ready()}
              onInput={(e) => n.input(e.currentTarget.value)}
              spellcheck
            />
          </>
        }
      >
        <div class="notes-preview" aria-label="Notes preview">
          <Markdown source={n.text()} />
        </div>
      </Show>
      <p class="muted small notes-foot">{n.text().length.toLocaleString("en-US")} characters · saved with the session</p>
    </section>
  );
}
