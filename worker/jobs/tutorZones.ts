import { asc, eq, gt } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { appMeta, tutorWeeklyWindows } from "../../platform/db/schema";
import { calendarOf } from "../lib/stubs";

const MARK_KEY = "weekly_hours_zone_backfill";
const PAGE = 200;
const PAGES_PER_RUN = 20;

/**
 * Search holds each tutor's weekly hours in UTC at their zone's offset of the moment they were projected; a calendar
 * re-projects them by alarm at each clock change of its zone (calendar/rules.ts). Calendars whose hours were saved
 * before it did so have no such alarm: this daily job (until done) wakes each of them once, page by page from where
 * the last page stopped (kept in app_meta), so they project their hours at today's offset and set the alarm for the
 * next change. Idempotent: an up-to-date calendar's wake changes nothing.
 */
export async function followTutorZones(env: Pick<Env, "DB" | "TUTOR_CALENDAR">): Promise<{ woken: number; done: boolean }> {
  const db = getDb(env);
  let woken = 0;
  for (let i = 0; i < PAGES_PER_RUN; i++) {
    const mark = (await db.select().from(appMeta).where(eq(appMeta.key, MARK_KEY)).get())?.value ?? "";
    if (mark === "done") return { woken, done: true };
    const page = await db
      .selectDistinct({ id: tutorWeeklyWindows.tutorId })
      .from(tutorWeeklyWindows)
      .where(gt(tutorWeeklyWindows.tutorId, mark))
      .orderBy(asc(tutorWeeklyWindows.tutorId))
      .limit(PAGE)
      .all();
    for (const { id } of page) await calendarOf(env, id).settle();
    woken += page.length;
    const next = page.length < PAGE ? "done" : page.at(-1)!.id;
    await db.insert(appMeta).values({ key: MARK_KEY, value: next }).onConflictDoUpdate({ target: appMeta.key, set: { value: next } });
  }
  return { woken, done: false };
}
