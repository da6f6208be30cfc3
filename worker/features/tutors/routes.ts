import { z } from "zod";
import { TutorProfileInputSchema } from "../../../domain/schemas/tutor";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { findTutor, saveProfile, toTutor, visibleTutor } from "./repo";
import { SearchQuerySchema, nextOccurrences, overlapOf, preferredWindows } from "../../../domain/search";
import { searchTutors } from "./searchRepo";
import { pushTutorFacts } from "./facts";
import { assertWithinBounds, rateBounds } from "./rateBounds";

const IdParam = z.object({ id: z.string().min(1).max(64) });

export const tutorRoutes = newApp()
  .get("/tutors", validate("query", SearchQuerySchema), async (c) => {
    const q = c.req.valid("query");
    const now = Date.now();
    const preferred = q.tz && q.from && q.to ? preferredWindows(q.tz, q.from, q.to, now) : null;
    const rows = await searchTutors(c.env.DB, q, preferred);
    const tutors = rows.map((r) => ({
      ...toTutor(r, r.subjects),
      overlapMinutesPerWeek: r.overlap,
      overlap: preferred ? nextOccurrences(overlapOf(r.windows, preferred), now) : [],
    }));
    return c.json({ tutors }, 200);
  })
  .get("/tutors/me/profile", requireRole("tutor"), async (c) => {
    const db = getDb(c.env);
    const [tutor, bounds] = await Promise.all([findTutor(db, currentUser(c).id), rateBounds(db)]);
    if (!tutor) throw notFound("Your tutor profile");
    return c.json({ tutor, rateBounds: bounds }, 200);
  })
  /** A rate change applies to bookings made from now on: a booking keeps the price and earning it was made at. */
  .put("/tutors/me/profile", requireRole("tutor"), validate("json", TutorProfileInputSchema), async (c) => {
    const db = getDb(c.env);
    const me = currentUser(c);
    const input = c.req.valid("json");
    assertWithinBounds(input.hourlyRateCents, await rateBounds(db));
    await saveProfile(db, me.id, input);
    await pushTutorFacts(c.env, me.id);
    const tutor = await findTutor(db, me.id);
    if (!tutor) throw notFound("Your tutor profile");
    return c.json({ tutor }, 200);
  })
  .get("/tutors/:id", validate("param", IdParam), async (c) => c.json({ tutor: await visibleTutor(c, c.req.valid("param").id) }, 200));
