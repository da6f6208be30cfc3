import { REBOOK_POLICY, type MyTutor, rebookChoice, rebookWindow, sameTimeNextWeek } from "../../../domain/rebook";
import { seatPrice } from "../../../domain/credits/pricing";
import { DurationSchema } from "../../../domain/schemas/availability";
import { getDb } from "../../../platform/db/client";
import { newApp } from "../../app";
import { calendarOf } from "../../lib/stubs";
import { currentUser, requireRole } from "../../middleware/auth";
import { type MetTutor, tutorsMet, upcomingWith } from "./repo";

const iso = (ms: number) => new Date(ms).toISOString();
const MINUTE = 60_000;

/** One tutor's rebooking choices, from their calendar (the source of truth for free time and the price). */
async function choicesFor(env: Env, met: MetTutor, upcoming: MyTutor["upcoming"], now: number): Promise<MyTutor> {
  // A length no longer offered (an old booking) is offered at the usual hour.
  const durationMinutes = DurationSchema.catch(60).parse(met.last.durationMinutes);
  const target = sameTimeNextWeek(Date.parse(met.last.start), met.tutor.timezone, now);
  const window = rebookWindow(target, now);
  const answer = await calendarOf(env, met.tutor.id).slots({ tutorId: met.tutor.id, from: window.from, to: window.to, durationMinutes, now });
  const { free, alternatives } = rebookChoice(answer.slots, target);
  const soon = now + REBOOK_POLICY.nextFreeDays * 86_400_000;
  return {
    tutor: met.tutor,
    last: { ...met.last, durationMinutes },
    completed: met.completed,
    upcoming,
    price: answer.price ?? { creditMinutes: seatPrice({ kind: "one_on_one", hourlyRateCents: met.hourlyRateCents, durationMinutes }) },
    nextWeek: { start: iso(target), end: iso(target + durationMinutes * MINUTE), free, alternatives },
    nextFree: answer.slots.filter((s) => Date.parse(s.start) < soon).slice(0, REBOOK_POLICY.nextFreeCount),
  };
}

/**
 * "My tutors": the tutors a student has met, with the same time next week (free or not, and the nearest free slots
 * when not) and their soonest free slots. Booking one goes through `POST /api/bookings` like any booking.
 */
export const rebookRoutes = newApp().get("/me/tutors", requireRole("student"), async (c) => {
  const me = currentUser(c);
  const now = Date.now();
  const db = getDb(c.env);
  const met = await tutorsMet(db, me.id, REBOOK_POLICY.maxTutors);
  const upcoming = await upcomingWith(db, me.id, met.map((m) => m.tutor.id), iso(now));
  const tutors = await Promise.all(met.map((m) => choicesFor(c.env, m, upcoming.get(m.tutor.id) ?? null, now)));
  return c.json({ tutors, timezone: me.timezone }, 200);
});
