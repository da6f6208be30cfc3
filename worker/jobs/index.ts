import { eq } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { cronRuns } from "../../platform/db/schema";
import { log } from "../../platform/log";
import { runPayouts } from "../features/payouts/service";
import { completePastSessions } from "./completeSessions";
import { expireCredits } from "./expireCredits";
import { importWallets } from "./importWallets";
import { enforceRetention } from "./retention";
import { drainOutbox } from "../../platform/notifications/service";
import { syncOutsideCalendars } from "../features/calendarSync/sync";
import { backfillTutorFacts } from "../features/tutors/facts";
import { followTutorZones } from "./tutorZones";
import { sealPlainSecrets } from "../features/calendarSync/sealing";
import { postPending } from "../features/finance/posting";
import type { CronJob } from "../../domain/schemas/cron";

type Job = (env: Env, now: Date) => Promise<unknown>;

/** Which jobs each Cron Trigger (wrangler.toml [triggers]) runs. */
export const SCHEDULE: Record<string, Partial<Record<CronJob, Job>>> = {
  "*/5 * * * *": { completePastSessions, drainOutbox: (env) => drainOutbox(env), postBooks: (env, now) => postPending(env, now) },
  "*/15 * * * *": { sealPlainSecrets: (env) => sealPlainSecrets(env), syncOutsideCalendars: (env, now) => syncOutsideCalendars(env, now.getTime()) },
  "0 3 * * *": {
    importWallets: (env, now) => importWallets(env, now),
    expireCredits,
    backfillBooks: (env, now) => postPending(env, now, { backfill: true }),
    enforceRetention,
    backfillTutorFacts: (env) => backfillTutorFacts(env),
    followTutorZones: (env) => followTutorZones(env),
  },
  "0 6 * * 1": { runPayouts },
};

/** Runs one job and records its outcome in `cron_runs` (the admin health page reads it). A failure never stops the others. */
export async function runJob(env: Env, name: string, job: Job, now: Date) {
  const db = getDb(env);
  const startedAt = new Date().toISOString();
  await db
    .insert(cronRuns)
    .values({ job: name, lastStartedAt: startedAt, lastStatus: "running" })
    .onConflictDoUpdate({ target: cronRuns.job, set: { lastStartedAt: startedAt, lastStatus: "running" } });
  try {
    const result = await job(env, now);
    await db.update(cronRuns).set({ lastFinishedAt: new Date().toISOString(), lastStatus: "ok", lastError: null, lastResult: JSON.stringify(result ?? null) }).where(eq(cronRuns.job, name));
    log.info("cron job finished", { job: name, result });
    return result;
  } catch (e) {
    log.error("cron job failed", { job: name, error: String(e) });
    await db.update(cronRuns).set({ lastFinishedAt: new Date().toISOString(), lastStatus: "failed", lastError: String(e).slice(0, 1000) }).where(eq(cronRuns.job, name));
    return undefined;
  }
}

export async function runScheduled(env: Env, cron: string, scheduledTime: number) {
  const jobs = SCHEDULE[cron];
  if (!jobs) return log.warn("no jobs for cron", { cron });
  for (const [name, job] of Object.entries(jobs)) if (job) await runJob(env, name, job, new Date(scheduledTime));
}
