import { Show, createUniqueId } from "solid-js";
import { SUMMARY_MAX_CHARS, type SessionSummary, SessionSummaryInputSchema } from "../../../../domain/schemas/video";
import { saveSummary } from "../../features/video/record";
import { createForm } from "../../lib/form";
import { ErrorAlert } from "../Alert";
import { Button } from "../Button";
import "./record.css";
import { t } from "../../i18n";

/**
 * The tutor's summary of a session and the homework they set. Students get it by email the first time and see
 * it in My sessions; editing it later updates what they see.
 */
export function SummaryForm(props: { bookingId: string; initial?: SessionSummary | null; onSaved(summary: SessionSummary): void }) {
  const id = createUniqueId();
  const form = createForm(SessionSummaryInputSchema, { summary: props.initial?.summary ?? "", homework: props.initial?.homework ?? "" });
  const submit = form.submit(async (value) => props.onSaved(await saveSummary(props.bookingId, value)));
  const area = (name: "summary" | "homework", label: string, hint: string, rows: number) => (
    <div class="field">
      <label for={`${id}-${name}`}>{label}</label>
      <textarea
        id={`${id}-${name}`}
        rows={rows}
        maxLength={SUMMARY_MAX_CHARS}
        value={form.values[name]}
        onInput={(e) => form.set(name, e.currentTarget.value)}
        aria-invalid={form.errors[name] ? "true" : undefined}
        aria-describedby={`${id}-${name}-hint`}
      />
      <span class="hint" id={`${id}-${name}-hint`}>
        {hint}
      </span>
      <Show when={form.errors[name]}>
        <span class="field-error" role="alert">
          {form.errors[name]}
        </span>
      </Show>
    </div>
  );
  return (
    <form class="summary-form stack" onSubmit={submit} aria-label={t("room.summary.label")}>
      {area("summary", t("room.summary.covered"), t("room.summary.coveredHint"), 4)}
      {area("homework", t("room.summary.homework"), t("room.summary.homeworkHint"), 3)}
      <ErrorAlert message={form.formError()} />
      <div>
        <Button type="submit" pending={form.pending()}>
          {props.initial ? t("room.summary.update") : t("room.summary.send")}
        </Button>
      </div>
    </form>
  );
}
