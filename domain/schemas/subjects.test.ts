import { describe, expect, it } from "vitest";
import { SubjectSchema, splitSubjects } from "./tutor";

describe("a subject", () => {
  it("is stored trimmed, lower-case, one space between words", () => {
    expect(SubjectSchema.parse("  Organic   Chemistry ")).toBe("organic chemistry");
  });

  it("needs two characters that show: zero-width and direction marks alone are no subject", () => {
    for (const blank of ["\u200b\u200b\u200b", "a\u200b", "\ufeff\u2060", "\u200c\u200d", "\u202e\u202d", " \u200b x"]) {
      expect(SubjectSchema.safeParse(blank).success, JSON.stringify(blank)).toBe(false);
    }
  });

  it("loses the invisible characters that would make a second spelling of the same subject, and keeps the joiners words need", () => {
    expect(SubjectSchema.parse("math\u200bs")).toBe("maths");
    expect(SubjectSchema.parse("\ufeffphysics\u2060")).toBe("physics");
    expect(SubjectSchema.parse("\u202eenglish")).toBe("english");
    // Persian writes some words with a zero-width non-joiner: it stays.
    expect(SubjectSchema.parse("ریاضی\u200cها")).toBe("ریاضی\u200cها");
  });
});

describe("subjects typed as a list", () => {
  it("split on the comma of the language typed in (، 、 ，), semicolons and commas, dropping empty pieces", () => {
    expect(splitSubjects("رياضيات، فيزياء")).toEqual(["رياضيات", "فيزياء"]);
    expect(splitSubjects("数学、物理，化学")).toEqual(["数学", "物理", "化学"]);
    expect(splitSubjects(" maths, physics ;; chemistry；biology ,")).toEqual(["maths", "physics", "chemistry", "biology"]);
    expect(splitSubjects("")).toEqual([]);
  });
});
