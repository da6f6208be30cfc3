import { Show, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { type HealthReport, fetchHealth } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatDateTime } from "../../lib/time";
import { t } from "../../i18n";
import { isCronJob } from "../../../../domain/schemas/cron";

const badge = (ok: boolean, good: string, bad: string) => <span class={`badge ${ok ? "success" : "danger"}`}>{ok ? good : bad}</span>;

/**
 * A job's status: green while its runs finish on schedule; red when its last run failed, or when it is stale (a run
 * cut off and never finished, or no run for twice its period), which the server judges from the job's schedule.
 */
const jobBadge = (j: HealthReport["cron"][number]) =>
  j.stale ? (
    <span class="badge danger" title={t("admin.health.staleHint")}>
      {t("admin.health.statuses.stale")}
    </span>
  ) : (
    badge(j.ok, t(`admin.health.statuses.${j.last_status}`), t("admin.health.statuses.failed"))
  );

/** Is the service healthy: the database, the scheduled jobs, webhooks arriving, payouts and email not piling up. */
export default function Health() {
  const [health, { refetch }] = createResource(fetchHealth);
  return (
    <section aria-labelledby="health-title" class="stack">
      <div class="card">
        <div class="row">
          <h2 id="health-title" class="grow">
            {t("admin.sections.health")}
          </h2>
          <Button small variant="secondary" pending={health.loading} onClick={() => refetch()}>
            {t("admin.finance.checkAgain")}
          </Button>
        </div>
        <ErrorAlert message={health.error ? t("admin.health.loadFailed", { reason: messageOf(health.error) }) : undefined} />
        <Show when={health.latest}>
          {(h) => (
            <div class="grid">
              <div>
                <div class="label">{t("admin.health.database")}</div>
                {badge(h().d1.ok, t("admin.health.reachable", { ms: h().d1.latencyMs }), t("admin.health.unreachable"))}
              </div>
              <div>
                <div class="label">{t("admin.health.webhooks24")}</div>
                <span>
                  {t("admin.health.webhookCounts", { received: h().webhooks.last24h, failed: h().webhooks.failed24h, ignored: h().webhooks.ignored24h })}
                </span>
                <div class="small muted">{h().webhooks.lastReceivedAt ? t("admin.health.last", { at: formatDateTime(h().webhooks.lastReceivedAt!, "UTC") }) : t("admin.health.lastNone")}</div>
              </div>
              <div>
                <div class="label">{t("admin.sections.payouts")}</div>
                {badge(h().payouts.failed === 0, t("admin.health.noneFailed"), t("admin.health.failed", { count: h().payouts.failed }))} <span class="small muted">{t("admin.health.pending", { count: h().payouts.pending })}</span>
              </div>
              <div>
                <div class="label">{t("admin.health.email")}</div>
                {badge(h().email.failed === 0, t("admin.health.noneFailed"), t("admin.health.failed", { count: h().email.failed }))} <span class="small muted">{t("admin.health.waiting", { count: h().email.pending })}</span>
              </div>
            </div>
          )}
        </Show>
      </div>
      <div class="card">
        <h3>{t("admin.health.jobs")}</h3>
        <DataTable
          rows={health.latest?.cron}
          caption={t("admin.health.jobsCaption")}
          loading={health.loading}
          empty={t("admin.health.noJobs")}
          columns={[
            { head: t("admin.health.job"), cell: (j) => (isCronJob(j.job) ? <span title={j.job}>{t(`admin.health.jobNames.${j.job}`)}</span> : <span class="mono">{j.job}</span>) },
            { head: t("admin.bookings.status"), cell: (j) => jobBadge(j) },
            { head: t("admin.health.lastStarted"), class: "nowrap", cell: (j) => formatDateTime(j.last_started_at, "UTC") },
            { head: t("admin.health.result"), class: "small", cell: (j) => <bdi class="mono break">{j.last_error ?? j.last_result ?? "—"}</bdi> },
          ]}
        />
      </div>
    </section>
  );
}
