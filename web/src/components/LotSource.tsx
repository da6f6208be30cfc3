import { Show } from "solid-js";

type LotLike = { kind: string; funding: "paid" | "promo"; frozen: boolean };

/** Where a credit lot came from, in words: a purchase, an adjustment, or promotional credit the platform paid for. */
export const lotSourceText = (lot: LotLike) => (lot.funding === "promo" ? "Promotional credit" : lot.kind === "grant" ? "Plan or pack" : "Adjustment");

/** A lot's origin with its badges: "Promotional", and "On hold" while a payment for it is disputed. */
export function LotSource(props: { lot: LotLike }) {
  return (
    <>
      <Show when={props.lot.funding === "promo"} fallback={lotSourceText(props.lot)}>
        <span class="badge brand">Promotional</span>
      </Show>
      <Show when={props.lot.frozen}>
        {" "}
        <span class="badge warning" title="The payment for this credit is disputed; it can be used again if the dispute is settled in your favour.">
          On hold
        </span>
      </Show>
    </>
  );
}
