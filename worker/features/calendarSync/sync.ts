import { busyTimes } from "../../../domain/ical/busy";
import { getDb } from "../../../platform/db/client";
import { log } from "../../../platform/log";
import { calendarOf } from "../../lib/stubs";
import { DownloadError, downloadCalendar } from "./download";
import { type ExternalCalendar, addressOf, dueCalendars, recordFailure, recordSuccess, recordUnchanged, tutorZone } from "./externalRepo";

const DAY = 86_400_000;
/** Outside busy time is read from a day back (sessions in progress) to just over the longest booking horizon. */
const WINDOW = { backDays: 1, aheadDays: 370 };
/**
 * A calendar downloaded within this long is asked "changed since?" (ETag / Last-Modified) and a 304 keeps its
 * blocks; older downloads are fetched whole, so that endless rules are expanded into the days that came since.
 */
const REVALIDATE_FOR_MS = DAY;
/** The cron runs every 15 minutes; a calendar synced less than this ago waits for the next run. */
const MIN_INTERVAL_MS = 14 * 60_000;
const PER_RUN = 25;

export type SyncResult = { ok: true; eventCount: number; warning: string | null } | { ok: false; error: string };

/** The block source an outside calendar writes in the tutor's calendar object. */
export const sourceOf = (calendarId: string) => `ics:${calendarId}`;

/**
 * Fetches one outside calendar, expands its busy time and makes it the whole of that calendar's blocks in the
 * tutor's calendar object (atomically). An unchanged calendar (304) keeps its blocks. A failure keeps the
 * blocks of the last good sync and is recorded for the tutor to see; nothing is thrown.
 */
export async function syncCalendar(env: Env, cal: ExternalCalendar, now: number): Promise<SyncResult> {
  const db = getDb(env);
  const at = new Date(now).toISOString();
  try {
    const fresh = cal.fetchedAt !== null && now - Date.parse(cal.fetchedAt) < REVALIDATE_FOR_MS;
    const download = await downloadCalendar(await addressOf(env, cal), fresh ? { etag: cal.etag, lastModified: cal.lastModified } : null);
    if (!download.changed) {
      await recordUnchanged(db, cal.id, at);
      return { ok: true, eventCount: cal.eventCount, warning: cal.lastError };
    }
    let expansion;
    try {
      expansion = busyTimes(download.text, { from: now - WINDOW.backDays * DAY, to: now + WINDOW.aheadDays * DAY, zone: await tutorZone(db, cal.tutorId) });
    } catch {
      throw new DownloadError("The address does not return an iCalendar (.ics) file.");
    }
    const blocks = expansion.occurrences.map((o) => ({ externalId: o.externalId.slice(0, 500), start: o.start, end: o.end, title: o.summary }));
    await calendarOf(env, cal.tutorId).replaceBlocks({ tutorId: cal.tutorId, source: sourceOf(cal.id), blocks, now });
    const warning = warningOf(expansion.truncated, expansion.skipped, blocks.length);
    await recordSuccess(db, cal.id, { at, eventCount: blocks.length, skippedEvents: expansion.skipped, warning, validators: download.validators });
    return { ok: true, eventCount: blocks.length, warning };
  } catch (e) {
    const error = e instanceof DownloadError ? e.message : "The calendar could not be synced.";
    if (!(e instanceof DownloadError)) log.error("outside calendar sync failed", { calendarId: cal.id, tutorId: cal.tutorId, error: String(e) });
    await recordFailure(db, cal.id, at, error);
    return { ok: false, error };
  }
}

/** What the tutor should know about a sync that worked: events it could not read, or busy times it left out. */
function warningOf(truncated: boolean, skipped: number, used: number): string | null {
  const parts = [];
  if (skipped) parts.push(`${skipped} ${skipped === 1 ? "event" : "events"} could not be read and ${skipped === 1 ? "was" : "were"} skipped.`);
  if (truncated) parts.push(`The calendar is too large to read whole; only the first ${used} busy times are used.`);
  return parts.length ? parts.join(" ") : null;
}

/** The Cron Trigger's job: syncs the calendars that are due, a bounded number per run, oldest first. */
export async function syncOutsideCalendars(env: Env, now = Date.now()): Promise<{ synced: number; failed: number }> {
  const due = await dueCalendars(getDb(env), new Date(now - MIN_INTERVAL_MS).toISOString(), PER_RUN);
  let failed = 0;
  for (const cal of due) if (!(await syncCalendar(env, cal, now)).ok) failed++;
  if (due.length) log.info("outside calendars synced", { synced: due.length - failed, failed });
  return { synced: due.length - failed, failed };
}
