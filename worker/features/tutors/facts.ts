import { asc, eq, gt } from "drizzle-orm";
import { getDb } from "../../../platform/db/client";
import { appMeta, tutorProfiles } from "../../../platform/db/schema";
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
const PAGE = 200;
const PAGES_PER_RUN = 20;

/**
 * Pushes the facts of every tutor whose calendar predates them (the daily job, until done), page by page from where
 * the last page stopped (kept in app_meta), so it resumes after a failure. Idempotent. Until a tutor is pushed, their
 * calendar reads its facts from D1 itself on first use.
 */
export async function backfillTutorFacts(env: Pick<Env, "DB" | "TUTOR_CALENDAR">): Promise<{ pushed: number; done: boolean }> {
  const db = getDb(env);
  let pushed = 0;
  for (let i = 0; i < PAGES_PER_RUN; i++) {
    const mark = (await db.select().from(appMeta).where(eq(appMeta.key, BACKFILL_KEY)).get())?.value ?? "";
    if (mark === "done") return { pushed, done: true };
    const page = await db.select({ id: tutorProfiles.userId }).from(tutorProfiles).where(gt(tutorProfiles.userId, mark)).orderBy(asc(tutorProfiles.userId)).limit(PAGE).all();
    for (const { id } of page) await pushTutorFacts(env, id);
    pushed += page.length;
    const next = page.length < PAGE ? "done" : page.at(-1)!.id;
    await db.insert(appMeta).values({ key: BACKFILL_KEY, value: next }).onConflictDoUpdate({ target: appMeta.key, set: { value: next } });
  }
  return { pushed, done: false };
}
