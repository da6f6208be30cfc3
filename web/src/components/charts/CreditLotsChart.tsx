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

/** Labels made distinct: a label that repeats gets its place among its equals ("Jan 25 (1)", "Jan 25 (2)"). */
export function distinctLabels(labels: readonly string[]): string[] {
  const total = new Map<string, number>();
  for (const l of labels) total.set(l, (total.get(l) ?? 0) + 1);
  const seen = new Map<string, number>();
  return labels.map((l) => {
    if (total.get(l) === 1) return l;
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return `${l} (${n})`;
  });
}

/** One bar per credit lot: what is left and what was used, labelled by expiry date (soonest first). */
export function CreditLotsChart(props: { credits: Credits; zone: string; height?: number }) {
  const lots = () => props.credits.lots.slice(0, 8);
  const labels = () => distinctLabels(lots().map((g) => shortDate(g.expiresAt, props.zone)));
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
        data={lots().map((g, i) => ({
          label: labels()[i]!,
          fullLabel: t(g.frozen ? "billing.chart.lotOnHold" : "billing.chart.lot", { source: lotSourceText(g), total: formatMinutes(g.minutes), expires: formatDate(g.expiresAt, props.zone) }),
          values: [g.remainingMinutes, Math.max(0, g.minutes - g.remainingMinutes)],
        }))}
        testId="credit-lots-chart"
      />
      <p class="small muted chart-note">{t("billing.chart.labelled")}</p>
    </Show>
  );
}
