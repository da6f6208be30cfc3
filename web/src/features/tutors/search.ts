import { api, call } from "../../lib/api";

/** Search filters as the URL and the API carry them (all strings; empty means "any"). */
export type SearchFilters = { subject?: string; maxRateCents?: string; tz?: string; from?: string; to?: string };

/** Approved tutors matching the filters, best overlap with the student's preferred hours first. */
export async function searchTutors(f: SearchFilters) {
  const query: Record<string, string> = { limit: "30" };
  if (f.subject?.trim()) query.subject = f.subject.trim();
  if (f.maxRateCents) query.maxRateCents = f.maxRateCents;
  if (f.from && f.to && f.tz) Object.assign(query, { tz: f.tz, from: f.from, to: f.to });
  return (await call(api.tutors.$get({ query }))).tutors;
}
export type TutorResult = Awaited<ReturnType<typeof searchTutors>>[number];
