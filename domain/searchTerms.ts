/**
 * How a free-text tutor search is read, shared by the API and the search page (no zod: this sits in the
 * first-load bundle). A query matches a subject when it is the subject, a prefix of it or of one of its words,
 * or a common name for it ("math", "SAT"); it also matches tutors by name.
 */

/** The longest search text accepted (the input says so before asking the server). */
export const SEARCH_TEXT_MAX = 60;

/** The sort orders of tutor search: best match (overlap, rating, reliability), price, rating, soonest free hour. */
export const SEARCH_SORTS = ["best", "price", "rating", "soonest"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

/** Common names people type for the subjects tutors list. */
export const SUBJECT_ALIASES: Readonly<Record<string, readonly string[]>> = {
  math: ["mathematics"],
  maths: ["mathematics"],
  algebra: ["mathematics"],
  calculus: ["mathematics"],
  geometry: ["mathematics"],
  statistics: ["mathematics"],
  sat: ["sat prep"],
  act: ["act prep"],
  ielts: ["ielts prep"],
  toefl: ["toefl prep"],
  gre: ["gre prep"],
  gmat: ["gmat prep"],
  cs: ["computer science"],
  "comp sci": ["computer science"],
  coding: ["computer science", "python"],
  programming: ["computer science", "python"],
  esl: ["english"],
  chem: ["chemistry"],
  bio: ["biology"],
  phys: ["physics"],
  español: ["spanish"],
  espanol: ["spanish"],
  français: ["french"],
  francais: ["french"],
  deutsch: ["german"],
  nihongo: ["japanese"],
};

/** Lower case, single spaces, trimmed: how subjects are stored (domain/schemas/tutor.ts). */
export const normalizeSearch = (q: string) => q.trim().toLowerCase().replace(/\s+/g, " ");

/** The subject terms a query stands for: itself and the subjects it is a common name (or the start of one) for. */
export function subjectTerms(q: string): string[] {
  const text = normalizeSearch(q);
  if (!text) return [];
  const terms = new Set([text]);
  for (const [alias, subjects] of Object.entries(SUBJECT_ALIASES)) if (alias === text || (text.length >= 2 && alias.startsWith(text))) subjects.forEach((s) => terms.add(s));
  return [...terms];
}

/** Whether a stored subject matches a term: equal, or the term starts the subject or one of its words. */
export const subjectMatches = (subject: string, term: string) => subject === term || subject.startsWith(term) || subject.includes(` ${term}`);

/** What is wrong with a search text, in words for the person typing it; undefined when it is fine. */
export function searchTextProblem(q: string): string | undefined {
  if (q.trim().length > SEARCH_TEXT_MAX) return `Search for at most ${SEARCH_TEXT_MAX} characters (a subject or a tutor's name).`;
  return undefined;
}
