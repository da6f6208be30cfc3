import { z } from "zod";
import { addressProblemMessage, checkCalendarAddress } from "../../../domain/ical/calendarAddress";
import { seal } from "../../lib/sealed";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError, notFound } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { type ExternalCalendar, MAX_CALENDARS_PER_TUTOR, addCalendar, addressContext, findCalendar, listCalendars, removeCalendar } from "./externalRepo";
import { sourceOf, syncCalendar } from "./sync";

/** A calendar's secret address: https (a webcal:// link is the same address), on a public host by name. */
const CalendarUrl = z
  .string()
  .max(2000)
  .transform((u, ctx) => {
    const checked = checkCalendarAddress(u);
    if (checked.ok) return checked.url.href;
    ctx.addIssue({ code: "custom", message: addressProblemMessage(checked.reason) });
    return z.NEVER;
  });

const AddCalendarSchema = z.object({ url: CalendarUrl, label: z.string().trim().min(1).max(60).optional() });
const IdParam = z.object({ id: z.string().min(1).max(64) });

/** What the tutor sees of an outside calendar: never the secret address itself, only the host it points at. */
function view(cal: ExternalCalendar) {
  return {
    id: cal.id,
    label: cal.label,
    address: cal.host,
    createdAt: cal.createdAt,
    lastSyncAt: cal.lastSyncAt,
    lastSuccessAt: cal.lastSuccessAt,
    lastError: cal.lastError,
    eventCount: cal.eventCount,
    skippedEvents: cal.skippedEvents,
  };
}

export const externalRoutes = newApp()
  .get("/tutors/me/external-calendars", requireRole("tutor"), async (c) => {
    const me = currentUser(c);
    return c.json({ calendars: (await listCalendars(getDb(c.env), me.id)).map(view) }, 200);
  })
  /** Adds an outside calendar and syncs it at once; a failed first sync is reported on the calendar, not as an error. */
  .post("/tutors/me/external-calendars", requireRole("tutor"), idempotency, validate("json", AddCalendarSchema), async (c) => {
    const me = currentUser(c);
    const input = c.req.valid("json");
    const db = getDb(c.env);
    const id = (await idFor(me.id, c.req.header("Idempotency-Key"), "external-calendar")).replace(/-/g, "").slice(0, 20);
    const host = new URL(input.url).hostname;
    const url = await seal(c.env, input.url, addressContext(id));
    const added = await addCalendar(db, { id, tutorId: me.id, label: input.label ?? host, url, host, createdAt: new Date().toISOString() });
    if (!added) throw new ApiError(409, "too_many_calendars", `You can connect up to ${MAX_CALENDARS_PER_TUTOR} outside calendars.`);
    await syncCalendar(c.env, added, Date.now());
    return c.json({ calendar: view((await findCalendar(db, me.id, id))!) }, 201);
  })
  .post("/tutors/me/external-calendars/:id/sync", requireRole("tutor"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const cal = await findCalendar(db, me.id, c.req.valid("param").id);
    if (!cal) throw notFound("That calendar");
    await syncCalendar(c.env, cal, Date.now());
    return c.json({ calendar: view((await findCalendar(db, me.id, cal.id))!) }, 200);
  })
  /** Disconnecting frees the time the calendar blocked. */
  .delete("/tutors/me/external-calendars/:id", requireRole("tutor"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const cal = await findCalendar(db, me.id, c.req.valid("param").id);
    if (!cal) throw notFound("That calendar");
    await calendarOf(c.env, me.id).replaceBlocks({ tutorId: me.id, source: sourceOf(cal.id), blocks: [], now: Date.now() });
    await removeCalendar(db, me.id, cal.id);
    return c.body(null, 204);
  });
