import { asc, gt } from "drizzle-orm";
import { getDb } from "../../../platform/db/client";
import { everyIdOnce } from "../../../platform/db/pages";
import { tutorProfiles } from "../../../platform/db/schema";
import { readTutorFacts } from "../../../platform/tutors/facts";
import { calendarOf } from "../../lib/stubs";

/**
 * Pushes a tutor's booking facts (approval, subjects, rate, name) from D1 to their calendar object, which is what
 * booking reads. Call it after every change to any of them: profile edit, approval, name change, suspension.
 */
export async function pushTutorFacts(env: Pick<Env, "DB" | "TUTOR_CALENDAR">, tutorId: string): Promise<void> {
  const facts = await readTutorFacts(getDb(env), tutorId);
  if (facts) await calendarOf(env, tutorId).setFacts(facts);
}

const BACKFILL_KEY = "tutor_facts_backfill";

/**
 * Pushes the facts of every tutor whose calendar predates them (the daily job, until done; it resumes where a failed
 * run stopped: platform/db/pages.ts). Idempotent. Until a tutor is pushed, their calendar reads its facts from D1
 * itself on first use.
 */
export async function backfillTutorFacts(env: Pick<Env, "DB" | "TUTOR_CALENDAR">): Promise<{ pushed: number; done: boolean }> {
  const db = getDb(env);
  const run = await everyIdOnce(
    db,
    BACKFILL_KEY,
    (after, limit) => db.select({ id: tutorProfiles.userId }).from(tutorProfiles).where(gt(tutorProfiles.userId, after)).orderBy(asc(tutorProfiles.userId)).limit(limit).all(),
    (id) => pushTutorFacts(env, id),
  );
  return { pushed: run.count, done: run.done };
}
