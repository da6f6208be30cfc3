import { useSearchParams } from "@solidjs/router";
import { For, Show, createMemo, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { Section } from "../../components/Section";
import { type MismatchRow, fetchFinance, periodQuery } from "../../features/finance/finance";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { session } from "../../lib/session";
import { dayOf, formatDateTime, isDay, zoneLabel } from "../../lib/time";
import { type PlainKey, t, tx } from "../../i18n";

const PROBLEM: Record<MismatchRow["code"], PlainKey> = {
  missing_in_journal: "admin.finance.problems.missing_in_journal",
  missing_at_stripe: "admin.finance.problems.missing_at_stripe",
  amount_differs: "admin.finance.problems.amount_differs",
  payment_not_credited: "admin.finance.problems.payment_not_credited",
  credit_without_payment: "admin.finance.problems.credit_without_payment",
  unbalanced_transaction: "admin.finance.problems.unbalanced_transaction",
  earning_overrun: "admin.finance.problems.earning_overrun",
};

/** A mismatch in the admin's language: its code's sentence with the record it is about and the amounts. */
const mismatchText = (m: MismatchRow) =>
  tx(`admin.finance.mismatch.${m.code}`, { subject: <bdi class="mono">{m.subject}</bdi>, stripe: money(m.stripeCents ?? 0), journal: money(m.journalCents ?? 0) });

/** Why a reconciliation could not be made, from its status. */
const NOT_CHECKED: Partial<Record<string, PlainKey>> = { failed: "admin.finance.readFailed", unavailable: "admin.finance.unconfigured", truncated: "admin.finance.truncated" };

const money = (cents: number) => formatMoney(cents);
const signed = (cents: number) => (cents > 0 ? `+${money(cents)}` : cents < 0 ? `−${money(-cents)}` : money(0));

/** The books: the period's totals per account, the balance check, and every mismatch with Stripe. */
export default function Finance() {
  const zone = () => session.user()?.timezone ?? "UTC";
  const [params, setParams] = useSearchParams<{ from?: string; to?: string }>();
  const today = () => dayOf(Date.now(), zone());
  const fromDay = () => (isDay(params.from) ? params.from : `${today().slice(0, 8)}01`);
  const toDay = () => (isDay(params.to) ? params.to : today());
  const query = createMemo(() => periodQuery(fromDay(), toDay(), zone()));
  const [report, { refetch }] = createResource(
    () => (query().success ? JSON.stringify(query().data) : undefined),
    (key) => fetchFinance(JSON.parse(key)),
  );
  const invalid = () => (query().success ? undefined : query().error?.issues.map((i) => i.message).join(" "));
  const set = (key: "from" | "to") => (e: { currentTarget: { value: string } }) => setParams({ [key]: e.currentTarget.value || undefined }, { replace: true });
  const rec = () => report.latest?.reconciliation;
  const against = () => (rec()?.source === "local" ? t("admin.finance.localRecords") : t("admin.finance.stripeRecords"));

  return (
    <div class="stack">
      <Section
        title={t("admin.sections.finance")}
        intro={t("admin.finance.intro", { zone: zoneLabel(zone()) })}
        actions={
          <Button small variant="secondary" pending={report.loading} onClick={() => refetch()}>
            {report.loading ? t("admin.finance.checking") : t("admin.finance.checkAgain")}
          </Button>
        }
      >
        <form class="filters-row" aria-label={t("admin.finance.period")} onSubmit={(e) => e.preventDefault()}>
          <div class="field compact">
            <label for="f-from">{t("admin.finance.from")}</label>
            <input id="f-from" type="date" value={fromDay()} max={toDay()} onChange={set("from")} />
          </div>
          <div class="field compact">
            <label for="f-to">{t("admin.finance.to")}</label>
            <input id="f-to" type="date" value={toDay()} min={fromDay()} onChange={set("to")} />
          </div>
        </form>
        <ErrorAlert message={invalid() ?? (report.error ? t("admin.finance.loadFailed", { reason: messageOf(report.error) }) : undefined)} />
        <Show when={report.latest}>
          {(r) => (
            <div class="grid" data-testid="balance-check">
              <div>
                <div class="label">{t("admin.finance.balanceCheck")}</div>
                <span class={`badge ${r().check.balanced ? "success" : "danger"}`}>{r().check.balanced ? t("admin.finance.balanced") : t("admin.finance.unbalanced")}</span>
                <div class="small muted">
                  {t("admin.finance.totals", { count: r().check.transactions, debits: money(r().check.debitCents), credits: money(r().check.creditCents) })}
                </div>
              </div>
              <div>
                <div class="label">{t("admin.finance.reconciliation")}</div>
                <span class={`badge ${rec()?.status === "checked" && !rec()?.mismatches.length ? "success" : "danger"}`} data-testid="reconciliation-status">
                  {rec()?.status !== "checked" ? t("admin.finance.notChecked") : rec()?.mismatches.length ? t("admin.finance.mismatchCount", { count: rec()?.mismatches.length ?? 0 }) : t("admin.finance.allMatch")}
                </span>
                <div class="small muted">{t("admin.finance.against", { source: against() })}</div>
              </div>
              <Show when={rec()?.feesCents}>
                <div>
                  <div class="label">{t("admin.finance.fees")}</div>
                  <span>{money(rec()!.feesCents)}</span>
                  <div class="small muted">{t("admin.finance.feesNote")}</div>
                </div>
              </Show>
            </div>
          )}
        </Show>
      </Section>

      <Section title={t("admin.finance.accounts")} intro={t("admin.finance.accountsIntro")}>
        <DataTable
          rows={report.latest?.accounts}
          loading={report.loading}
          stale={report.loading}
          empty={t("admin.finance.noAccounts")}
          caption={t("admin.finance.perAccount")}
          rowAttrs={(a) => ({ "data-account": a.account })}
          columns={[
            {
              head: t("admin.finance.account"),
              cell: (a) => (
                <>
                  <strong>{t(`admin.finance.ledger.${a.account}.name`)}</strong>
                  <div class="small muted">{t(`admin.finance.ledger.${a.account}.about`)}</div>
                </>
              ),
            },
            { head: t("admin.finance.debits"), label: t("admin.finance.debits"), class: "nowrap num", hideOnPhone: true, cell: (a) => money(a.debitCents) },
            { head: t("admin.finance.credits"), label: t("admin.finance.credits"), class: "nowrap num", hideOnPhone: true, cell: (a) => money(a.creditCents) },
            { head: t("admin.finance.change"), label: t("admin.finance.change"), class: "nowrap num", cell: (a) => signed(a.changeCents) },
            { head: t("admin.finance.balanceAtEnd"), label: t("admin.credits.balance"), class: "nowrap num", cell: (a) => <span data-testid="closing">{money(a.closingCents)}</span> },
          ]}
        />
      </Section>

      <Section title={t("admin.finance.mismatches")} intro={rec() ? t("admin.finance.mismatchesIntro", { source: against() }) : undefined}>
        <Show when={rec() && NOT_CHECKED[rec()!.status]}>
          {(key) => <ErrorAlert message={t(key())} />}
        </Show>
        <DataTable
          rows={rec()?.mismatches}
          loading={report.loading}
          empty={rec()?.status === "checked" ? t("admin.finance.noneMismatch") : t("admin.finance.nothingChecked")}
          caption={t("admin.finance.mismatchCaption")}
          rowAttrs={(m) => ({ "data-mismatch": m.code })}
          columns={[
            { head: t("admin.finance.problem"), class: "nowrap", cell: (m) => <span class="badge danger">{t(PROBLEM[m.code])}</span> },
            { head: t("admin.flagged.what"), cell: (m) => <span data-testid="mismatch-text">{mismatchText(m)}</span> },
            {
              head: "Stripe",
              label: "Stripe",
              cell: (m) => (
                <For each={m.stripe} fallback={<span class="muted">—</span>}>
                  {(s) => (
                    <div class="small mono break">
                      {s.source}
                      <Show when={s.id !== s.source}>
                        <span class="muted"> ({s.id})</span>
                      </Show>
                    </div>
                  )}
                </For>
              ),
            },
            {
              head: t("admin.finance.journal"),
              label: t("admin.finance.journal"),
              cell: (m) => <For each={m.journal} fallback={<span class="muted">—</span>}>{(j) => <div class="small mono break">{j}</div>}</For>,
            },
          ]}
        />
        <Show when={report.latest?.posting.sources.some((s) => s.error)}>
          <ErrorAlert
            message={t("admin.finance.behind", {
              sources: report
                .latest!.posting.sources.filter((s) => s.error)
                .map((s) => t("admin.finance.behindSource", { source: s.source, since: formatDateTime(s.updatedAt, zone()), error: s.error ?? "" }))
                .join("; "),
            })}
          />
        </Show>
      </Section>
    </div>
  );
}
