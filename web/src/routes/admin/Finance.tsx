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

const PROBLEM: Record<MismatchRow["code"], string> = {
  missing_in_journal: "Not in the journal",
  missing_at_stripe: "Not at Stripe",
  amount_differs: "Amounts differ",
  payment_not_credited: "Paid, not credited",
  credit_without_payment: "Credited, not paid",
  unbalanced_transaction: "Unbalanced",
  earning_overrun: "Earning beyond revenue",
};

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
  const against = () => (rec()?.source === "local" ? "the local payment mode's records" : "Stripe's balance transactions");

  return (
    <div class="stack">
      <Section
        title="Finance"
        intro={`Every cent through the double-entry journal. Days in ${zoneLabel(zone())}.`}
        actions={
          <Button small variant="secondary" pending={report.loading} onClick={() => refetch()}>
            {report.loading ? "Checking…" : "Check again"}
          </Button>
        }
      >
        <form class="filters-row" aria-label="Period" onSubmit={(e) => e.preventDefault()}>
          <div class="field compact">
            <label for="f-from">From</label>
            <input id="f-from" type="date" value={fromDay()} max={toDay()} onChange={set("from")} />
          </div>
          <div class="field compact">
            <label for="f-to">To (included)</label>
            <input id="f-to" type="date" value={toDay()} min={fromDay()} onChange={set("to")} />
          </div>
        </form>
        <ErrorAlert message={invalid() ?? (report.error ? `Couldn't load the books: ${messageOf(report.error)}` : undefined)} />
        <Show when={report.latest}>
          {(r) => (
            <div class="grid" data-testid="balance-check">
              <div>
                <div class="label">Balance check</div>
                <span class={`badge ${r().check.balanced ? "success" : "danger"}`}>{r().check.balanced ? "Balanced" : "Out of balance"}</span>
                <div class="small muted">
                  {r().check.transactions} transactions · debits {money(r().check.debitCents)} · credits {money(r().check.creditCents)}
                </div>
              </div>
              <div>
                <div class="label">Reconciliation</div>
                <span class={`badge ${rec()?.status === "checked" && !rec()?.mismatches.length ? "success" : "danger"}`} data-testid="reconciliation-status">
                  {rec()?.status !== "checked" ? "Not checked" : rec()?.mismatches.length ? `${rec()?.mismatches.length} mismatch${rec()?.mismatches.length === 1 ? "" : "es"}` : "Everything matches"}
                </span>
                <div class="small muted">Against {against()}</div>
              </div>
              <Show when={rec()?.feesCents}>
                <div>
                  <div class="label">Stripe fees</div>
                  <span>{money(rec()!.feesCents)}</span>
                  <div class="small muted">Kept out of the journal (gross amounts)</div>
                </div>
              </Show>
            </div>
          )}
        </Show>
      </Section>

      <Section title="Accounts" intro="What moved in the period, and each account's balance at its end.">
        <DataTable
          rows={report.latest?.accounts}
          loading={report.loading}
          stale={report.loading}
          empty="No accounts."
          caption="Totals per account"
          rowAttrs={(a) => ({ "data-account": a.account })}
          columns={[
            {
              head: "Account",
              cell: (a) => (
                <>
                  <strong>{a.name}</strong>
                  <div class="small muted">{a.about}</div>
                </>
              ),
            },
            { head: "Debits", label: "Debits", class: "nowrap num", hideOnPhone: true, cell: (a) => money(a.debitCents) },
            { head: "Credits", label: "Credits", class: "nowrap num", hideOnPhone: true, cell: (a) => money(a.creditCents) },
            { head: "Change", label: "Change", class: "nowrap num", cell: (a) => signed(a.changeCents) },
            { head: "Balance at end", label: "Balance", class: "nowrap num", cell: (a) => <span data-testid="closing">{money(a.closingCents)}</span> },
          ]}
        />
      </Section>

      <Section title="Mismatches" intro={rec() ? `The journal against ${against()}, and its own checks.` : undefined}>
        <Show when={rec()?.error}>
          <ErrorAlert message={rec()!.error ?? undefined} />
        </Show>
        <DataTable
          rows={rec()?.mismatches}
          loading={report.loading}
          empty={rec()?.status === "checked" ? "None: every movement matches." : "Nothing checked yet."}
          caption="Reconciliation mismatches"
          rowAttrs={(m) => ({ "data-mismatch": m.code })}
          columns={[
            { head: "Problem", class: "nowrap", cell: (m) => <span class="badge danger">{PROBLEM[m.code]}</span> },
            { head: "What", cell: (m) => m.message },
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
              head: "Journal",
              label: "Journal",
              cell: (m) => <For each={m.journal} fallback={<span class="muted">—</span>}>{(t) => <div class="small mono break">{t}</div>}</For>,
            },
          ]}
        />
        <Show when={report.latest?.posting.sources.some((s) => s.error)}>
          <ErrorAlert
            message={`The journal is behind: ${report
              .latest!.posting.sources.filter((s) => s.error)
              .map((s) => `${s.source} (since ${formatDateTime(s.updatedAt, zone())}): ${s.error}`)
              .join("; ")}`}
          />
        </Show>
      </Section>
    </div>
  );
}
