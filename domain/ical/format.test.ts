import { describe, expect, it } from "vitest";
import { IcsWriter, duration } from "./format";

const octets = (s: string) => new TextEncoder().encode(s).length;
const line = (write: (w: IcsWriter) => IcsWriter) => write(new IcsWriter()).toString();
const unfold = (s: string) => s.replace(/\r\n /g, "");

describe("IcsWriter TEXT values", () => {
  it.each([
    ["Algebra; part 1, intro", "Algebra\\; part 1\\, intro"],
    ["C:\\Users", "C:\\\\Users"],
    ["line one\r\nline two\nthree\rfour", "line one\\nline two\\nthree\\nfour"],
    ["bell\u0007 and tab\t", "bell and tab\t"],
  ])("escapes %j as %j", (input, expected) => {
    expect(line((w) => w.textLine("SUMMARY", input))).toBe(`SUMMARY:${expected}\r\n`);
  });

  it("escapes each item of a list but not the commas between them", () => {
    expect(line((w) => w.name("CATEGORIES").textList(["Tutorly", "a,b"]).end())).toBe("CATEGORIES:Tutorly,a\\,b\r\n");
  });
});

describe("IcsWriter parameters", () => {
  it("leaves plain names alone and quotes names with : ; ,", () => {
    expect(line((w) => w.name("ATTENDEE").param("CN", "Ana Müller").raw("urn:uuid:1").end())).toBe("ATTENDEE;CN=Ana Müller:urn:uuid:1\r\n");
    expect(line((w) => w.name("ATTENDEE").param("CN", "Müller, Ana").raw("urn:uuid:1").end())).toBe('ATTENDEE;CN="Müller, Ana":urn:uuid:1\r\n');
  });

  it("never lets a name break out of its quotes or its line", () => {
    expect(line((w) => w.name("ATTENDEE").param("CN", 'Bob "the builder";x\r\nATTENDEE:evil').raw("urn:x\r\nX:y").end())).toBe(
      `ATTENDEE;CN="Bob 'the builder';x ATTENDEE:evil":urn:xX:y\r\n`,
    );
  });
});

describe("IcsWriter date-times and durations", () => {
  it.each([
    ["2027-03-01T09:05:07.123Z", "20270301T090507Z"],
    ["2028-12-31T23:59:59.999Z", "20281231T235959Z"],
  ])("writes %s as %s", (iso, out) => {
    expect(line((w) => w.utcLine("DTSTART", Date.parse(iso)))).toBe(`DTSTART:${out}\r\n`);
  });
  it.each([
    [60, "PT1H"],
    [90, "PT1H30M"],
    [15, "PT15M"],
    [0, "PT0M"],
  ])("%i minutes is %s", (m, d) => expect(duration(m)).toBe(d));
});

describe("IcsWriter folding", () => {
  it("keeps a line of exactly 75 octets whole", () => {
    const text = line((w) => w.textLine("SUMMARY", "x".repeat(67)));
    expect(text).toBe(`SUMMARY:${"x".repeat(67)}\r\n`);
  });

  it("folds at 75 octets, continuation lines starting with a space and holding 75 octets at most", () => {
    const value = "abcdefghij".repeat(20);
    const parts = line((w) => w.textLine("DESCRIPTION", value)).split("\r\n").slice(0, -1);
    expect(parts.map(octets)).toEqual([75, 75, 64]);
    expect(parts.slice(1).every((p) => p.startsWith(" "))).toBe(true);
    expect(unfold(parts.join("\r\n"))).toBe(`DESCRIPTION:${value}`);
  });

  it.each([
    ["two-byte umlauts", "ü".repeat(100)],
    ["three-byte CJK", "数学".repeat(60)],
    ["four-byte emoji (surrogate pairs)", "📐🧮".repeat(50)],
    ["a mix at every offset", "aü数📐".repeat(40)],
  ])("never splits %s and never exceeds 75 octets", (_, value) => {
    for (const prefix of ["", "a", "ab", "abc"]) {
      const text = line((w) => w.textLine("SUMMARY", prefix + value));
      const bytes = new TextEncoder().encode(text);
      for (const p of text.split("\r\n").slice(0, -1)) {
        expect(octets(p)).toBeLessThanOrEqual(75);
        expect(p).not.toMatch(/[\ud800-\udbff]$|^ ?[\udc00-\udfff]/);
      }
      // Every physical line is valid UTF-8 on its own: no character straddles a fold.
      let start = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] === 13) {
          expect(() => new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.subarray(start, i))).not.toThrow();
          start = i + 2;
        }
      }
      expect(unfold(text)).toBe(`SUMMARY:${prefix}${value}\r\n`);
    }
  });

  it("replaces a lone surrogate instead of writing invalid UTF-8", () => {
    expect(line((w) => w.textLine("SUMMARY", "a\ud800b"))).toBe("SUMMARY:a\ufffdb\r\n");
  });
});
