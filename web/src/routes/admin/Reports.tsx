import { For, Show, createResource, createSignal } from "solid-js";
import { ErrorAlert, Notice } from "../../components/Alert";
import { Button } from "../../components/Button";
import { MessageList } from "../../components/messages/MessageList";
import { type ConversationReport, fetchReportedMessages, fetchReports, resolveReport } from "../../features/admin/reports";
import "../../features/messages/messages.css";
import { createAction } from "../../lib/action";
import { suspendUser } from "../../features/admin/admin";
import { SuspendWarning, focusOnMount, suspendedText } from "../../components/admin/SuspendWarning";
import { messageOf } from "../../lib/api";
import { formatDateTimeYear } from "../../components/admin/dates";
import { OlderNewer } from "../../components/admin/OlderNewer";
import { type PlainKey, t } from "../../i18n";

const REASONS: Record<string, PlainKey> = {
  spam: "admin.reports.reasons.spam",
  harassment: "admin.reports.reasons.harassment",
  inappropriate: "admin.reports.reasons.inappropriate",
  off_platform_payment: "admin.reports.reasons.off_platform_payment",
  other: "admin.reports.reasons.something_else",
};
const ROLES: Record<string, PlainKey> = { student: "admin.users.role1.student", tutor: "admin.users.role1.tutor", admin: "admin.users.role1.admin" };
const doneText = (resolution: "dismissed" | "actioned") => (resolution === "dismissed" ? t("admin.reports.doneDismissed") : t("admin.reports.doneHandled"));

/**
 * The admin console's reported conversations: who reported whom and why, the messages, and closing a report. A page
 * at a time, newest first: *Older reports* goes back, *Newest reports* returns to the first page.
 */
export default function Reports() {
  const [status, setStatus] = createSignal<"open" | "closed">("open");
  const [before, setBefore] = createSignal<string>();
  const [page, { refetch }] = createResource(() => ({ status: status(), before: before() }), fetchReports);
  const reports = () => page.latest?.reports;
  const show = (s: "open" | "closed") => {
    setBefore(undefined);
    setStatus(s);
  };
  const [done, setDone] = createSignal<string>();
  return (
    <section aria-labelledby="reports-title" class="stack">
      <div class="card">
        <div class="row">
          <h2 id="reports-title" class="grow">
            {t("admin.sections.reports")}
          </h2>
          <div class="field compact">
            <label for="report-status">{t("admin.reports.show")}</label>
            <select id="report-status" value={status()} onChange={(e) => show(e.currentTarget.value === "closed" ? "closed" : "open")}>
              <option value="open">{t("admin.disputes.open")}</option>
              <option value="closed">{t("admin.disputes.closed")}</option>
            </select>
          </div>
        </div>
        <p class="small muted">{t("admin.reports.intro")}</p>
        <Notice message={done()} />
        <ErrorAlert message={page.error ? t("admin.reports.failed", { reason: messageOf(page.error) }) : undefined} />
        <Show when={!reports()?.length}>
          <p class="empty">{page.loading ? t("core.app.loading") : status() === "open" ? t("admin.reports.none") : t("admin.reports.noneClosed")}</p>
        </Show>
      </div>
      <For each={reports()}>
        {(r) => (
          <ReportCard
            report={r}
            onResolved={(text) => {
              setDone(text);
              void refetch();
            }}
          />
        )}
      </For>
      <OlderNewer before={before} next={page.latest?.next} loading={page.loading} onPage={setBefore} newest={t("admin.reports.newestReports")} older={t("admin.reports.olderReports")} />
    </section>
  );
}

/** One report; `onResolved` gets what closing it did, for the page to say. */
function ReportCard(props: { report: ConversationReport; onResolved: (text: string) => void }) {
  const r = () => props.report;
  const [reading, setReading] = createSignal(false);
  const [note, setNote] = createSignal("");
  const [confirming, setConfirming] = createSignal(false);
  // Sessions the suspension cancelled, once it is done: a retry after the report failed to close only closes it.
  const [cancelled, setCancelled] = createSignal<number>();
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
    props.onResolved(doneText(resolution));
  });
  /** The confirm step opens only with a reason in the note: the suspended person is emailed it. */
  const askToSuspend = () => {
    if (note().trim()) {
      suspend.setError(undefined);
      setConfirming(true);
    } else suspend.setError(t("admin.reports.needReason"));
  };
  /**
   * Suspends the reported person with the note as the reason (they are signed out, and their sessions to come are
   * cancelled, everyone refunded and told), then closes the report; the page says how many sessions were cancelled.
   */
  const suspend = createAction(async () => {
    const reason = note().trim();
    if (!reason) throw new Error(t("admin.reports.needReason"));
    let count = cancelled();
    if (count === undefined) {
      count = (await suspendUser(r().reported.id, reason)).cancelledSessions;
      setCancelled(count);
    }
    await resolveReport(r().id, "actioned", t("admin.reports.suspendedNote", { reason }));
    props.onResolved(`${suspendedText(r().reported.name, count)} ${t("admin.reports.closedToo")}`);
  });
  const warningId = () => `suspend-warning-${r().id}`;
  const titleId = `report-${r().id}`;
  return (
    <article class="card" data-report={r().id} aria-labelledby={titleId}>
      <div class="row">
        <h3 id={titleId} class="grow">
          {REASONS[r().reason] ? t(REASONS[r().reason]!) : r().reason}
        </h3>
        <Show when={r().reported.status === "suspended"}>
          <span class="badge danger">{t("admin.users.suspended")}</span>
        </Show>
        <span class={`badge ${r().status === "open" ? "warning" : ""}`}>{r().status === "open" ? t("admin.disputes.open") : t("admin.disputes.closed")}</span>
      </div>
      <p>
        {t("admin.reports.reported", { by: r().reporter.name, who: t("admin.reports.nameEmail", { name: r().reported.name, email: r().reported.email }), role: ROLES[r().reported.role] ? t(ROLES[r().reported.role]!) : r().reported.role })}
        <br />
        <span class="small muted">{t("admin.reports.when", { at: formatDateTimeYear(r().createdAt, "UTC") })}</span>
      </p>
      <Show when={r().details}>
        <blockquote class="report-details">
          <span class="sr-only">{t("admin.reports.details")}</span>
          <bdi>{r().details}</bdi>
        </blockquote>
      </Show>
      <Button small variant="secondary" aria-expanded={reading()} onClick={() => setReading(!reading())}>
        {reading() ? t("admin.reports.hide") : t("admin.reports.read")}
      </Button>
      <Show when={reading()}>
        <div class="report-thread">
          <ErrorAlert message={page.error ? messageOf(page.error) : older.error()} />
          <Show when={page.latest?.nextCursor}>
            <Button small variant="ghost" pending={older.pending()} onClick={() => void older.run()}>
              {t("admin.reports.older")}
            </Button>
          </Show>
          <Show when={page.latest} fallback={<p class="muted small">{t("core.app.loading")}</p>}>
            {(p) => (
              <ol class="thread" aria-label={t("admin.reports.read")}>
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
            {t(r().status === "dismissed" ? "admin.reports.dismissedAt" : "admin.reports.handledAt", { at: r().resolvedAt ? formatDateTimeYear(r().resolvedAt!, "UTC") : "" })}
            {r().resolutionNote ? ` · ${r().resolutionNote}` : ""}
          </p>
        }
      >
        <div class="field">
          <label for={`note-${r().id}`}>{t("admin.reports.noteLabel")}</label>
          <input id={`note-${r().id}`} maxLength={1000} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <ErrorAlert message={resolve.error() ?? suspend.error()} />
        <Show
          when={confirming()}
          fallback={
            <div class="row">
              <Show when={r().reported.status !== "suspended" && r().reported.role !== "admin"}>
                <Button small variant="danger" disabled={resolve.pending()} onClick={askToSuspend}>
                  {t("admin.reports.suspend", { name: r().reported.name })}
                </Button>
              </Show>
              <Button small pending={resolve.pending()} onClick={() => void resolve.run("actioned")}>
                {t("admin.reports.actioned")}
              </Button>
              <Button small variant="secondary" disabled={resolve.pending()} onClick={() => void resolve.run("dismissed")}>
                {t("admin.reports.dismiss")}
              </Button>
            </div>
          }
        >
          <div class="stack tight" role="group" aria-label={t("admin.reports.suspend", { name: r().reported.name })}>
            <SuspendWarning user={r().reported} id={warningId()} />
            <div class="row">
              <Button small variant="danger" ref={focusOnMount} pending={suspend.pending()} onClick={() => void suspend.run()} aria-describedby={warningId()}>
                {t("admin.reports.confirmSuspend")}
              </Button>
              <Button small variant="ghost" disabled={suspend.pending()} onClick={() => setConfirming(false)}>
                {t("admin.users.cancel")}
              </Button>
            </div>
          </div>
        </Show>
      </Show>
    </article>
  );
}
