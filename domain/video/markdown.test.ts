import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "./markdown";

describe("parseMarkdown", () => {
  it("reads headings, lists, quotes, code and paragraphs", () => {
    const notes = "# Quadratics\n\nWe factored **three** trinomials.\nSee `x² - 1`.\n\n- one\n- two\n1. first\n> remember the sign\n```\na = 1\n```";
    expect(parseMarkdown(notes)).toEqual([
      { kind: "heading", level: 1, inline: [{ kind: "text", text: "Quadratics" }] },
      {
        kind: "paragraph",
        inline: [
          { kind: "text", text: "We factored " },
          { kind: "strong", text: "three" },
          { kind: "text", text: " trinomials. See " },
          { kind: "code", text: "x² - 1" },
          { kind: "text", text: "." },
        ],
      },
      { kind: "list", ordered: false, items: [[{ kind: "text", text: "one" }], [{ kind: "text", text: "two" }]] },
      { kind: "list", ordered: true, items: [[{ kind: "text", text: "first" }]] },
      { kind: "quote", inline: [{ kind: "text", text: "remember the sign" }] },
      { kind: "code", text: "a = 1" },
    ]);
  });

  it("keeps links only to http(s) and mailto addresses", () => {
    expect(parseInline("[site](https://example.com) and [bad](javascript:alert(1))")).toEqual([
      { kind: "link", text: "site", href: "https://example.com" },
      { kind: "text", text: " and " },
      { kind: "text", text: "bad" },
      { kind: "text", text: ")" },
    ]);
  });

  it("leaves markup as text", () => {
    expect(parseMarkdown("<script>alert(1)</script>")).toEqual([{ kind: "paragraph", inline: [{ kind: "text", text: "<script>alert(1)</script>" }] }]);
  });
});
