import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { type Receipt, createReceipts } from "../../features/billing/receipts";
import { planName } from "../../features/billing/billing";
import { t } from "../../i18n";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { formatDate, formatMinutes } from "../../lib/time";
import { ErrorAlert } from "../Alert";
import { DataTable } from "../DataTable";
import { Section } from "../Section";

/** What a receipt bought, in words. */
export function receiptItemText(r: Pick<Receipt, "item" | "minutes">): string {
  switch (r.item.kind) {
    case "plan":
      // By its id, as the rest of the page names plans ("Inicial"), not by the English name the API gives.
      return t("billing.receipts.plan", { name: planName(r.item) });
    case "pack":
      return r.minutes ? t("billing.receipts.pack", { minutes: formatMinutes(r.minutes) }) : r.item.name;
    case "upgrade":
      return t("billing.receipts.upgrade");
    case "credit":
      return t("billing.receipts.credit");
  }
}

const statusText = (status: string) => (status === "paid" ? t("billing.receipts.statusPaid") : status === "open" ? t("billing.receipts.statusOpen") : t("billing.receipts.statusOther"));

/** The link to a receipt: Stripe's hosted invoice or receipt (a new tab), or the local receipt page in this app. */
function ReceiptLink(props: { receipt: Receipt; zone: string }) {
  const r = props.receipt;
  const action = r.source === "invoice" ? t("billing.receipts.viewInvoice") : t("billing.receipts.viewReceipt");
  const label = t("billing.receipts.viewWhat", { action, what: receiptItemText(r), date: formatDate(r.at, props.zone) });
  return (
    <Show when={r.url} fallback={<span class="small muted">{t("billing.receipts.noLink")}</span>}>
      {(url) => (
        <Show
          when={r.source === "local"}
          fallback={
            <a href={url()} target="_blank" rel="noopener noreferrer" aria-label={label}>
              {action}
            </a>
          }
        >
          <A href={url()} aria-label={label}>
            {action}
          </A>
        </Show>
      )}
    </Show>
  );
}

/** Receipts and invoice history: Stripe's documents in Stripe mode, the purchases' own receipts in local payment mode. */
export function Receipts(props: { zone: string }) {
  const [receipts] = createReceipts();
  // A resource that failed throws when read: read it only when it has not.
  const view = () => (receipts.error ? undefined : receipts.latest);
  return (
    <Section
      title={t("billing.receipts.title")}
      intro={view() ? (view()!.mode === "local" ? t("billing.receipts.introLocal") : t("billing.receipts.introStripe")) : undefined}
      class="billing-section receipts"
    >
      <ErrorAlert message={receipts.error ? t("billing.receipts.failed", { error: messageOf(receipts.error) }) : undefined} />
      <div data-testid="receipts">
        <DataTable
          rows={view()?.receipts}
          loading={receipts.loading}
          empty={receipts.error ? undefined : receipts.loading ? t("billing.receipts.loading") : t("billing.receipts.none")}
          caption={t("billing.receipts.caption")}
          rowAttrs={(r) => ({ "data-receipt": r.id, "data-source": r.source })}
          columns={[
            { head: t("billing.receipts.date"), class: "nowrap", cell: (r) => formatDate(r.at, props.zone) },
            { head: t("billing.receipts.item"), label: t("billing.receipts.item"), cell: (r) => (r.number ? `${receiptItemText(r)} · ${r.number}` : receiptItemText(r)) },
            { head: t("billing.receipts.amount"), label: t("billing.receipts.amount"), class: "nowrap", cell: (r) => formatMoney(r.amountCents, r.currency) },
            { head: t("billing.receipts.tax"), label: t("billing.receipts.tax"), class: "nowrap", hideOnPhone: true, cell: (r) => (r.taxCents ? formatMoney(r.taxCents, r.currency) : "—") },
            { head: t("billing.receipts.status"), label: t("billing.receipts.status"), cell: (r) => statusText(r.status) },
            { head: t("billing.receipts.open"), hiddenHead: true, cell: (r) => <ReceiptLink receipt={r} zone={props.zone} /> },
          ]}
        />
      </div>
    </Section>
  );
}
