import { describe, expect, it } from "vitest";
import { SendMessageSchema } from "../schemas/conversation";
import { foldForSearch, normalizeMessageText, previewOf } from "./text";

describe("message text", () => {
  it.each([
    ["  hello  ", "hello"],
    ["line one\r\nline two", "line one\nline two"],
    ["a\n\n\n\n\n\nb", "a\n\n\nb"],
    ["null\u0000byte and bell\u0007", "nullbyte and bell"],
    ["evil\u202Eexe.txt", "evilexe.txt"],
    ["tabs\tstay", "tabs\tstay"],
    ["<script>alert(1)</script> stays text", "<script>alert(1)</script> stays text"],
  ])("stores %j as %j", (raw, stored) => {
    expect(normalizeMessageText(raw)).toBe(stored);
  });

  it("accepts 1 to 2000 characters after normalising, and nothing blank", () => {
    expect(SendMessageSchema.safeParse({ text: "x".repeat(2000) }).success).toBe(true);
    expect(SendMessageSchema.safeParse({ text: "x".repeat(2001) }).success).toBe(false);
    expect(SendMessageSchema.safeParse({ text: " \n\u0000 " }).success).toBe(false);
    expect(SendMessageSchema.safeParse({ text: "\u200b\u200b" }).success).toBe(false);
    expect(SendMessageSchema.safeParse({ text: " \u2060\ufeff\u200d " }).success).toBe(false);
    // A joiner inside an emoji is part of something visible.
    expect(SendMessageSchema.safeParse({ text: "👩\u200d💻 ok" }).success).toBe(true);
    expect(SendMessageSchema.safeParse({ text: 42 }).success).toBe(false);
  });

  it("previews one line, cut with an ellipsis", () => {
    expect(previewOf("Hi!\n\nSee   you  soon")).toBe("Hi! See you soon");
    expect(previewOf("abcdefghij", 5)).toBe("abcd…");
  });

  it("folds case and accents for search", () => {
    expect(foldForSearch("José ÁLVAREZ")).toBe("jose alvarez");
    expect(foldForSearch("Straße")).toBe(foldForSearch("STRASSE"));
  });
});
