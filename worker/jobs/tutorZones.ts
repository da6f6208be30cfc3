import { asc, gt } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { everyIdOnce } from "../../platform/db/pages";
import { tutorWeeklyWindows } from "../../platform/db/schema";
import { calendarOf } from "../lib/stubs";

const MARK_KEY = "weekly_hours_zone_backfill";

/**
 * Search holds each tutor's weekly hours in UTC at their zone's offset of the moment they were projected; a calendar
 * re-projects them by alarm at each clock change of its zone (calendar/rules.ts). Calendars whose hours were saved
 * before it did so have no such alarm: this daily job (until done) wakes each of them once (platform/db/pages.ts), so
 * they project their hours at today's offset and set the alarm for the next change. Idempotent: an up-to-date
 * calendar's wake changes nothing.
 */
export async function followTutorZones(env: Pick<Env, "DB" | "TUTOR_CALENDAR">): Promise<{ woken: number; done: boolean }> {
  const db = getDb(env);
  const run = await everyIdOnce(
    db,
    MARK_KEY,
    (after, limit) => db.selectDistinct({ id: tutorWeeklyWindows.tutorId }).from(tutorWeeklyWindows).where(gt(tutorWeeklyWindows.tutorId, after)).orderBy(asc(tutorWeeklyWindows.tutorId)).limit(limit).all(),
    (id) => calendarOf(env, id).settle(),
  );
  return { woken: run.count, done: run.done };
}
