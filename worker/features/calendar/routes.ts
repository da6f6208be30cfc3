import { z } from "zod";
import { AvailabilityInputSchema } from "../../../domain/schemas/availability";
import { OpenGroupSessionSchema, SlotsQuerySchema } from "../../../domain/schemas/booking";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { assertSameOriginUpgrade } from "../../middleware/origin";
import { unwrap } from "../bookings/outcome";
import { findTutor, visibleTutor } from "../tutors/repo";

const IdParam = z.object({ id: z.string().min(1).max(64) });


export const calendarRoutes = newApp()
  .get("/tutors/me/availability", requireRole("tutor"), async (c) => {
    const me = currentUser(c);
    return c.json({ availability: await calendarOf(c.env, me.id).availability() }, 200);
  })
  .put("/tutors/me/availability", requireRole("tutor"), validate("json", AvailabilityInputSchema), async (c) => {
    const me = currentUser(c);
    const availability = await calendarOf(c.env, me.id).setAvailability(me.id, c.req.valid("json"));
    return c.json({ availability }, 200);
  })
  .post("/tutors/me/group-sessions", requireRole("tutor"), idempotency, validate("json", OpenGroupSessionSchema), async (c) => {
    const me = currentUser(c);
    const input = c.req.valid("json");
    const tutor = await findTutor(getDb(c.env), me.id);
    if (!tutor?.subjects.includes(input.subject)) {
      throw new ApiError(400, "subject_not_taught", "Add this subject to your profile first.", [{ path: "subject", message: "Not one of your subjects" }]);
    }
    const outcome = await calendarOf(c.env, me.id).openGroup({
      tutorId: me.id,
      sessionId: await idFor(me.id, c.req.header("Idempotency-Key"), "group"),
      start: Date.parse(input.start),
      durationMinutes: input.durationMinutes,
      subject: input.subject,
      seats: input.seats,
      now: Date.now(),
    });
    return c.json({ booking: unwrap(outcome) }, 201);
  })
  .get("/tutors/:id/slots", validate("param", IdParam), validate("query", SlotsQuerySchema), async (c) => {
    const tutor = await visibleTutor(c, c.req.valid("param").id);
    const q = c.req.valid("query");
    const result = await calendarOf(c.env, tutor.id).slots({
      tutorId: tutor.id,
      from: Date.parse(q.from),
      to: Date.parse(q.to),
      durationMinutes: q.duration,
      now: Date.now(),
    });
    return c.json({ slots: result.slots, groups: result.groups, timezone: tutor.timezone }, 200);
  })
  .get("/tutors/:id/live", validate("param", IdParam), async (c) => {
    assertSameOriginUpgrade(c);
    const tutor = await visibleTutor(c, c.req.valid("param").id);
    return calendarOf(c.env, tutor.id).fetch(c.req.raw);
  });
