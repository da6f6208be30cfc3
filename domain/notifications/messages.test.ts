import { describe, expect, it } from "vitest";
import { formatInZone, renderNotice } from "./messages";

describe("formatInZone", () => {
  it.each([
    ["Asia/Kathmandu", "Mon 1 Mar, 14:45 (Asia/Kathmandu)"],
    ["America/New_York", "Mon 1 Mar, 04:00 (America/New York)"],
    ["Australia/Sydney", "Mon 1 Mar, 20:00 (Australia/Sydney)"],
  ])("writes 2027-03-01T09:00Z in %s as %s", (zone, text) => {
    expect(formatInZone("2027-03-01T09:00:00.000Z", zone)).toBe(text);
  });

  it("follows DST: the same UTC hour reads differently before and after Berlin's change", () => {
    expect(formatInZone("2027-03-27T09:00:00.000Z", "Europe/Berlin")).toContain("10:00");
    expect(formatInZone("2027-03-28T09:00:00.000Z", "Europe/Berlin")).toContain("11:00");
  });
});

describe("renderNotice", () => {
  it("writes a reminder in the recipient's own zone", () => {
    const n = renderNotice({ kind: "reminder", subject: "physics", start: "2027-03-01T18:00:00.000Z", withName: "Jonas", lead: "1h" }, "Asia/Tokyo");
    expect(n.title).toBe("In one hour: physics with Jonas");
    expect(n.body).toContain("Tue 2 Mar, 03:00 (Asia/Tokyo)");
  });

  it("tells a student whose tutor cancelled how many replacements there are", () => {
    const n = renderNotice({ kind: "tutor_cancelled_offers", subject: "spanish", start: "2027-03-01T18:00:00.000Z", tutorName: "Mateo", offers: 1 }, "UTC");
    expect(n.body).toContain("We found 1 other spanish tutor free at that exact time");
  });
});
