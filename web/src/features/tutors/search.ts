import { CREDIT_MINUTE_CENTS } from "../../../../domain/credits/pricing";
import { SEARCH_SORTS, SEARCH_TEXT_MAX, type SearchSort, searchTextProblem } from "../../../../domain/searchTerms";
import { ApiFailure, type FieldIssue, api, call, messageOf } from "../../lib/api";
import { t } from "../../i18n";

/** Search filters as the URL and the API carry them (all strings; empty means "any"). */
export type SearchFilters = { q?: string; subject?: string; maxRateCents?: string; tz?: string; from?: string; to?: string; sort?: SearchSort };

const fetchTutors = async (f: SearchFilters) => {
  const query: Record<string, string> = { limit: "30" };
  if (f.q?.trim()) query.q = f.q.trim();
  if (f.subject?.trim()) query.subject = f.subject.trim();
  if (f.maxRateCents) query.maxRateCents = f.maxRateCents;
  if (f.sort && f.sort !== "best") query.sort = f.sort;
  if (f.from && f.to && f.tz) Object.assign(query, { tz: f.tz, from: f.from, to: f.to });
  return (await call(api.tutors.$get({ query }))).tutors;
};
export type TutorResult = Awaited<ReturnType<typeof fetchTutors>>[number];

/**
 * Approved tutors matching the filters, as a value: the list, or what went wrong (field issues for a filter the
 * server refused, a sentence otherwise). A failed search is an answer to show, never a thrown error, so the page
 * stays usable and recovers as soon as the filter is fixed.
 */
export async function searchTutors(f: SearchFilters): Promise<{ ok: true; tutors: TutorResult[] } | { ok: false; message: string; issues: FieldIssue[] }> {
  try {
    return { ok: true, tutors: await fetchTutors(f) };
  } catch (e) {
    return { ok: false, message: messageOf(e), issues: e instanceof ApiFailure ? e.issues : [] };
  }
}

export const isSort = (s: unknown): s is SearchSort => SEARCH_SORTS.includes(s as SearchSort);

/** The most credit-minutes an hour a student may filter by: a $10,000 hourly rate (the server's bound). */
const MAX_CREDIT_MINUTES_PER_HOUR = (10_000 * 100) / CREDIT_MINUTE_CENTS;

/** The filters' problems in words, by field, before anything is asked of the server. `max` is credit-minutes per hour. */
export function filterProblems(input: { q: string; max: string }): { q?: string; max?: string } {
  const out: { q?: string; max?: string } = {};
  if (searchTextProblem(input.q) === "tooLong") out.q = t("core.search.textTooLong", { max: SEARCH_TEXT_MAX });
  const max = input.max.trim();
  if (max) {
    if (!/^\d+$/.test(max)) out.max = t("core.search.maxWhole");
    else if (Number(max) > MAX_CREDIT_MINUTES_PER_HOUR) out.max = t("core.search.maxAtMost", { max: MAX_CREDIT_MINUTES_PER_HOUR });
  }
  return out;
}

/**
 * The rate filter the server takes for "at most N credit-minutes an hour": a tutor's hour costs at most N exactly
 * when their rate is at most N × CREDIT_MINUTE_CENTS (pricing.ts rounds the cost up). Empty or invalid: any price.
 */
export function maxRateCentsOf(max: string): string | undefined {
  const m = max.trim();
  return /^\d+$/.test(m) && Number(m) > 0 ? String(Number(m) * CREDIT_MINUTE_CENTS) : undefined;
}
