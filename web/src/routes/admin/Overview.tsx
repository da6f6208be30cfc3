import { A } from "@solidjs/router";
import { Show, createResource } from "solid-js";
import { BarChart } from "../../components/charts/BarChart";
import { fetchBookingStats, fetchFlagged, fetchPayouts, fetchTutorsByApproval } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatMoney } from "../../lib/format";
import { formatDay, formatMonthDay } from "../../lib/time";
import Approvals from "./Approvals";

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
          <span class="label">Tutors waiting</span>
          <span class="stat">{pending.latest?.length ?? "…"}</span>
        </A>
        <A class="card kpi" href="/admin/flagged">
          <span class="label">Flagged or unreliable</span>
          <span class="stat">{flagged.latest?.length ?? "…"}</span>
        </A>
        <A class="card kpi" href="/admin/payouts">
          <span class="label">Unpaid earnings</span>
          <span class="stat">{payouts.latest ? formatMoney(unpaid()) : "…"}</span>
        </A>
        <div class="card kpi">
          <span class="label">Last 30 days</span>
          <span class="stat">
            {stats.latest ? total("booked") : "…"} <span class="small muted">booked</span>
          </span>
          <span class="small muted">{stats.latest ? `${total("cancelled")} cancelled` : ""}</span>
        </div>
      </div>
      <Show when={pending.latest?.length}>
        <Approvals />
      </Show>
      <section class="card" aria-labelledby="stats-title">
        <h2 id="stats-title" class="sr-only">
          Bookings per day
        </h2>
        <Show when={!stats.error} fallback={<div class="alert error" role="alert">Couldn't load booking stats: {messageOf(stats.error)} <button type="button" class="btn small secondary" onClick={() => void refetch()}>Try again</button></div>}>
          <Show when={stats.latest} fallback={<div class="skeleton" style={{ height: "200px" }} aria-label="Loading chart" role="status" />}>
            {(days) => (
              <BarChart
                title="Bookings and cancellations per day, last 30 days (UTC)"
                summary={`${total("booked")} booked and ${total("cancelled")} cancelled in 30 days.`}
                category="Day"
                series={[
                  { label: "Booked", tone: "bar-brand" },
                  { label: "Cancelled", tone: "bar-danger" },
                ]}
                height={220}
                emptyText="No bookings in the last 30 days"
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
