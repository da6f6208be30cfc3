import { z } from "zod";
import { AvailabilityInputSchema } from "../../../domain/schemas/availability";
import { OpenGroupSessionSchema, SlotsQuerySchema } from "../../../domain/schemas/booking";
import { newApp } from "../../app";
import { idFor } from "../../lib/ids";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { assertSameOriginUpgrade } from "../../middleware/origin";
import { unwrap } from "../bookings/outcome";
import { visibleTutor } from "../tutors/repo";
import { bookingIdFor } from "../../../domain/bookingIds";
import { seatPrice } from "../../../domain/credits/pricing";

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
    const outcome = await calendarOf(c.env, me.id).openGroup({
      tutorId: me.id,
      sessionId: bookingIdFor(me.id, await idFor(me.id, c.req.header("Idempotency-Key"), "group")),
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
    // The price of the asked duration, from the rate the calendar books at (or the profile's, before its first push).
    const price = result.price ?? { creditMinutes: seatPrice({ kind: "one_on_one", hourlyRateCents: tutor.hourlyRateCents, durationMinutes: q.duration }) };
    return c.json({ slots: result.slots, groups: result.groups, timezone: tutor.timezone, price }, 200);
  })
  .get("/tutors/:id/live", validate("param", IdParam), async (c) => {
    assertSameOriginUpgrade(c);
    const tutor = await visibleTutor(c, c.req.valid("param").id);
    return calendarOf(c.env, tutor.id).fetch(c.req.raw);
  });
