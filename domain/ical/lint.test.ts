import { describe, expect, it } from "vitest";
import { lintIcs } from "./lint";

const valid = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//x//y//EN", "BEGIN:VEVENT", "UID:1", "DTSTAMP:20270101T000000Z", "DTSTART:20270101T090000Z", "END:VEVENT", "END:VCALENDAR", ""].join("\r\n");

describe("lintIcs", () => {
  it("accepts a minimal valid calendar", () => expect(lintIcs(valid)).toEqual([]));
  it("reports bare LF line ends", () => expect(lintIcs(valid.replace(/\r\n/g, "\n"))).toContain("has a bare CR or LF"));
  it("reports lines over 75 octets", () => expect(lintIcs(valid.replace("UID:1", `UID:${"ü".repeat(40)}`))).toEqual(["line 5 has 84 octets"]));
  it("reports missing required properties", () => expect(lintIcs(valid.replace("DTSTAMP:20270101T000000Z\r\n", ""))).toEqual(["VEVENT has 0 DTSTAMP"]));
  it("reports unbalanced components", () => expect(lintIcs(valid.replace("END:VEVENT\r\n", ""))).toContain("END:VCALENDAR closes VEVENT"));
});
