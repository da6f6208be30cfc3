import { formatCreditRate } from "../lib/format";
import { formatMinutes } from "../lib/time";
import { t } from "../i18n";

/** A tutor's price as students pay it: credit per hour of their time (the tutor's rate sets it; pricing.ts). */
export function CreditPrice(props: { minutesPerHour: number }) {
  return (
    <div class="price" aria-label={formatCreditRate(props.minutesPerHour)}>
      {formatMinutes(props.minutesPerHour)}
      <span class="unit" aria-hidden="true">
        {t("core.price.unit")}
      </span>
    </div>
  );
}
