import { A } from "@solidjs/router";
import { Show, createResource } from "solid-js";
import { BarChart } from "../../components/charts/BarChart";
import { fetchBookingStats, fetchFlagged, fetchPayouts, fetchTutorsByApproval } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { formatDay, formatMonthDay } from "../../lib/time";
import Approvals from "./Approvals";
import { t } from "../../i18n";

/** What needs attention (tutors waiting are approved right here) and bookings and cancellations per day. */
export default function Overview() {
  const [stats, { refetch }] = createResource(() => fetchBookingStats(30));
  const [pending] = createResource(() => fetchTutorsByApproval("pending"));
  const [flagged] = createResource(fetchFlagged);
  const [payouts] = createResource(fetchPayouts);
  const total = (k: "booked" | "cancelled") => (stats.latest ?? []).reduce((s, d) => s + d[k], 0);
  const unpaid = () => (payouts.latest?.unpaid ?? []).reduce((s, u) => s + Number(u.amountCents), 0);
  return (
    <div class="stack">
      <div class="kpis">
        <A class="card kpi" href="/admin/approvals">
          <span class="label">{t("admin.overview.waiting")}</span>
          <span class="stat">{pending.latest?.length ?? "…"}</span>
        </A>
        <A class="card kpi" href="/admin/flagged">
          <span class="label">{t("admin.overview.flagged")}</span>
          <span class="stat">{flagged.latest?.length ?? "…"}</span>
        </A>
        <A class="card kpi" href="/admin/payouts">
          <span class="label">{t("admin.overview.unpaid")}</span>
          <span class="stat">{payouts.latest ? formatMoney(unpaid()) : "…"}</span>
        </A>
        <div class="card kpi">
          <span class="label">{t("admin.overview.last30")}</span>
          <span class="stat">
            {stats.latest ? total("booked") : "…"} <span class="small muted">{t("admin.overview.booked", { count: stats.latest ? total("booked") : 0 })}</span>
          </span>
          <span class="small muted">{stats.latest ? t("admin.overview.cancelled", { count: total("cancelled") }) : ""}</span>
        </div>
      </div>
      <Show when={pending.latest?.length}>
        <Approvals />
      </Show>
      <section class="card" aria-labelledby="stats-title">
        <h2 id="stats-title" class="sr-only">
          {t("admin.overview.perDay")}
        </h2>
        <Show when={!stats.error} fallback={<div class="alert error" role="alert">{t("admin.overview.loadFailed", { reason: messageOf(stats.error) })} <button type="button" class="btn small secondary" onClick={() => void refetch()}>{t("admin.overview.retry")}</button></div>}>
          <Show when={stats.latest} fallback={<div class="skeleton" style={{ height: "200px" }} aria-label={t("admin.overview.loadingChart")} role="status" />}>
            {(days) => (
              <BarChart
                title={t("admin.overview.chartTitle")}
                summary={t("admin.overview.summary", { booked: total("booked"), cancelled: total("cancelled") })}
                category={t("admin.overview.day")}
                series={[
                  { label: t("admin.overview.bookedSeries"), tone: "bar-brand" },
                  { label: t("admin.overview.cancelledSeries"), tone: "bar-danger" },
                ]}
                height={220}
                emptyText={t("admin.overview.empty")}
                data={days().map((d) => ({ label: formatMonthDay(d.day), fullLabel: formatDay(d.day, { long: true }), values: [d.booked, d.cancelled] }))}
                testId="bookings-chart"
              />
            )}
          </Show>
        </Show>
      </section>
    </div>
  );
}
