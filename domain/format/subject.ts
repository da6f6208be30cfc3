import { wordsFor } from "./words";

/** Subjects are stored lower-case (domain/schemas/tutor.ts); this is how they are shown. */
const UPPER = new Set(["sat", "act", "ielts", "toefl", "gcse", "ap", "hsc", "jlpt", "delf", "gre", "gmat", "ib"]);

/**
 * "sat prep" → "SAT prep", "computer science" → "Computer science", "mathematics" → "Mathematics"; in another
 * language the subject's name there when it is one of the common ones ("mathematics" → "Matemáticas").
 */
export const subjectLabel = (s: string, locale?: string) =>
  wordsFor(locale).subjects[s] ??
  s
    .split(" ")
    .map((w, i) => (UPPER.has(w) ? w.toUpperCase() : i === 0 ? w.charAt(0).toUpperCase() + w.slice(1) : w))
    .join(" ");
