import { For, Show, createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { MessageList } from "../../components/messages/MessageList";
import { type ConversationReport, fetchReportedMessages, fetchReports, resolveReport } from "../../features/admin/reports";
import "../../features/messages/messages.css";
import { createAction } from "../../lib/action";
import { suspendUser } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatDateTime } from "../../lib/time";

const T = {
  title: "Reported conversations",
  intro: "Conversations a student or tutor reported. Only reported conversations can be read here; their messages are kept while a report is open.",
  open: "Open",
  closed: "Closed",
  show: "Show",
  loading: "Loading…",
  none: "No reports waiting. 🎉",
  noneClosed: "No closed reports yet.",
  failed: (why: string) => `Couldn't load reports: ${why}`,
  reasons: {
    spam: "Spam or advertising",
    harassment: "Harassment or threats",
    inappropriate: "Inappropriate content",
    off_platform_payment: "Asks to pay outside Tutorly",
    other: "Something else",
  } as Record<string, string>,
  reported: (who: string, role: string, by: string) => `${by} reported ${who} (${role})`,
  when: (at: string) => `Reported ${at} (UTC)`,
  details: "What they said",
  read: "Read the conversation",
  hide: "Hide the conversation",
  older: "Load earlier messages",
  noteLabel: "Note (a reason is needed to suspend; the suspended person is emailed it)",
  dismiss: "Dismiss",
  actioned: "Mark as handled",
  suspend: (name: string) => `Suspend ${name} and close`,
  needReason: "Write the reason in the note first.",
  suspended: "Suspended",
  closedAs: (status: string, at: string) => `${status === "dismissed" ? "Dismissed" : "Handled"} ${at} (UTC)`,
  done: (status: string) => (status === "dismissed" ? "Report dismissed." : status === "suspended" ? "Account suspended and report closed." : "Report marked as handled."),
};

/** The admin console's reported conversations: who reported whom and why, the messages, and closing a report. */
export default function Reports() {
  const [status, setStatus] = createSignal<"open" | "closed">("open");
  const [reports, { refetch }] = createResource(status, fetchReports);
  const [done, setDone] = createSignal<string>();
  return (
    <section aria-labelledby="reports-title" class="stack">
      <div class="card">
        <div class="row">
          <h2 id="reports-title" class="grow">
            {T.title}
          </h2>
          <div class="field compact">
            <label for="report-status">{T.show}</label>
            <select id="report-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value === "closed" ? "closed" : "open")}>
              <option value="open">{T.open}</option>
              <option value="closed">{T.closed}</option>
            </select>
          </div>
        </div>
        <p class="small muted">{T.intro}</p>
        <Notice message={done()} />
        <ErrorAlert message={reports.error ? T.failed(messageOf(reports.error)) : undefined} />
        <Show when={!reports.latest?.length}>
          <p class="empty">{reports.loading ? T.loading : status() === "open" ? T.none : T.noneClosed}</p>
        </Show>
      </div>
      <For each={reports.latest}>
        {(r) => (
          <ReportCard
            report={r}
            onResolved={(s) => {
              setDone(T.done(s));
              void refetch();
            }}
          />
        )}
      </For>
    </section>
  );
}

function ReportCard(props: { report: ConversationReport; onResolved: (status: string) => void }) {
  const r = () => props.report;
  const [reading, setReading] = createSignal(false);
  const [note, setNote] = createSignal("");
  const [page, { mutate }] = createResource(() => (reading() ? r().conversationId : undefined), (id) => fetchReportedMessages(id));
  const names = () => Object.fromEntries((page.latest?.participants ?? []).map((p) => [p.id, p.name]));
  const older = createAction(async () => {
    const current = page.latest;
    if (!current?.nextCursor) return;
    const more = await fetchReportedMessages(r().conversationId, current.nextCursor);
    mutate({ ...more, messages: [...more.messages, ...current.messages] });
  });
  const resolve = createAction(async (resolution: "dismissed" | "actioned") => {
    await resolveReport(r().id, resolution, note().trim() || undefined);
    props.onResolved(resolution);
  });
  /** Suspends the reported person (their sessions end at once) with the note as the reason, then closes the report. */
  const suspend = createAction(async () => {
    const reason = note().trim();
    if (!reason) throw new Error(T.needReason);
    await suspendUser(r().reported.id, reason);
    await resolveReport(r().id, "actioned", `Suspended: ${reason}`);
    props.onResolved("suspended");
  });
  const titleId = `report-${r().id}`;
  return (
    <article class="card" data-report={r().id} aria-labelledby={titleId}>
      <div class="row">
        <h3 id={titleId} class="grow">
          {T.reasons[r().reason] ?? r().reason}
        </h3>
        <Show when={r().reported.status === "suspended"}>
          <span class="badge danger">{T.suspended}</span>
        </Show>
        <span class={`badge ${r().status === "open" ? "warning" : ""}`}>{r().status === "open" ? T.open : T.closed}</span>
      </div>
      <p>
        {T.reported(`${r().reported.name} <${r().reported.email}>`, r().reported.role, r().reporter.name)}
        <br />
        <span class="small muted">{T.when(formatDateTime(r().createdAt, "UTC"))}</span>
      </p>
      <Show when={r().details}>
        <blockquote class="report-details">
          <span class="sr-only">{T.details}: </span>
          {r().details}
        </blockquote>
      </Show>
      <Button small variant="secondary" aria-expanded={reading()} onClick={() => setReading(!reading())}>
        {reading() ? T.hide : T.read}
      </Button>
      <Show when={reading()}>
        <div class="report-thread">
          <ErrorAlert message={page.error ? messageOf(page.error) : older.error()} />
          <Show when={page.latest?.nextCursor}>
            <Button small variant="ghost" pending={older.pending()} onClick={() => void older.run()}>
              {T.older}
            </Button>
          </Show>
          <Show when={page.latest} fallback={<p class="muted small">{T.loading}</p>}>
            {(p) => (
              <ol class="thread" aria-label={T.read}>
                <MessageList messages={p().messages} me={r().reporter.id} zone="UTC" otherName={r().reported.name} names={names()} />
              </ol>
            )}
          </Show>
        </div>
      </Show>
      <Show
        when={r().status === "open"}
        fallback={
          <p class="small muted">
            {T.closedAs(r().status, r().resolvedAt ? formatDateTime(r().resolvedAt!, "UTC") : "")}
            {r().resolutionNote ? ` · ${r().resolutionNote}` : ""}
          </p>
        }
      >
        <div class="field">
          <label for={`note-${r().id}`}>{T.noteLabel}</label>
          <input id={`note-${r().id}`} maxLength={1000} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <ErrorAlert message={resolve.error() ?? suspend.error()} />
        <div class="row">
          <Show when={r().reported.status !== "suspended" && r().reported.role !== "admin"}>
            <Button small variant="danger" pending={suspend.pending()} disabled={resolve.pending()} onClick={() => void suspend.run()}>
              {T.suspend(r().reported.name)}
            </Button>
          </Show>
          <Button small pending={resolve.pending()} disabled={suspend.pending()} onClick={() => void resolve.run("actioned")}>
            {T.actioned}
          </Button>
          <Button small variant="secondary" disabled={resolve.pending() || suspend.pending()} onClick={() => void resolve.run("dismissed")}>
            {T.dismiss}
          </Button>
        </div>
      </Show>
    </article>
  );
}
