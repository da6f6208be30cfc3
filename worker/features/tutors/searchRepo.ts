import { z } from "zod";
import type { Interval } from "../../../domain/time";
import type { ProfileRow } from "./repo";
import { LISTED_TUTOR_SQL } from "../../../platform/db/listing";
import { DAY_MINUTES, type SearchQuery } from "../../../domain/search";
import { normalizeSearch, subjectTerms } from "../../../domain/searchTerms";

/** A LIKE pattern's literal text: `%`, `_` and the escape character itself are matched as they are. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export type SearchRow = ProfileRow & { overlap: number; subjects: string[]; windows: Interval[] };

/** The JSON arrays the query builds with `json_group_array`: subject names, and weekly windows as minute pairs. */
const Subjects = z.array(z.string());
const Windows = z.array(z.tuple([z.number(), z.number()]));
const SubjectsJson = z.string().transform((s) => Subjects.parse(JSON.parse(s)));
const WindowsJson = z.string().transform((s) => Windows.parse(JSON.parse(s)));

type RawRow = Omit<SearchRow, "subjects" | "windows" | "offersTrials"> & { subjects: string; windows: string; offersTrials: number };

/**
 * Listed tutors (approved, confirmed address, active) matching subject and rate, ranked: unflagged first, then by minutes of weekly overlap with
 * the preferred windows (when given), then rating, then reliability — with their subjects and weekly windows,
 * in ONE round trip. Raw SQL on purpose: it is the hot path of search over the `tutor_weekly_windows` range
 * index (windows are split at UTC midnight, so `start > pref.s - 1 day` bounds the scan).
 */
export async function searchTutors(d1: D1Database, q: SearchQuery, preferred: Interval[] | null): Promise<SearchRow[]> {
  if (preferred && !preferred.length) return [];
  const binds: unknown[] = [];
  const filterBinds: unknown[] = [];
  const filters = [`EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id AND ${LISTED_TUTOR_SQL})`];
  // Subjects forgivingly (domain/searchTerms.ts): the text or an alias, as the subject or the start of it or of a word.
  const subjectFilter = (terms: string[]) => {
    const one = "(ts.subject = ? OR ts.subject LIKE ? ESCAPE '\\' OR ts.subject LIKE ? ESCAPE '\\')";
    for (const t of terms) filterBinds.push(t, `${likeEscape(t)}%`, `% ${likeEscape(t)}%`);
    return `EXISTS (SELECT 1 FROM tutor_subjects ts WHERE ts.tutor_id = p.user_id AND (${terms.map(() => one).join(" OR ")}))`;
  };
  const subject = q.subject ? subjectTerms(q.subject) : [];
  if (subject.length) filters.push(subjectFilter(subject));
  const text = q.q ? subjectTerms(q.q) : [];
  if (text.length) {
    // …or the tutor's name (LIKE ignores ASCII case).
    filters.push(`(${subjectFilter(text)} OR EXISTS (SELECT 1 FROM users un WHERE un.id = p.user_id AND un.name LIKE ? ESCAPE '\\'))`);
    filterBinds.push(`%${likeEscape(normalizeSearch(q.q!))}%`);
  }
  if (q.maxRateCents !== undefined) filters.push("p.hourly_rate_cents <= ?");
  const rating = "(CASE WHEN p.rating_count > 0 THEN p.rating_sum * 1.0 / p.rating_count ELSE 0 END)";
  // The chosen order first; the best-match order breaks ties (and is the whole order for "best" and "soonest").
  const first = q.sort === "price" ? "p.hourly_rate_cents ASC, " : q.sort === "rating" ? `${rating} DESC, p.rating_count DESC, ` : "";

  let ranked: string;
  if (preferred) {
    for (const w of preferred) binds.push(w.start, w.end);
    ranked = `pref(s, e) AS (VALUES ${preferred.map(() => "(?, ?)").join(", ")}),
      hits AS (
        SELECT w.tutor_id AS id, SUM(MIN(w.end_minute, pref.e) - MAX(w.start_minute, pref.s)) AS overlap
        FROM pref JOIN tutor_weekly_windows w
          ON w.start_minute > pref.s - ${DAY_MINUTES} AND w.start_minute < pref.e AND w.end_minute > pref.s
        GROUP BY w.tutor_id
      ),
      ranked AS (
        SELECT hits.id AS id, hits.overlap AS overlap,
          row_number() OVER (ORDER BY ${first}p.flagged ASC, hits.overlap DESC, ${rating} DESC, p.reliability DESC, hits.id) AS rn
        FROM hits JOIN tutor_profiles p ON p.user_id = hits.id
        WHERE ${filters.join(" AND ")}
        ORDER BY rn LIMIT ?
      )`;
  } else {
    ranked = `ranked AS (
        SELECT p.user_id AS id, 0 AS overlap,
          row_number() OVER (ORDER BY ${first}p.flagged ASC, ${rating} DESC, p.reliability DESC, p.rating_count DESC, p.user_id) AS rn
        FROM tutor_profiles p
        WHERE ${filters.join(" AND ")}
        ORDER BY rn LIMIT ?
      )`;
  }
  binds.push(...filterBinds);
  if (q.maxRateCents !== undefined) binds.push(q.maxRateCents);
  binds.push(q.limit);
  const rows = await d1
    .prepare(
      `WITH ${ranked}
       SELECT r.id, r.overlap, u.name, p.bio, p.hourly_rate_cents AS hourlyRateCents, p.timezone, p.approved_at AS approvedAt, u.email_verified_at AS emailVerifiedAt, u.status AS status,
         p.rating_sum AS ratingSum, p.rating_count AS ratingCount, p.offers_trials AS offersTrials, p.photo_version AS photoVersion, p.intro_video_url AS introVideoUrl,
         (SELECT json_group_array(subject) FROM (SELECT subject FROM tutor_subjects WHERE tutor_id = r.id ORDER BY subject)) AS subjects,
         (SELECT json_group_array(json_array(start_minute, end_minute)) FROM tutor_weekly_windows WHERE tutor_id = r.id) AS windows
       FROM ranked r JOIN users u ON u.id = r.id JOIN tutor_profiles p ON p.user_id = r.id
       ORDER BY r.rn`,
    )
    .bind(...binds)
    .all<RawRow>();
  return rows.results.map((r) => ({
    ...r,
    offersTrials: r.offersTrials === 1,
    subjects: SubjectsJson.parse(r.subjects),
    windows: WindowsJson.parse(r.windows).map(([start, end]) => ({ start, end })),
  }));
}
