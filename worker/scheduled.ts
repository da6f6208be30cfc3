import { syncOutsideCalendars } from "./features/calendarSync/sync";
import { log } from "./lib/log";

type Job = { name: string; run: (env: Env, scheduledTime: number) => Promise<unknown> };

/**
 * What each Cron Trigger (wrangler.toml `[triggers] crons`) runs. Add a job to its cron string here; a cron
 * with no job is logged, and one job failing does not stop the others.
 */
export const CRON_JOBS: Record<string, Job[]> = {
  "*/15 * * * *": [{ name: "sync outside calendars", run: (env, at) => syncOutsideCalendars(env, at) }],
};

export async function scheduled(controller: Pick<ScheduledController, "cron" | "scheduledTime">, env: Env): Promise<void> {
  const jobs = CRON_JOBS[controller.cron];
  if (!jobs?.length) {
    log.warn("no job for cron", { cron: controller.cron });
    return;
  }
  // Epoch ms in production; test harnesses may hand over a Date.
  const at = Number(controller.scheduledTime) || Date.now();
  const results = await Promise.allSettled(jobs.map((job) => job.run(env, at)));
  results.forEach((r, i) => {
    if (r.status === "rejected") log.error("cron job failed", { cron: controller.cron, job: jobs[i]!.name, error: String(r.reason) });
  });
}
