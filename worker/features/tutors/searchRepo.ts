import type { Interval } from "../../../domain/time";
import { DAY_MINUTES, type SearchQuery } from "./search";

export type Candidate = { id: string; overlap: number };

/**
 * Approved tutors matching subject and rate, ranked: unflagged first, then by minutes of weekly overlap with
 * the preferred windows (when given), then rating, then reliability. Raw SQL on purpose: it is the hot path
 * of search over the `tutor_weekly_windows` range index.
 */
export async function rankTutors(d1: D1Database, q: SearchQuery, preferred: Interval[] | null): Promise<Candidate[]> {
  const binds: unknown[] = [];
  const filters: string[] = ["p.approved_at IS NOT NULL"];
  let subjectJoin = "";
  if (q.subject) {
    subjectJoin = "JOIN tutor_subjects ts ON ts.tutor_id = p.user_id AND ts.subject = ?";
  }
  if (q.maxRateCents !== undefined) filters.push("p.hourly_rate_cents <= ?");
  const rating = "(CASE WHEN p.rating_count > 0 THEN p.rating_sum * 1.0 / p.rating_count ELSE 0 END)";

  if (!preferred) {
    if (q.subject) binds.push(q.subject);
    if (q.maxRateCents !== undefined) binds.push(q.maxRateCents);
    binds.push(q.limit);
    const rows = await d1
      .prepare(
        `SELECT p.user_id AS id, 0 AS overlap FROM tutor_profiles p ${subjectJoin}
         WHERE ${filters.join(" AND ")}
         ORDER BY p.flagged ASC, ${rating} DESC, p.reliability DESC, p.rating_count DESC, p.user_id LIMIT ?`,
      )
      .bind(...binds)
      .all<Candidate>();
    return rows.results;
  }
  if (!preferred.length) return [];
  const values = preferred.map(() => "(?, ?)").join(", ");
  for (const w of preferred) binds.push(w.start, w.end);
  if (q.subject) binds.push(q.subject);
  if (q.maxRateCents !== undefined) binds.push(q.maxRateCents);
  binds.push(q.limit);
  const rows = await d1
    .prepare(
      `WITH pref(s, e) AS (VALUES ${values}),
       hits AS (
         SELECT w.tutor_id AS id, SUM(MIN(w.end_minute, pref.e) - MAX(w.start_minute, pref.s)) AS overlap
         FROM pref JOIN tutor_weekly_windows w
           ON w.start_minute > pref.s - ${DAY_MINUTES} AND w.start_minute < pref.e AND w.end_minute > pref.s
         GROUP BY w.tutor_id
       )
       SELECT hits.id AS id, hits.overlap AS overlap FROM hits
       JOIN tutor_profiles p ON p.user_id = hits.id ${subjectJoin}
       WHERE ${filters.join(" AND ")}
       ORDER BY p.flagged ASC, hits.overlap DESC, ${rating} DESC, p.reliability DESC, hits.id LIMIT ?`,
    )
    .bind(...binds)
    .all<Candidate>();
  return rows.results;
}

export async function windowsOf(d1: D1Database, ids: string[]): Promise<Map<string, Interval[]>> {
  const out = new Map<string, Interval[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await d1
    .prepare(`SELECT tutor_id, start_minute, end_minute FROM tutor_weekly_windows WHERE tutor_id IN (${ids.map(() => "?").join(",")})`)
    .bind(...ids)
    .all<{ tutor_id: string; start_minute: number; end_minute: number }>();
  for (const r of rows.results) out.get(r.tutor_id)?.push({ start: r.start_minute, end: r.end_minute });
  return out;
}
