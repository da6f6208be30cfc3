import { z } from "zod";
import { newApp } from "../../app";
import { notFound } from "../../lib/errors";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";

const IdParam = z.object({ id: z.string().min(1).max(64) });

/** Outside busy time (Calendly, outside calendars) that lands on a tutor's sessions, for the tutor to resolve. */
export const conflictRoutes = newApp()
  .get("/tutors/me/calendar-conflicts", requireRole("tutor"), async (c) => {
    const me = currentUser(c);
    return c.json({ conflicts: await calendarOf(c.env, me.id).conflicts() }, 200);
  })
  .post("/tutors/me/calendar-conflicts/:id/dismiss", requireRole("tutor"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const dismissed = await calendarOf(c.env, me.id).dismissConflict(c.req.valid("param").id, Date.now());
    if (!dismissed) throw notFound("That conflict");
    return c.body(null, 204);
  });
