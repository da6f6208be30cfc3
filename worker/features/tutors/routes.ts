import { z } from "zod";
import { TutorProfileInputSchema } from "../../../domain/schemas/tutor";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { findTutor, saveProfile, toTutor, visibleTutor } from "./repo";
import { SearchQuerySchema, searchWeek, weekOverlap } from "../../../domain/search";
import { searchTutors } from "./searchRepo";
import { pushTutorFacts } from "./facts";
import { assertWithinBounds, rateBounds } from "./rateBounds";
import { commissionPercent } from "../../../platform/commission";
import { calendarOf } from "../../lib/stubs";
import { followCalendarZone, moveCalendarZone } from "./zone";
import { trialAvailableTo } from "./trialOffer";

const IdParam = z.object({ id: z.string().min(1).max(64) });

/** How many of the best matches "soonest free" looks at, and how far ahead (an hour-long slot). */
const SOONEST_POOL = 50;
const SOONEST_DAYS = 14;

/** Each tutor's first free hour in the next two weeks (ISO), asked of their calendars in parallel. */
async function nextFreeStarts(env: Env, tutorIds: string[], now: number): Promise<Map<string, string>> {
  const firsts = await Promise.all(
    tutorIds.map(async (tutorId) => {
      const { slots } = await calendarOf(env, tutorId).slots({ tutorId, from: now, to: now + SOONEST_DAYS * 86_400_000, durationMinutes: 60, now });
      return [tutorId, slots[0]?.start] as const;
    }),
  );
  return new Map(firsts.filter((f): f is readonly [string, string] => !!f[1]));
}

export const tutorRoutes = newApp()
  .get("/tutors", validate("query", SearchQuerySchema), async (c) => {
    const q = c.req.valid("query");
    const now = Date.now();
    // Preferred hours are compared over the student's coming 7 days, each at that day's offsets (domain/search.ts).
    const week = q.tz && q.from && q.to ? searchWeek(q.tz, q.from, q.to, now) : null;
    // "Soonest free" asks the best matches' calendars (the source of truth for free time), then reorders them.
    const rows = await searchTutors(c.env.DB, q.sort === "soonest" ? { ...q, limit: SOONEST_POOL } : q, week);
    const next = q.sort === "soonest" ? await nextFreeStarts(c.env, rows.map((r) => r.id), now) : null;
    const tutors = rows.map((r) => ({
      ...toTutor(r, r.subjects),
      overlapMinutesPerWeek: r.overlap,
      overlap: week ? weekOverlap(week, r.windows, r.timezone) : [],
      ...(next ? { nextFreeAt: next.get(r.id) ?? null } : {}),
    }));
    if (next) tutors.sort((a, b) => (a.nextFreeAt ?? "9").localeCompare(b.nextFreeAt ?? "9"));
    return c.json({ tutors: tutors.slice(0, q.limit) }, 200);
  })
  .get("/tutors/me/profile", requireRole("tutor"), async (c) => {
    const db = getDb(c.env);
    const [tutor, bounds] = await Promise.all([findTutor(db, currentUser(c).id), rateBounds(db)]);
    if (!tutor) throw notFound("Your tutor profile");
    // The commission is told to the tutor alone, beside their own rate (students see only what a session costs them).
    return c.json({ tutor, rateBounds: bounds, commissionPercent: commissionPercent(c.env) }, 200);
  })
  /**
   * A rate change applies to bookings made from now on: a booking keeps the price and earning it was made at. The
   * profile's zone is the tutor's one zone: the calendar's hours move to it first (they may refuse), then the account.
   */
  .put("/tutors/me/profile", requireRole("tutor"), validate("json", TutorProfileInputSchema), async (c) => {
    const db = getDb(c.env);
    const me = currentUser(c);
    const input = c.req.valid("json");
    assertWithinBounds(input.hourlyRateCents, await rateBounds(db));
    await moveCalendarZone(c.env, me.id, input.timezone);
    await saveProfile(db, me.id, input);
    await pushTutorFacts(c.env, me.id);
    const tutor = await findTutor(db, me.id);
    if (!tutor) throw notFound("Your tutor profile");
    const user = await followCalendarZone(c, me.id, input.timezone);
    return c.json({ tutor, user }, 200);
  })
  /** The profile, with whether its trial is still open to the viewer (see `trialAvailableTo`). */
  .get("/tutors/:id", validate("param", IdParam), async (c) => {
    const tutor = await visibleTutor(c, c.req.valid("param").id);
    return c.json({ tutor: { ...tutor, trialAvailable: await trialAvailableTo(c.env, tutor, c.get("user")) } }, 200);
  });
