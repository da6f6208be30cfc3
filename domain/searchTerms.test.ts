import { describe, expect, it } from "vitest";
import { SUBJECT_ALIASES, SUBJECT_NAMES, canonicalSubject, searchTextProblem, subjectMatches, subjectTerms } from "./searchTerms";
import { WORDS } from "./format/words";

describe("subjectTerms", () => {
  it.each([
    ["Math", ["math", "mathematics"]],
    ["  SAT ", ["sat", "sat prep"]],
    ["prog", ["prog", "computer science", "python"]],
    ["physics", ["physics"]],
  ])("reads %j as %j", (q, terms) => expect(subjectTerms(q)).toEqual(terms));

  it.each([
    ["matemáticas", "mathematics"],
    ["Matemáticas", "mathematics"],
    ["MATEMATICAS", "mathematics"],
    ["matemát", "mathematics"],
    ["inglés", "english"],
    ["química", "chemistry"],
    ["informática", "computer science"],
    ["preparación del sat", "sat prep"],
    ["الرياضيات", "mathematics"],
    ["رياضيات", "mathematics"],
    ["الانجليزية", "english"],
  ])("reads the translated name %j as the subject %j", (q, subject) => expect(subjectTerms(q)).toContain(subject));

  it("stands for a few subjects at most, and the Arabic article alone for none (each term is bound in search's SQL)", () => {
    expect(subjectTerms("ال")).toEqual(["ال"]);
    const names = [...SUBJECT_NAMES.keys(), ...Object.keys(SUBJECT_ALIASES)];
    for (const name of names) for (let i = 1; i <= name.length; i++) expect(subjectTerms(name.slice(0, i)).length).toBeLessThanOrEqual(8);
  });

  it("knows every subject name the Spanish and Arabic pages show", () => {
    for (const words of [WORDS.es, WORDS.ar]) for (const [subject, name] of Object.entries(words.subjects)) expect(subjectTerms(name), name).toContain(subject);
  });
});

describe("canonicalSubject", () => {
  it.each([
    ["matemáticas", "mathematics"],
    ["química", "chemistry"],
    ["الكيمياء", "chemistry"],
    ["mathematics", "mathematics"],
    ["organic chemistry", "organic chemistry"],
    ["matemáticas avanzadas", "matemáticas avanzadas"],
  ])("stores %j as %j", (typed, stored) => expect(canonicalSubject(typed)).toBe(stored));
});

describe("subjectMatches", () => {
  it.each([
    ["mathematics", "mathe", true],
    ["computer science", "science", true],
    ["computer science", "sci", true],
    ["sat prep", "prep", true],
    ["chemistry", "mist", false],
  ])("%s matches %s: %s", (subject, term, yes) => expect(subjectMatches(subject, term)).toBe(yes));
});

describe("searchTextProblem", () => {
  it("names what is wrong with a text that is too long by a code the pages say in their language", () => {
    expect(searchTextProblem("x".repeat(150))).toBe("tooLong");
    expect(searchTextProblem(` ${"x".repeat(60)} `)).toBeUndefined();
    expect(searchTextProblem("mathematics")).toBeUndefined();
  });
});
