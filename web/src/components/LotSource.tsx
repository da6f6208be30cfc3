import { Show } from "solid-js";
import { t } from "../i18n";

type LotLike = { kind: string; funding: "paid" | "promo"; frozen: boolean };

/** Where a credit lot came from, in words: a purchase, an adjustment, or promotional credit the platform paid for. */
export const lotSourceText = (lot: LotLike) => t(lot.funding === "promo" ? "billing.lot.promo" : lot.kind === "grant" ? "billing.lot.grant" : "billing.lot.adjustment");

/** A lot's origin with its badges: "Promotional", and "On hold" while a payment for it is disputed. */
export function LotSource(props: { lot: LotLike }) {
  return (
    <>
      <Show when={props.lot.funding === "promo"} fallback={lotSourceText(props.lot)}>
        <span class="badge brand">{t("billing.lot.promoBadge")}</span>
      </Show>
      <Show when={props.lot.frozen}>
        {" "}
        <span class="badge warning" title={t("billing.lot.onHoldTitle")}>
          {t("billing.lot.onHold")}
        </span>
      </Show>
    </>
  );
}
