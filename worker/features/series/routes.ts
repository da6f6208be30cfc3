import { z } from "zod";
import { tutorOfBookingId } from "../../../domain/bookingIds";
import { CancelSeriesBodySchema, MoveSeriesBodySchema } from "../../../domain/schemas/series";
import { newApp } from "../../app";
import { notFound } from "../../lib/errors";
import { calendarOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { unwrap, unwrapReplay } from "../bookings/outcome";
import { requestKeyOf } from "../bookings/requestKey";
import { seriesForViewer } from "./shape";

const IdParam = z.object({ id: z.string().min(1).max(120) });

/** The tutor whose calendar holds a series: its id names them (no lookup); 404 for an id that names none. */
function tutorOfSeries(id: string): string {
  const tutorId = tutorOfBookingId(id);
  if (!tutorId) throw notFound("That series");
  return tutorId;
}

/**
 * Weekly lessons: read a series, cancel or move the rest of it. Booking one is `POST /api/bookings` with `repeat`; a single
 * occurrence is cancelled or moved like any booking. Everything goes to the tutor's calendar object, no D1.
 */
export const seriesRoutes = newApp()
  .get("/series/:id", requireRole(), validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const tutorId = tutorOfSeries(id);
    const series = unwrap(await calendarOf(c.env, tutorId).getSeries({ tutorId, seriesId: id, actor: { id: me.id, role: me.role } }));
    return c.json({ series: seriesForViewer(series, me) }, 200);
  })
  .post("/series/:id/cancel", requireRole(), validate("param", IdParam), validate("json", CancelSeriesBodySchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const tutorId = tutorOfSeries(id);
    const outcome = await calendarOf(c.env, tutorId).cancelSeries({
      tutorId,
      seriesId: id,
      actor: { id: me.id, role: me.role },
      ...(input.from ? { from: Date.parse(input.from) } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      now: Date.now(),
    });
    return c.json({ series: seriesForViewer(unwrap(outcome), me) }, 200);
  })
  .post("/series/:id/move", requireRole(), validate("param", IdParam), validate("json", MoveSeriesBodySchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    const input = c.req.valid("json");
    const tutorId = tutorOfSeries(id);
    const outcome = await calendarOf(c.env, tutorId).moveSeries({
      tutorId,
      seriesId: id,
      actor: { id: me.id, role: me.role },
      from: Date.parse(input.from),
      start: Date.parse(input.start),
      request: await requestKeyOf(c, me, input),
      now: Date.now(),
    });
    const moved = unwrapReplay(c, outcome);
    return c.json({ series: seriesForViewer(moved.series, me), kept: moved.kept }, 200);
  });
