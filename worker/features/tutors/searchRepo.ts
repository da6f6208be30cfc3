import { z } from "zod";
import type { Interval } from "../../../domain/time";
import type { ProfileRow } from "./repo";
import { LISTED_TUTOR_SQL } from "../../../platform/db/listing";
import { DAY_MINUTES, type PreferredPiece, type SearchQuery, type SearchWeek } from "../../../domain/search";
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

/** Zone names as the runtime lists them (letters, digits, `/ _ + -`): only these are written into the SQL. */
const ZONE_NAME = /^[A-Za-z0-9/_+-]+$/;

/** A whole number written into the SQL (never text from a request). */
function sqlInt(n: number): string {
  if (!Number.isSafeInteger(n)) throw new Error(`Not a whole number: ${n}`);
  return String(n);
}

/**
 * The student's searched days as a `pref(sign, g, s, e)` table of minutes of the week: group 0 counts for every tutor;
 * a tutor in a zone of `week.groups[g - 1]` also counts group g's rows, which add the pieces that differ for that zone
 * (sign 1, or the real minutes a piece of a fall-back's repeated hour stands for: PreferredPiece) and take away the ones
 * they replace (sign −1). `moved` (null in most weeks) lists the tutors of those zones with their group, the zone's
 * older names and other spellings included (a tutor saved before zones were stored canonically). Written as literals:
 * all are numbers and zone names we computed, and D1 takes at most 100 bound parameters.
 */
function preferredSql(week: SearchWeek): { values: string; moved: string | null } {
  const key = (p: PreferredPiece) => `${p.start}-${p.end}-${p.realMinutes ?? 1}`;
  const rows = week.preferred.map((p) => `(1, 0, ${sqlInt(p.start)}, ${sqlInt(p.end)})`);
  const groups = week.groups.map((g) => ({ zones: g.zones.filter((z) => ZONE_NAME.test(z)), pieces: g.pieces })).filter((g) => g.zones.length);
  groups.forEach((g, i) => {
    // Pieces the group shares with group 0 cancel out; what is left is where the zone's offset differs.
    const shared = new Map<string, number>();
    for (const p of week.preferred) shared.set(key(p), (shared.get(key(p)) ?? 0) + 1);
    const added = g.pieces.filter((p) => {
      const n = shared.get(key(p)) ?? 0;
      if (n) shared.set(key(p), n - 1);
      return !n;
    });
    const removed = week.preferred.filter((p) => {
      const n = shared.get(key(p)) ?? 0;
      if (n) shared.set(key(p), n - 1);
      return n > 0;
    });
    for (const p of added) rows.push(`(${sqlInt(p.realMinutes ?? 1)}, ${i + 1}, ${sqlInt(p.start)}, ${sqlInt(p.end)})`);
    for (const p of removed) rows.push(`(-1, ${i + 1}, ${sqlInt(p.start)}, ${sqlInt(p.end)})`);
  });
  if (!groups.length) return { values: rows.join(", "), moved: null };
  const list = (zones: string[]) => zones.map((z) => `'${z}'`).join(", ");
  const zone = "timezone COLLATE NOCASE";
  const groupOf = `CASE ${groups.map((g, i) => `WHEN ${zone} IN (${list(g.zones)}) THEN ${i + 1}`).join(" ")} ELSE 0 END`;
  return { values: rows.join(", "), moved: `SELECT user_id AS id, ${groupOf} AS g FROM tutor_profiles WHERE ${zone} IN (${list(groups.flatMap((g) => g.zones))})` };
}

/**
 * Listed tutors (approved, confirmed address, active) matching subject and rate, ranked: unflagged first, then by
 * minutes of overlap with the student's searched days (`week`, when given: each day at its own offsets, the student's
 * and the tutor's), then rating, then reliability — with their subjects and weekly windows, in ONE round trip. Raw SQL
 * on purpose: it is the hot path of search over the `tutor_weekly_windows` range index (windows are split at UTC
 * midnight, so `start > pref.s - 1 day` bounds the scan). Only in the weeks some zone changes its clocks do the
 * windows met by the few rows that differ there look up their tutor's group (preferredSql).
 */
export async function searchTutors(d1: D1Database, q: SearchQuery, week: SearchWeek | null): Promise<SearchRow[]> {
  if (week && !week.preferred.length) return [];
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
  if (week) {
    const { values, moved } = preferredSql(week);
    // In the weeks some zone changes its clocks, the tutors there (looked up once) count their group's rows too.
    ranked = `pref(sign, g, s, e) AS (VALUES ${values}),
      ${moved ? `moved AS MATERIALIZED (${moved}),` : ""}
      hits AS (
        SELECT w.tutor_id AS id, SUM(pref.sign * (MIN(w.end_minute, pref.e) - MAX(w.start_minute, pref.s))) AS overlap
        FROM pref JOIN tutor_weekly_windows w
          ON w.start_minute > pref.s - ${DAY_MINUTES} AND w.start_minute < pref.e AND w.end_minute > pref.s
        WHERE ${moved ? "pref.g = 0 OR pref.g = (SELECT g FROM moved WHERE moved.id = w.tutor_id)" : "pref.g = 0"}
        GROUP BY w.tutor_id
        HAVING overlap > 0
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
