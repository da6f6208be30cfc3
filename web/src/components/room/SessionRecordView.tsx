import { Show, createSignal } from "solid-js";
import type { SessionRecordBrief, SessionSummary } from "../../../../domain/schemas/video";
import { downloadNotes, downloadPagePng } from "../../features/video/exports";
import { fetchRecord } from "../../features/video/record";
import { messageOf } from "../../lib/api";
import { ErrorAlert, Notice } from "../Alert";
import { Button } from "../Button";
import { SummaryForm } from "./SummaryForm";
import { t } from "../../i18n";

/**
 * What a past session left behind, under its row in My sessions: the tutor's summary and homework, and
 * downloads of the shared notes and whiteboard pages. The tutor writes or edits the summary here.
 */
export function SessionRecordView(props: { bookingId: string; brief: SessionRecordBrief | undefined; tutor: boolean; canWrite: boolean }) {
  const [summary, setSummary] = createSignal<SessionSummary | null>(props.brief?.summary ?? null);
  const [writing, setWriting] = createSignal(false);
  const [saved, setSaved] = createSignal<string>();
  const [pending, setPending] = createSignal<"notes" | "board" | null>(null);
  const [error, setError] = createSignal<string>();
  const hasNotes = () => props.brief?.hasNotes ?? false;
  const boardItems = () => props.brief?.boardItems ?? 0;

  const downloadAll = async (what: "notes" | "board") => {
    setPending(what);
    setError();
    try {
      const record = await fetchRecord(props.bookingId);
      if (what === "notes") downloadNotes(record.notes.text, record.notes.format, `session-notes-${props.bookingId.slice(0, 8)}`);
      else
        for (const [i, page] of record.whiteboard.pages.entries()) {
          const items = record.whiteboard.items.filter((it) => it.page === page.id);
          if (items.length) await downloadPagePng(items, `whiteboard-${props.bookingId.slice(0, 8)}-page-${i + 1}.png`);
        }
    } catch (e) {
      setError(t("room.record.downloadFailed", { reason: messageOf(e) }));
    } finally {
      setPending(null);
    }
  };

  return (
    <div class="session-record" data-record={props.bookingId}>
      <Show when={summary()}>
        {(s) => (
          <div class="record-summary">
            <h3 class="small">{t("room.record.summary")}</h3>
            <p class="record-text">{s().summary}</p>
            <Show when={s().homework}>
              <h3 class="small">{t("room.record.homework")}</h3>
              <p class="record-text">{s().homework}</p>
            </Show>
          </div>
        )}
      </Show>
      <Notice message={saved()} />
      <ErrorAlert message={error()} />
      <div class="row tight">
        <Show when={props.tutor && props.canWrite && !writing()}>
          <button type="button" class="btn small secondary" onClick={() => setWriting(true)}>
            {summary() ? t("room.record.edit") : t("room.record.write")}
          </button>
        </Show>
        <Show when={hasNotes()}>
          <Button small variant="secondary" pending={pending() === "notes"} onClick={() => void downloadAll("notes")}>
            {t("room.record.notes")}
          </Button>
        </Show>
        <Show when={boardItems() > 0}>
          <Button small variant="secondary" pending={pending() === "board"} onClick={() => void downloadAll("board")}>
            {t("room.record.board", { count: props.brief?.boardPages ?? 1 })}
          </Button>
        </Show>
      </div>
      <Show when={writing()}>
        <SummaryForm
          bookingId={props.bookingId}
          initial={summary()}
          onSaved={(s) => {
            setSaved(summary() ? t("room.record.updated") : t("room.record.sent"));
            setSummary(s);
            setWriting(false);
          }}
        />
      </Show>
    </div>
  );
}

/** The list of what one session left behind, for places that only need to know whether there is anything. */
export const hasRecord = (r: SessionRecordBrief | undefined) => !!r && (!!r.summary || r.hasNotes || r.boardItems > 0);
