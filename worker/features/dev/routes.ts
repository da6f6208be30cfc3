import { z } from "zod";
import { isLocalEnvironment } from "../../../platform/environment";
import { InstantSchema } from "../../../domain/schemas/common";
import { newApp } from "../../app";
import { notFound } from "../../lib/errors";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { unwrap } from "../bookings/outcome";
import { tutorOfBooking } from "../bookings/locate";


const IdParam = z.object({ id: z.string().min(1).max(100) });
const MoveBody = z.object({ start: InstantSchema, end: InstantSchema }).refine((b) => b.end > b.start, { message: "`end` must be after `start`", path: ["end"] });

/**
 * Development and test helpers. Bookings can only be made ahead of the tutor's notice, so a test (or a
 * developer trying the video room) moves one to "now" here.
 */
export const devRoutes = newApp().post("/dev/bookings/:id/move", requireRole(), validate("param", IdParam), validate("json", MoveBody), async (c) => {
  if (!isLocalEnvironment(c.env)) throw notFound("That route");
  const { id } = c.req.valid("param");
  const tutorId = await tutorOfBooking(c.env, id);
  // Only the booking's own people (its tutor, a student who holds or held a seat) and admins; others see nothing.
  const me = currentUser(c);
  const calendar = calendarOf(c.env, tutorId);
  const found = await calendar.getSession(id);
  const participant = me.role === "admin" || me.id === tutorId || !!found?.booking.participants?.some((p) => p.studentId === me.id);
  if (!found || !participant) throw notFound("That booking");
  const { start, end } = c.req.valid("json");
  const booking = unwrap(await calendar.moveSessionForTesting({ tutorId, sessionId: id, start: Date.parse(start), end: Date.parse(end), now: Date.now() }));
  return c.json({ booking }, 200);
});
