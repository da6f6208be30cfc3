import { z } from "zod";
import { newApp } from "../../app";
import { calendarOf } from "../../lib/stubs";
import { ApiError } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { tutorOfBooking } from "../bookings/locate";
import { unwrap } from "../bookings/outcome";
import { forgetPlace, rememberPlace } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(100) });

/**
 * Waitlists of full group sessions, kept by the tutor's calendar (the one writer of its seats): a student joins the
 * line, is told (inbox, live, email) when a seat frees up and it is held for them for 30 minutes, and takes it by
 * booking the seat as usual (`POST /api/bookings` with `group: true`); credits are spent then, never before. Only
 * those who could take a seat may wait for one: a confirmed email address (as booking asks), an active account (a
 * suspended or deleted one is taken out of every line, features/waitlist/repo.ts).
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
    // A seat held for someone who cannot book it would only keep it from the next in line.
    if (!me.emailVerified) throw new ApiError(403, "email_unverified", `Confirm your email address before joining a waitlist: open the link we sent to ${me.email} (you can ask for a new one in Account settings).`);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(c.env, id);
    const calendar = calendarOf(c.env, tutorId);
    const now = Date.now();
    const waitlist = unwrap(await calendar.joinWaitlist({ tutorId, sessionId: id, studentId: me.id, now }));
    if (!(await rememberPlace(c.env, { studentId: me.id, sessionId: id, tutorId }, now))) {
      // Suspended or deleted while joining: out of the line again.
      await calendar.leaveWaitlist({ tutorId, sessionId: id, studentId: me.id, now });
      await forgetPlace(c.env, me.id, id);
      throw unauthenticated();
    }
    return c.json({ waitlist }, 201);
  })
  .delete("/group-sessions/:id/waitlist", requireRole("student"), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(c.env, id);
    const waitlist = unwrap(await calendarOf(c.env, tutorId).leaveWaitlist({ tutorId, sessionId: id, studentId: me.id, now: Date.now() }));
    await forgetPlace(c.env, me.id, id);
    return c.json({ waitlist }, 200);
  });
