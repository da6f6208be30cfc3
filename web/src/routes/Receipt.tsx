import { A, useParams } from "@solidjs/router";
import { Show, createResource } from "solid-js";
import { ErrorAlert } from "../components/Alert";
import { Guard } from "../components/Guard";
import { receiptItemText } from "../components/billing/Receipts";
import { fetchReceipt } from "../features/billing/receipts";
import { t } from "../i18n";
import { messageOf } from "../lib/api";
import { formatMoney } from "../lib/format";
import { session } from "../lib/session";
import { formatDateTime, formatMinutes, zoneLabel } from "../lib/time";

/** `/billing/receipts/:id`: one purchase's receipt in local payment mode (amount, tax, date, what was bought), printable. */
export default function Receipt() {
  const params = useParams<{ id: string }>();
  return (
    <Guard roles={["student"]}>
      <ReceiptPage id={params.id} />
    </Guard>
  );
}

function ReceiptPage(props: { id: string }) {
  const [receipt] = createResource(() => props.id, fetchReceipt);
  const zone = () => session.user()?.timezone ?? "UTC";
  return (
    <>
      <ErrorAlert message={receipt.error ? t("billing.receipt.failed", { error: messageOf(receipt.error) }) : undefined} />
      <Show when={!receipt.error && receipt.latest} fallback={<Show when={!receipt.error}><p class="muted">{t("billing.receipt.loading")}</p></Show>}>
        {(r) => (
          <article class="card narrow receipt" data-testid="receipt" aria-labelledby="receipt-title">
            <div class="row">
              <h1 id="receipt-title" class="grow">
                {t("billing.receipt.title")}
              </h1>
              <strong>{t("billing.receipt.seller")}</strong>
            </div>
            <dl class="receipt-facts">
              <dt>{t("billing.receipt.number")}</dt>
              <dd class="mono">{r().id.slice(0, 8).toUpperCase()}</dd>
              <dt>{t("billing.receipt.date")}</dt>
              <dd>
                {formatDateTime(r().at, zone())} <span class="muted small">{zoneLabel(zone(), r().at)}</span>
              </dd>
              <dt>{t("billing.receipt.item")}</dt>
              <dd>{receiptItemText(r())}</dd>
              <Show when={r().minutes}>
                {(m) => (
                  <>
                    <dt>{t("billing.receipt.credits")}</dt>
                    <dd>{formatMinutes(m())}</dd>
                  </>
                )}
              </Show>
              <dt>{t("billing.receipt.subtotal")}</dt>
              <dd>{formatMoney(r().amountCents - r().taxCents, r().currency)}</dd>
              <dt>{t("billing.receipt.tax")}</dt>
              <dd>{r().taxCents ? formatMoney(r().taxCents, r().currency) : t("billing.receipt.noTax")}</dd>
              <dt>{t("billing.receipt.total")}</dt>
              <dd>
                <strong data-testid="receipt-total">{formatMoney(r().amountCents, r().currency)}</strong>
              </dd>
            </dl>
            <p class="small muted">{t("billing.receipt.localNote")}</p>
            <div class="row no-print">
              <button type="button" class="btn secondary" onClick={() => window.print()}>
                {t("billing.receipt.print")}
              </button>
              <A class="btn ghost" href="/billing">
                {t("billing.receipt.back")}
              </A>
            </div>
          </article>
        )}
      </Show>
    </>
  );
}
