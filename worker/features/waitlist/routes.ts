import { z } from "zod";
import { newApp } from "../../app";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { tutorOfBooking } from "../bookings/locate";
import { unwrap } from "../bookings/outcome";

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * Waitlists of full group sessions, kept by the tutor's calendar (the one writer of its seats): a student joins the
 * line, is told (inbox, live, email) when a seat frees up and it is held for them for 30 minutes, and takes it by
 * booking the seat as usual (`POST /api/bookings` with `group: true`); credits are spent then, never before.
 */
export const waitlistRoutes = newApp()
  .get("/group-sessions/:id/waitlist", requireRole("student"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(c.env, id);
    const view = unwrap(await calendarOf(c.env, tutorId).waitlistView({ tutorId, sessionId: id, studentId: me.id, now: Date.now() }));
    return c.json(view, 200);
  })
  .post("/group-sessions/:id/waitlist", requireRole("student"), idempotency, validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(c.env, id);
    const waitlist = unwrap(await calendarOf(c.env, tutorId).joinWaitlist({ tutorId, sessionId: id, studentId: me.id, now: Date.now() }));
    return c.json({ waitlist }, 201);
  })
  .delete("/group-sessions/:id/waitlist", requireRole("student"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(c.env, id);
    const waitlist = unwrap(await calendarOf(c.env, tutorId).leaveWaitlist({ tutorId, sessionId: id, studentId: me.id, now: Date.now() }));
    return c.json({ waitlist }, 200);
  });
