import { A } from "@solidjs/router";
import { Show, createEffect, createSignal, on } from "solid-js";
import type { ConversationSummary } from "../../features/messages/conversations";
import { setBlocked } from "../../features/messages/actions";
import { createThread } from "../../features/messages/thread";
import { createAction } from "../../lib/action";
import { zoneLabel } from "../../lib/time";
import { ErrorAlert } from "../Alert";
import { Dialog } from "../Dialog";
import { DialogActions } from "../DialogActions";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { ReportDialogBody } from "./ReportDialog";
import { t } from "../../i18n";

/** The words, from the catalogs (getters: each read follows the language). */
const T = {
  get back() {
    return t("messages.thread.back");
  },
  get tutorPage() {
    return t("messages.thread.tutorPage");
  },
  timesIn: (zone: string) => t("messages.thread.timesIn", { zone }),
  get search() {
    return t("messages.thread.search");
  },
  get closeSearch() {
    return t("messages.thread.closeSearch");
  },
  get searchLabel() {
    return t("messages.thread.searchLabel");
  },
  get searching() {
    return t("messages.thread.searching");
  },
  noResults: (q: string) => t("messages.thread.noResults", { q }),
  results: (n: number, q: string) => t("messages.thread.results", { count: n, q }),
  get block() {
    return t("messages.thread.block");
  },
  get unblock() {
    return t("messages.thread.unblock");
  },
  get report() {
    return t("messages.thread.report");
  },
  get older() {
    return t("messages.thread.older");
  },
  get loadingOlder() {
    return t("messages.thread.loadingOlder");
  },
  start: (name: string) => t("messages.thread.start", { name }),
  empty: (name: string) => t("messages.thread.empty", { name }),
  get loading() {
    return t("messages.thread.loading");
  },
  log: (name: string) => t("messages.thread.log", { name }),
  blockedByMe: (name: string) => t("messages.thread.blockedByMe", { name }),
  get blockedByOther() {
    return t("messages.thread.blockedByOther");
  },
  blockTitle: (name: string) => t("messages.thread.blockTitle", { name }),
  blockBody: (name: string) => t("messages.thread.blockBody", { name }),
  unblockTitle: (name: string) => t("messages.thread.unblockTitle", { name }),
  get unblockBody() {
    return t("messages.thread.unblockBody");
  },
  get cancel() {
    return t("messages.thread.cancel");
  },
  reportTitle: (name: string) => t("messages.thread.reportTitle", { name }),
};

/** One conversation: header with search, block and report, the messages (live, paged back), and the composer. */
export function ThreadView(props: { conversation: ConversationSummary; zone: string }) {
  const c = () => props.conversation;
  const thread = createThread(() => c().id);
  const [searching, setSearching] = createSignal(false);
  const [dialog, setDialog] = createSignal<"block" | "report">();
  const [busy, setBusy] = createSignal(false);
  let scroller!: HTMLDivElement;

  // Stay at the newest message when one arrives, unless the reader scrolled up to read older ones.
  let pinned = true;
  const onScroll = () => (pinned = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80);
  createEffect(
    on([() => thread.messages().length, () => thread.outgoing().length], () => {
      if (pinned) queueMicrotask(() => (scroller.scrollTop = scroller.scrollHeight));
    }),
  );
  const loadOlder = async () => {
    const before = scroller.scrollHeight;
    pinned = false;
    await thread.loadOlder();
    queueMicrotask(() => (scroller.scrollTop += scroller.scrollHeight - before));
  };

  const blockKey = crypto.randomUUID();
  const block = createAction(async () => {
    await setBlocked(c().id, !c().blockedByMe, blockKey);
    setDialog(undefined);
  }, { onPendingChange: setBusy });

  return (
    <article class="thread-view" aria-labelledby="thread-title" data-conversation={c().id}>
      <header class="thread-head">
        <A href="/messages" class="thread-back small">
          <span class="flip-rtl" aria-hidden="true">←</span> {T.back}
        </A>
        <div class="row">
          <span class="avatar small" aria-hidden="true">
            {c().other.name.charAt(0)}
          </span>
          <div class="grow">
            <h2 id="thread-title">{c().other.name}</h2>
            <p class="small muted">
              <Show when={c().other.role === "tutor"}>
                <A href={`/tutors/${c().other.id}`}>{T.tutorPage}</A> ·{" "}
              </Show>
              {T.timesIn(zoneLabel(props.zone))}
            </p>
          </div>
          <div class="row tight thread-actions">
            <button type="button" class="btn small secondary" aria-pressed={searching()} onClick={() => (setSearching(!searching()), thread.search(""))}>
              {searching() ? T.closeSearch : T.search}
            </button>
            <button type="button" class="btn small ghost" onClick={() => setDialog("block")}>
              {c().blockedByMe ? T.unblock : T.block}
            </button>
            <button type="button" class="btn small ghost danger-text" onClick={() => setDialog("report")}>
              {T.report}
            </button>
          </div>
        </div>
        <Show when={searching()}>
          <div class="field compact thread-search" role="search">
            <label for="thread-search">{T.searchLabel}</label>
            <input id="thread-search" type="search" maxLength={100} autofocus value={thread.query()} onInput={(e) => thread.search(e.currentTarget.value)} />
          </div>
        </Show>
      </header>

      <Show
        when={searching() && thread.query().trim()}
        fallback={
          <div class="thread-scroll" ref={scroller} onScroll={onScroll}>
            <ErrorAlert message={thread.error()} />
            <Show when={thread.hasOlder()}>
              <div class="thread-older">
                <button type="button" class="btn small ghost" onClick={loadOlder} disabled={thread.loadingOlder()} aria-busy={thread.loadingOlder() ? "true" : undefined}>
                  {thread.loadingOlder() ? T.loadingOlder : T.older}
                </button>
                <ErrorAlert message={thread.olderError()} />
              </div>
            </Show>
            <Show when={!thread.loading()} fallback={<p class="muted small thread-note">{T.loading}</p>}>
              <Show when={!thread.hasOlder() && !thread.error()}>
                <p class="muted small thread-note">{thread.messages().length ? T.start(c().other.name) : T.empty(c().other.name)}</p>
              </Show>
            </Show>
            <div role="log" aria-label={T.log(c().other.name)}>
              <ol class="thread">
                <MessageList messages={thread.messages()} me={thread.me()} zone={props.zone} otherName={c().other.name} outgoing={thread.outgoing()} onRetry={thread.retry} onDiscard={thread.discard} />
              </ol>
            </div>
          </div>
        }
      >
        <div class="thread-scroll" aria-live="polite" aria-busy={thread.results.loading ? "true" : undefined}>
          <Show when={thread.results.latest} fallback={<p class="muted small thread-note">{T.searching}</p>}>
            {(r) => (
              <>
                <p class="small muted thread-note">{r().messages.length ? T.results(r().messages.length, thread.query().trim()) : T.noResults(thread.query().trim())}</p>
                <ol class="thread">
                  <MessageList messages={r().messages} me={thread.me()} zone={props.zone} otherName={c().other.name} />
                </ol>
              </>
            )}
          </Show>
        </div>
      </Show>

      <Show when={!c().canSend}>
        <p class="alert warning small thread-closed" role="status">
          {c().blockedByMe ? T.blockedByMe(c().other.name) : T.blockedByOther}
        </p>
      </Show>
      <Composer otherName={c().other.name} disabled={!c().canSend} onSend={thread.send} />

      <Dialog open={dialog() === "block"} title={c().blockedByMe ? T.unblockTitle(c().other.name) : T.blockTitle(c().other.name)} onClose={() => setDialog(undefined)} busy={busy()}>
        <div class="stack">
          <p>{c().blockedByMe ? T.unblockBody : T.blockBody(c().other.name)}</p>
          <DialogActions
            pending={block.pending()}
            error={block.error()}
            danger={!c().blockedByMe}
            confirm={c().blockedByMe ? T.unblock : T.block}
            onConfirm={block.run}
            back={T.cancel}
            onBack={() => setDialog(undefined)}
            focusBack
          />
        </div>
      </Dialog>
      <Dialog open={dialog() === "report"} title={T.reportTitle(c().other.name)} onClose={() => setDialog(undefined)} busy={busy()}>
        <ReportDialogBody conversationId={c().id} otherName={c().other.name} onClose={() => setDialog(undefined)} onPendingChange={setBusy} />
      </Dialog>
    </article>
  );
}
