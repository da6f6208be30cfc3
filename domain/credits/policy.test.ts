import { describe, expect, it } from "vitest";
import { studentCancellationRefunds } from "./policy";

describe("studentCancellationRefunds", () => {
  const start = Date.parse("2027-05-10T15:00:00Z");
  it("refunds at exactly 24 hours before the start", () => {
    expect(studentCancellationRefunds(start, Date.parse("2027-05-09T15:00:00Z"))).toBe(true);
  });
  it("does not refund a minute later", () => {
    expect(studentCancellationRefunds(start, Date.parse("2027-05-09T15:01:00Z"))).toBe(false);
  });
});
