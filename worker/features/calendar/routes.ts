import { z } from "zod";
import { beforeTime, formatShortDate, formatTimeRange, zoneNameFor } from "../../../domain/format/time";
import { subjectLabel } from "../../../domain/format/subject";
import type { Booking } from "../../../domain/schemas/booking";
import { type Db, getDb } from "../../../platform/db/client";
import { ApiError } from "../../lib/errors";
import { namesOf } from "../video/repo";
import { AvailabilityUpdateSchema } from "../../../domain/schemas/availability";
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
import { followCalendarZone } from "../tutors/zone";
import { bookingIdFor } from "../../../domain/bookingIds";
import { seatPrice } from "../../../domain/credits/pricing";

const IdParam = z.object({ id: z.string().min(1).max(64) });

/**
 * The 409 for a day off or override over booked sessions: each session named (date and time in the tutor's zone,
 * subject, the students), one issue per session (`sessions.<booking id>`) and all of them in the message. Each
 * issue is a line of the Availability page, so it is written in the tutor's locale: its punctuation, its names of
 * zones ("hora estándar central", as notices name them), its way of listing the students.
 */
async function sessionsInTheWay(db: Db, sessions: Booking[], zone: string, locale: string): Promise<ApiError> {
  const names = await namesOf(db, [...new Set(sessions.flatMap((b) => b.studentIds))]);
  const list = new Intl.ListFormat(locale, { type: "unit" });
  const issues = sessions.map((b) => {
    const who = list.format(b.studentIds.map((id) => names.get(id) ?? "").filter(Boolean));
    const when = `${formatShortDate(b.start, zone, locale)}${beforeTime(locale)}${formatTimeRange(b.start, b.end, zone, locale)} (${zoneNameFor(zone, b.start, locale)})`;
    return { path: `sessions.${b.id}`, message: [when, subjectLabel(b.subject, locale), who].filter(Boolean).join(" · ") };
  });
  const count = sessions.length === 1 ? "a booked session" : `${sessions.length} booked sessions`;
  const message = `This would cover ${count}: ${issues.map((i) => i.message).join("; ")}. Keep your hours, or confirm to cancel ${sessions.length === 1 ? "it" : "them"} (the students are offered other tutors at the same time, or their credits back).`;
  return new ApiError(409, "sessions_in_the_way", message, issues);
}


export const calendarRoutes = newApp()
  .get("/tutors/me/availability", requireRole("tutor"), async (c) => {
    const me = currentUser(c);
    return c.json({ availability: await calendarOf(c.env, me.id).availability() }, 200);
  })
  .put("/tutors/me/availability", requireRole("tutor"), validate("json", AvailabilityUpdateSchema), async (c) => {
    const me = currentUser(c);
    const { confirm, reason, ...rules } = c.req.valid("json");
    const outcome = await calendarOf(c.env, me.id).setAvailability(me.id, rules, { confirm: confirm ?? false, reason, now: Date.now() });
    if (!outcome.ok && "sessions" in outcome) throw await sessionsInTheWay(getDb(c.env), outcome.sessions, rules.timezone, me.locale);
    const { availability, cancelled } = unwrap(outcome);
    // The rules' zone is the tutor's one zone: the account and public profile follow it (tutors/zone.ts).
    const user = await followCalendarZone(c, me.id, availability.timezone);
    return c.json({ availability, cancelled, user }, 200);
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
