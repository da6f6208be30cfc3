import { busyTimes } from "../../../domain/ical/busy";
import { getDb } from "../../../platform/db/client";
import { log } from "../../../platform/log";
import { calendarOf } from "../../lib/stubs";
import { type ExternalCalendar, dueCalendars, recordFailure, recordSuccess, tutorZone } from "./externalRepo";

const DAY = 86_400_000;
/** Outside busy time is read from a day back (sessions in progress) to just over the longest booking horizon. */
const WINDOW = { backDays: 1, aheadDays: 370 };
const MAX_BYTES = 5 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 15_000;
/** The cron runs every 15 minutes; a calendar synced less than this ago waits for the next run. */
const MIN_INTERVAL_MS = 14 * 60_000;
const PER_RUN = 25;

export type SyncResult = { ok: true; eventCount: number; warning: string | null } | { ok: false; error: string };

/** The block source an outside calendar writes in the tutor's calendar object. */
export const sourceOf = (calendarId: string) => `ics:${calendarId}`;

class SyncError extends Error {}

async function download(url: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Accept: "text/calendar, */*;q=0.5", "User-Agent": "Tutorly calendar sync" }, redirect: "follow", signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (e) {
    throw new SyncError(e instanceof Error && e.name === "TimeoutError" ? "The calendar address did not answer in time." : "The calendar address could not be reached.");
  }
  if (!res.ok) throw new SyncError(`The calendar address answered ${res.status}${res.status === 404 || res.status === 401 || res.status === 403 ? "; it may have been reset" : ""}.`);
  if (Number(res.headers.get("Content-Length") ?? 0) > MAX_BYTES) throw new SyncError("The calendar is larger than 5 MB.");
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new SyncError("The calendar is larger than 5 MB.");
  return text;
}

/**
 * Fetches one outside calendar, expands its busy time and makes it the whole of that calendar's blocks in the
 * tutor's calendar object (atomically). A failure keeps the blocks of the last good sync and is recorded for
 * the tutor to see; nothing is thrown.
 */
export async function syncCalendar(env: Env, cal: ExternalCalendar, now: number): Promise<SyncResult> {
  const db = getDb(env);
  const at = new Date(now).toISOString();
  try {
    const text = await download(cal.url);
    let expansion;
    try {
      expansion = busyTimes(text, { from: now - WINDOW.backDays * DAY, to: now + WINDOW.aheadDays * DAY, zone: await tutorZone(db, cal.tutorId) });
    } catch {
      throw new SyncError("The address does not return an iCalendar (.ics) file.");
    }
    const blocks = expansion.occurrences.map((o) => ({ externalId: o.externalId.slice(0, 500), start: o.start, end: o.end, title: o.summary }));
    await calendarOf(env, cal.tutorId).replaceBlocks({ tutorId: cal.tutorId, source: sourceOf(cal.id), blocks, now });
    const warning = expansion.truncated ? `Only the first ${blocks.length} busy times are used.` : null;
    await recordSuccess(db, cal.id, at, blocks.length, warning);
    return { ok: true, eventCount: blocks.length, warning };
  } catch (e) {
    const error = e instanceof SyncError ? e.message : "The calendar could not be synced.";
    if (!(e instanceof SyncError)) log.error("outside calendar sync failed", { calendarId: cal.id, tutorId: cal.tutorId, error: String(e) });
    await recordFailure(db, cal.id, at, error);
    return { ok: false, error };
  }
}

/** The Cron Trigger's job: syncs the calendars that are due, a bounded number per run, oldest first. */
export async function syncOutsideCalendars(env: Env, now = Date.now()): Promise<{ synced: number; failed: number }> {
  const due = await dueCalendars(getDb(env), new Date(now - MIN_INTERVAL_MS).toISOString(), PER_RUN);
  let failed = 0;
  for (const cal of due) if (!(await syncCalendar(env, cal, now)).ok) failed++;
  if (due.length) log.info("outside calendars synced", { synced: due.length - failed, failed });
  return { synced: due.length - failed, failed };
}
