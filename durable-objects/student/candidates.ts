import { sql } from "drizzle-orm";
import { maxHourlyRateCents, oneOnOneCost } from "../../domain/credits/pricing";
import type { Duration } from "../../domain/schemas/availability";
import { getDb } from "../../platform/db/client";
import { LISTED_TUTOR_SQL } from "../../platform/db/listing";

export type Candidate = { tutorId: string; name: string; rating: number | null; hourlyRateCents: number };

export const MAX_OFFERS = 3;

/**
 * Up to three replacement tutors for a cancelled session: listed, teaching the subject, ranked unflagged first,
 * then by rating and reliability — and actually free at that exact time, as their own calendars say. Only tutors whose
 * own price for that length is within `maxCredits` (what the cancelled booking holds): the offer promises no extra
 * cost, and the replacement is booked at its tutor's own price (a cheaper one gives the difference back).
 */
export async function findReplacements(env: Env, a: { subject: string; excludeTutorId: string; start: number; durationMinutes: Duration; maxCredits: number; now: number }): Promise<Candidate[]> {
  const maxRate = maxHourlyRateCents(a.maxCredits, a.durationMinutes);
  if (maxRate <= 0) return [];
  const rows = await getDb(env).all<{ id: string; name: string; rating_sum: number; rating_count: number; hourly_rate_cents: number }>(sql`
    SELECT p.user_id AS id, u.name, p.rating_sum, p.rating_count, p.hourly_rate_cents
    FROM tutor_profiles p
    JOIN users u ON u.id = p.user_id
    JOIN tutor_subjects s ON s.tutor_id = p.user_id AND s.subject = ${a.subject}
    WHERE ${sql.raw(LISTED_TUTOR_SQL)} AND p.user_id != ${a.excludeTutorId} AND p.hourly_rate_cents <= ${maxRate}
    ORDER BY p.flagged ASC, (CASE WHEN p.rating_count > 0 THEN p.rating_sum * 1.0 / p.rating_count ELSE 0 END) DESC, p.reliability DESC, p.user_id
    LIMIT 25`);
  const found: Candidate[] = [];
  for (const r of rows) {
    if (found.length >= MAX_OFFERS) break;
    if (r.hourly_rate_cents <= 0 || oneOnOneCost(r.hourly_rate_cents, a.durationMinutes) > a.maxCredits) continue;
    const calendar = env.TUTOR_CALENDAR.get(env.TUTOR_CALENDAR.idFromName(r.id));
    if (await calendar.canBook({ tutorId: r.id, start: a.start, durationMinutes: a.durationMinutes, now: a.now })) {
      found.push({ tutorId: r.id, name: r.name, rating: r.rating_count ? Math.round((r.rating_sum / r.rating_count) * 10) / 10 : null, hourlyRateCents: r.hourly_rate_cents });
    }
  }
  return found;
}
