import { describe, expect, it } from "vitest";
import { searchTextProblem, subjectMatches, subjectTerms } from "./searchTerms";

describe("subjectTerms", () => {
  it.each([
    ["Math", ["math", "mathematics"]],
    ["  SAT ", ["sat", "sat prep"]],
    ["prog", ["prog", "computer science", "python"]],
    ["physics", ["physics"]],
  ])("reads %j as %j", (q, terms) => expect(subjectTerms(q)).toEqual(terms));
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
  it("explains a text that is too long, in words", () => {
    expect(searchTextProblem("x".repeat(150))).toBe("Search for at most 60 characters (a subject or a tutor's name).");
    expect(searchTextProblem("mathematics")).toBeUndefined();
  });
});
