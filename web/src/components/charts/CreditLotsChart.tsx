import { Show } from "solid-js";
import type { Credits } from "../../features/credits/credits";
import { dayOf, formatDate, formatMonthDay, formatMinutes } from "../../lib/time";
import { lotSourceText } from "../LotSource";
import { BarChart } from "./BarChart";


import { t } from "../../i18n";
/** "Jan 25", or "Nov 26, 2027" when the date is not in the current year. */
const shortDate = (iso: string, zone: string) => {
  const day = dayOf(iso, zone);
  return day.slice(0, 4) === dayOf(Date.now(), zone).slice(0, 4) ? formatMonthDay(day) : formatDate(iso, zone);
};

/** One bar per credit lot: what is left and what was used, labelled by expiry date (soonest first). */
export function CreditLotsChart(props: { credits: Credits; zone: string; height?: number }) {
  const lots = () => props.credits.lots.slice(0, 8);
  return (
    <Show when={lots().length} fallback={<p class="small muted">{t("billing.chart.none")}</p>}>
      <BarChart
        title={t("billing.credits.byExpiry")}
        summary={t("billing.chart.summary", { count: lots().length, left: formatMinutes(props.credits.balanceMinutes), first: formatDate(lots()[0]!.expiresAt, props.zone) })}
        category={t("billing.chart.category")}
        series={[
          { label: t("billing.credits.left"), tone: "bar-brand" },
          { label: t("billing.chart.used"), tone: "bar-soft" },
        ]}
        stacked
        height={props.height ?? 170}
        unit={60}
        format={(m) => formatMinutes(Math.round(m))}
        data={lots().map((g) => ({
          label: shortDate(g.expiresAt, props.zone),
          fullLabel: t(g.frozen ? "billing.chart.lotOnHold" : "billing.chart.lot", { source: lotSourceText(g), total: formatMinutes(g.minutes), expires: formatDate(g.expiresAt, props.zone) }),
          values: [g.remainingMinutes, Math.max(0, g.minutes - g.remainingMinutes)],
        }))}
        testId="credit-lots-chart"
      />
      <p class="small muted chart-note">{t("billing.chart.note")}</p>
    </Show>
  );
}
