import { A } from "@solidjs/router";
import { For, Show, createEffect, on } from "solid-js";
import { type HistoryEntry, createCreditHistory } from "../features/credits/history";
import { t } from "../i18n";
import { subjectLabel } from "../lib/format";
import { formatDate, formatDateTime, formatMinutes, zoneLabel } from "../lib/time";
import { ErrorAlert } from "./Alert";
import { Button } from "./Button";
import { Section } from "./Section";

/** What an entry did, in words. */
function kindText(e: HistoryEntry): string {
  switch (e.kind) {
    case "grant":
      return e.funding === "promo" ? t("billing.history.kind.promo") : t("billing.history.kind.grant");
    case "adjust":
      return e.minutes > 0 ? t("billing.history.kind.adjustAdd") : t("billing.history.kind.adjustTake");
    case "refund":
      return e.moved ? t("billing.history.kind.moved") : t("billing.history.kind.refund");
    case "debit":
    case "expire":
    case "clawback":
    case "freeze":
    case "unfreeze":
      return t(`billing.history.kind.${e.kind}`);
  }
}

/** A session's line: subject (when known), tutor and time in the viewer's zone. */
function sessionText(s: NonNullable<HistoryEntry["session"]>, zone: string) {
  const tutor = s.tutorName ?? t("billing.history.aTutor");
  const time = formatDateTime(s.start, zone);
  return s.subject ? t("billing.history.session", { subject: subjectLabel(s.subject), tutor, time }) : t("billing.history.sessionNoSubject", { tutor, time });
}

/**
 * The student's credit history from their wallet: every grant, spend, refund, expiry, adjustment, clawback and hold,
 * newest first, each spend and refund linked to its session; older entries a page at a time. Reloads when `version`
 * changes (the live balance).
 */
export function CreditHistory(props: { zone: string; version: unknown }) {
  const history = createCreditHistory();
  createEffect(on(() => props.version, () => history.reload(), { defer: true }));
  return (
    <Section title={t("billing.history.title")} intro={t("billing.history.intro", { zone: zoneLabel(props.zone) })} class="credit-history">
      <ErrorAlert message={history.error() ? t("billing.history.failed", { error: history.error()! }) : undefined} />
      <Show when={history.loaded() || !history.pending()} fallback={<div class="skeleton" style={{ height: "120px" }} aria-label={t("billing.history.loadingMore")} />}>
        <Show when={history.entries().length} fallback={<Show when={history.loaded()}><p class="small muted">{t("billing.history.none")}</p></Show>}>
          <ol class="history-list" aria-label={t("billing.history.caption")} data-testid="credit-history" classList={{ stale: history.pending() }}>
            <For each={history.entries()}>
              {(e) => (
                <li class="history-item" data-kind={e.kind} data-entry={e.id}>
                  <div class="grow">
                    <div class="history-what">{kindText(e)}</div>
                    <Show when={e.session}>
                      {(s) => (
                        <A href={`/sessions/${s().id}`} class="small" aria-label={t("billing.history.openSession", { what: sessionText(s(), props.zone) })}>
                          {sessionText(s(), props.zone)}
                        </A>
                      )}
                    </Show>
                    <Show when={!e.session && e.lot}>{(lot) => <div class="small muted">{t("billing.history.fromLot", { date: formatDate(lot().grantedAt, props.zone) })}</div>}</Show>
                    <Show when={e.expiresAt}>{(at) => <div class="small muted">{t("billing.history.expires", { date: formatDate(at(), props.zone) })}</div>}</Show>
                    <time class="small muted" datetime={e.at}>
                      {formatDateTime(e.at, props.zone)}
                    </time>
                  </div>
                  <span class="history-change nowrap" classList={{ plus: e.minutes > 0, minus: e.minutes < 0 }}>
                    {e.minutes > 0 ? "+" : e.minutes < 0 ? "−" : ""}
                    {formatMinutes(Math.abs(e.minutes))}
                  </span>
                </li>
              )}
            </For>
          </ol>
        </Show>
      </Show>
      <Show when={history.hasMore()}>
        <Button small variant="secondary" pending={history.pending()} onClick={history.more}>
          {history.pending() ? t("billing.history.loadingMore") : t("billing.history.more")}
        </Button>
      </Show>
    </Section>
  );
}
