import { z } from "zod";
import { bookingIdFor, seriesIdFor } from "../../../domain/bookingIds";
import { BookingStatusSchema, CancelBookingSchema, CreateBookingSchema, RescheduleBookingSchema } from "../../../domain/schemas/booking";
import { InstantSchema } from "../../../domain/schemas/common";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { tutorOfBooking } from "./locate";
import { unwrapReplay } from "./outcome";
import { listAll, listForStudent, listForTutor } from "./repo";
import { requestKeyOf } from "./requestKey";
import { forViewer } from "./shape";
import { seriesForViewer } from "../series/shape";

const IdParam = z.object({ id: z.string().min(1).max(100) });
const ListQuery = z.object({
  status: BookingStatusSchema.optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  tutorId: z.string().max(100).optional(),
  studentId: z.string().max(100).optional(),
});

/**
 * Booking, cancelling and moving go straight to the tutor's calendar object, which checks the tutor, holds the
 * time, pays through the student's wallet and keeps the Idempotency-Key with its first answer: nothing here reads
 * or writes D1 (a booking's id names its tutor). Listings read the D1 projection.
 */
export const bookingRoutes = newApp()
  .post("/bookings", requireRole("student"), validate("json", CreateBookingSchema), async (c) => {
    const input = c.req.valid("json");
    const me = currentUser(c);
    if (!me.emailVerified) throw new ApiError(403, "email_unverified", `Confirm your email address before booking: open the link we sent to ${me.email} (you can ask for a new one in Account settings).`);
    const request = await requestKeyOf(c, me, input);
    const calendar = calendarOf(c.env, input.tutorId);
    const now = Date.now();
    const start = Date.parse(input.start);
    if (input.repeat) {
      const series = await calendar.bookSeries({
        tutorId: input.tutorId,
        seriesId: seriesIdFor(input.tutorId, await idFor(me.id, request?.key, "series")),
        studentId: me.id,
        start,
        durationMinutes: input.durationMinutes,
        subject: input.subject,
        weeks: input.repeat.weeks,
        group: input.group,
        request,
        now,
      });
      return c.json({ series: seriesForViewer(unwrapReplay(c, series), me) }, 201);
    }
    const outcome = input.group
      ? await calendar.joinGroup({ tutorId: input.tutorId, start, subject: input.subject, studentId: me.id, reservationId: await idFor(me.id, request?.key, `seat:${input.tutorId}`), request, now })
      : await calendar.book({
          tutorId: input.tutorId,
          sessionId: bookingIdFor(input.tutorId, await idFor(me.id, request?.key, "booking")),
          studentId: me.id,
          start,
          durationMinutes: input.durationMinutes,
          subject: input.subject,
          trial: input.trial,
          request,
          now,
        });
    return c.json({ booking: forViewer(unwrapReplay(c, outcome), me) }, 201);
  })
  .get("/bookings", requireRole(), validate("query", ListQuery), async (c) => {
    const me = currentUser(c);
    const { tutorId, studentId, ...range } = c.req.valid("query");
    const db = getDb(c.env);
    const list =
      me.role === "admin"
        ? await listAll(db, { ...range, tutorId, studentId })
        : me.role === "tutor"
          ? await listForTutor(db, me.id, range)
          : await listForStudent(db, me.id, range);
    return c.json({ bookings: list }, 200);
  })
  .post("/bookings/:id/cancel", requireRole(), validate("param", IdParam), validate("json", CancelBookingSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const tutorId = await tutorOfBooking(c.env, id);
    const outcome = await calendarOf(c.env, tutorId).cancel({ tutorId, sessionId: id, actor: { id: me.id, role: me.role }, reason: input.reason, request: await requestKeyOf(c, me, input), now: Date.now() });
    return c.json({ booking: forViewer(unwrapReplay(c, outcome), me) }, 200);
  })
  .post("/bookings/:id/reschedule", requireRole("student", "tutor"), validate("param", IdParam), validate("json", RescheduleBookingSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const tutorId = await tutorOfBooking(c.env, id);
    const outcome = await calendarOf(c.env, tutorId).reschedule({ tutorId, sessionId: id, actor: { id: me.id, role: me.role }, start: Date.parse(input.start), request: await requestKeyOf(c, me, input), now: Date.now() });
    return c.json({ booking: forViewer(unwrapReplay(c, outcome), me) }, 200);
  });
