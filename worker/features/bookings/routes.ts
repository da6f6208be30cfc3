import { z } from "zod";
import { BookingStatusSchema, CancelBookingSchema, CreateBookingSchema, RescheduleBookingSchema } from "../../../domain/schemas/booking";
import { InstantSchema } from "../../../domain/schemas/common";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError, notFound } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { findTutor } from "../tutors/repo";
import { unwrap } from "./outcome";
import { listAll, listForStudent, listForTutor, tutorOfBooking } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(100) });
const ListQuery = z.object({
  status: BookingStatusSchema.optional(),
  from: InstantSchema.optional(),
  to: InstantSchema.optional(),
  tutorId: z.string().max(100).optional(),
  studentId: z.string().max(100).optional(),
});

export const bookingRoutes = newApp()
  .post("/bookings", requireRole("student"), idempotency, validate("json", CreateBookingSchema), async (c) => {
    const input = c.req.valid("json");
    const me = currentUser(c);
    if (!me.emailVerified) throw new ApiError(403, "email_unverified", `Confirm your email address before booking: open the link we sent to ${me.email} (you can ask for a new one in Account settings).`);
    const tutor = await findTutor(getDb(c.env), input.tutorId);
    if (!tutor?.listed) throw notFound("That tutor");
    if (!tutor.subjects.includes(input.subject)) {
      throw new ApiError(400, "subject_not_taught", `${tutor.name} does not teach ${input.subject}.`, [{ path: "subject", message: `Choose one of: ${tutor.subjects.join(", ")}` }]);
    }
    const calendar = calendarOf(c.env, tutor.id);
    const key = c.req.header("Idempotency-Key");
    const now = Date.now();
    const start = Date.parse(input.start);
    const outcome = input.group
      ? await calendar.joinGroup({ tutorId: tutor.id, start, subject: input.subject, studentId: me.id, reservationId: await idFor(me.id, key, "seat"), now })
      : await calendar.book({
          tutorId: tutor.id,
          sessionId: await idFor(me.id, key, "booking"),
          studentId: me.id,
          start,
          durationMinutes: input.durationMinutes,
          subject: input.subject,
          now,
        });
    const booking = unwrap(outcome);
    return c.json({ booking: { ...booking, tutorName: tutor.name, studentIds: [me.id] } }, 201);
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
  .post("/bookings/:id/cancel", requireRole(), idempotency, validate("param", IdParam), validate("json", CancelBookingSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(getDb(c.env), id);
    if (!tutorId) throw notFound("That booking");
    const booking = unwrap(await calendarOf(c.env, tutorId).cancel({ tutorId, sessionId: id, actor: { id: me.id, role: me.role }, reason: c.req.valid("json").reason, now: Date.now() }));
    return c.json({ booking }, 200);
  })
  .post("/bookings/:id/reschedule", requireRole("student", "tutor"), idempotency, validate("param", IdParam), validate("json", RescheduleBookingSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = await tutorOfBooking(getDb(c.env), id);
    if (!tutorId) throw notFound("That booking");
    const start = Date.parse(c.req.valid("json").start);
    const booking = unwrap(await calendarOf(c.env, tutorId).reschedule({ tutorId, sessionId: id, actor: { id: me.id, role: me.role }, start, now: Date.now() }));
    return c.json({ booking }, 200);
  });
