import { z } from "zod";

/** The scheduled jobs (worker/jobs/index.ts runs them by these names; the admin console names them from its catalog). */
export const CRON_JOBS = [
  "completePastSessions",
  "drainOutbox",
  "postBooks",
  "sealPlainSecrets",
  "syncOutsideCalendars",
  "importWallets",
  "expireCredits",
  "backfillBooks",
  "enforceRetention",
  "backfillTutorFacts",
  "followTutorZones",
  "runPayouts",
] as const;
export type CronJob = (typeof CRON_JOBS)[number];
export const isCronJob = (name: string): name is CronJob => (CRON_JOBS as readonly string[]).includes(name);

/** A job's last run as the health report gives it (a row of `cron_runs`). */
export const CronRunSchema = z.object({
  job: z.string(),
  last_started_at: z.string(),
  last_finished_at: z.string().nullable(),
  last_status: z.enum(["running", "ok", "failed"]),
  last_error: z.string().nullable(),
  last_result: z.string().nullable(),
});
export type CronRun = z.infer<typeof CronRunSchema>;
