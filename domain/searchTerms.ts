/**
 * How a free-text tutor search is read, shared by the API and the search page (no zod: this sits in the
 * first-load bundle). A query matches a subject when it is the subject, a prefix of it or of one of its words,
 * a common name for it ("math", "SAT"), or the name the Spanish or Arabic pages show for it ("matemáticas",
 * "الرياضيات"); it also matches tutors by name.
 */
import { WORDS } from "./format/words";

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

/**
 * A name as compared with the names below: normalised, accents and other marks dropped, so "Matemáticas",
 * "matematicas" and "MATEMÁTICAS" are one name (and an Arabic name with or without its hamza and vowel marks).
 */
export const foldName = (s: string) => normalizeSearch(s).normalize("NFD").replace(/\p{M}/gu, "").normalize("NFC");

/** The Arabic definite article, which people often leave off when typing a subject ("رياضيات" for "الرياضيات"). */
const ARABIC_ARTICLE = "ال";

/**
 * The names the pages show for the common subjects in each language (domain/format/words.ts, the same words the
 * subject chips use), folded, each leading to the subject as stored in English: "matematicas" → "mathematics".
 */
export const SUBJECT_NAMES: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const words of Object.values(WORDS))
    for (const [subject, name] of Object.entries(words.subjects)) {
      const folded = foldName(name);
      names.set(folded, subject);
      if (folded.startsWith(ARABIC_ARTICLE) && folded.length > ARABIC_ARTICLE.length + 2) names.set(folded.slice(ARABIC_ARTICLE.length), subject);
    }
  return names;
})();

/**
 * A subject as a tutor typed it, with a translated name of a common subject stored as that subject ("matemáticas" →
 * "mathematics"), so it is found, labelled and grouped with the others; any other subject as given.
 */
export const canonicalSubject = (subject: string) => SUBJECT_NAMES.get(foldName(subject)) ?? subject;

/** Every name a query may be (the start of): the common names, and the translated names, folded. */
const ALIASES: readonly (readonly [string, readonly string[]])[] = (() => {
  const all = new Map<string, Set<string>>();
  const add = (alias: string, subjects: readonly string[]) => {
    const set = all.get(alias) ?? new Set<string>();
    subjects.forEach((s) => set.add(s));
    all.set(alias, set);
  };
  for (const [alias, subjects] of Object.entries(SUBJECT_ALIASES)) add(foldName(alias), subjects);
  for (const [name, subject] of SUBJECT_NAMES) add(name, [subject]);
  return [...all].map(([alias, subjects]) => [alias, [...subjects]] as const);
})();

/**
 * The subject terms a query stands for: itself and the subjects it is a common or translated name (or the start of
 * one) for, accents aside ("Matemáticas", "matemat" → "mathematics").
 */
export function subjectTerms(q: string): string[] {
  const text = normalizeSearch(q);
  if (!text) return [];
  const folded = foldName(text);
  // A start of a name counts from two letters, the Arabic article aside ("ال" alone starts nearly every Arabic name).
  const startsName = (folded.startsWith(ARABIC_ARTICLE) ? folded.slice(ARABIC_ARTICLE.length) : folded).length >= 2;
  const terms = new Set([text]);
  for (const [alias, subjects] of ALIASES) {
    if (alias === folded || (startsName && alias.startsWith(folded))) subjects.forEach((s) => terms.add(s));
    if (terms.size >= MAX_TERMS) break;
  }
  return [...terms].slice(0, MAX_TERMS);
}

/**
 * The most terms one query stands for: each is three bound values in search's SQL, and D1 binds at most 100 to a
 * statement (the text and the subject filter each bring their terms, preferred hours two values a window).
 */
const MAX_TERMS = 8;

/** Whether a stored subject matches a term: equal, or the term starts the subject or one of its words. */
export const subjectMatches = (subject: string, term: string) => subject === term || subject.startsWith(term) || subject.includes(` ${term}`);

/** What can be wrong with a search text, as a code the pages put in words in the reader's language. */
export type SearchTextProblem = "tooLong";

/** What is wrong with a search text (longer than SEARCH_TEXT_MAX once trimmed); undefined when it is fine. */
export function searchTextProblem(q: string): SearchTextProblem | undefined {
  if (q.trim().length > SEARCH_TEXT_MAX) return "tooLong";
  return undefined;
}
