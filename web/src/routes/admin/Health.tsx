import { Show, createResource } from "solid-js";
import { ErrorAlert } from "../../components/Alert";
import { Button } from "../../components/Button";
import { DataTable } from "../../components/DataTable";
import { fetchHealth } from "../../features/admin/admin";
import { messageOf } from "../../lib/api";
import { formatDateTime } from "../../lib/time";

const badge = (ok: boolean, good: string, bad: string) => <span class={`badge ${ok ? "success" : "danger"}`}>{ok ? good : bad}</span>;

/** Is the service healthy: the database, the scheduled jobs, webhooks arriving, payouts and email not piling up. */
export default function Health() {
  const [health, { refetch }] = createResource(fetchHealth);
  return (
    <section aria-labelledby="health-title" class="stack">
      <div class="card">
        <div class="row">
          <h2 id="health-title" class="grow">
            Health
          </h2>
          <Button small variant="secondary" pending={health.loading} onClick={() => refetch()}>
            Check again
          </Button>
        </div>
        <ErrorAlert message={health.error ? `Couldn't check health: ${messageOf(health.error)}` : undefined} />
        <Show when={health.latest}>
          {(h) => (
            <div class="grid">
              <div>
                <div class="label">Database (D1)</div>
                {badge(h().d1.ok, `reachable · ${h().d1.latencyMs} ms`, "unreachable")}
              </div>
              <div>
                <div class="label">Webhooks, last 24 h</div>
                <span>
                  {h().webhooks.last24h} received · {h().webhooks.failed24h} failed · {h().webhooks.ignored24h} ignored
                </span>
                <div class="small muted">Last: {h().webhooks.lastReceivedAt ? formatDateTime(h().webhooks.lastReceivedAt!, "UTC") + " UTC" : "none yet"}</div>
              </div>
              <div>
                <div class="label">Payouts</div>
                {badge(h().payouts.failed === 0, "none failed", `${h().payouts.failed} failed`)} <span class="small muted">{h().payouts.pending} pending</span>
              </div>
              <div>
                <div class="label">Email</div>
                {badge(h().email.failed === 0, "none failed", `${h().email.failed} failed`)} <span class="small muted">{h().email.pending} waiting</span>
              </div>
            </div>
          )}
        </Show>
      </div>
      <div class="card">
        <h3>Scheduled jobs</h3>
        <DataTable
          rows={health.latest?.cron}
          caption="Last run of each scheduled job"
          loading={health.loading}
          empty="No scheduled job has run yet."
          columns={[
            { head: "Job", cell: (j) => j.job },
            { head: "Status", cell: (j) => badge(j.last_status !== "failed", j.last_status, "failed") },
            { head: "Last started (UTC)", class: "nowrap", cell: (j) => formatDateTime(j.last_started_at, "UTC") },
            { head: "Result", class: "small", cell: (j) => j.last_error ?? j.last_result ?? "—" },
          ]}
        />
      </div>
    </section>
  );
}
