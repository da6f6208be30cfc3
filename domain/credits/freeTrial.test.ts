import { describe, expect, it } from "vitest";
import { freeTrialExpiry, freeTrialGrantId, freeTrialMonth, isFreeTrialGrantId } from "./freeTrial";

describe("the free plan's monthly trial", () => {
  it.each([
    ["2026-12-31T23:59:59.999Z", "2026-12", "2027-01-01T00:00:00.000Z"],
    ["2027-01-01T00:00:00.000Z", "2027-01", "2027-02-01T00:00:00.000Z"],
    ["2028-02-29T12:00:00.000Z", "2028-02", "2028-03-01T00:00:00.000Z"],
  ])("at %s counts in %s and its credit lapses at %s", (at, month, expiry) => {
    expect(freeTrialMonth(Date.parse(at))).toBe(month);
    expect(freeTrialExpiry(Date.parse(at))).toBe(expiry);
  });

  it("keys the grant by month, so a month has one", () => {
    expect(freeTrialGrantId("2026-12")).toBe("free-trial:2026-12");
  });

  it("numbers the month's next grant after a trial given back, and tells a month's grants from others", () => {
    expect(freeTrialGrantId("2026-12", 2)).toBe("free-trial:2026-12#2");
    expect(isFreeTrialGrantId("free-trial:2026-12#2", "2026-12")).toBe(true);
    expect(isFreeTrialGrantId("free-trial:2026-12", "2026-12")).toBe(true);
    expect(isFreeTrialGrantId("free-trial:2026-11", "2026-12")).toBe(false);
    expect(isFreeTrialGrantId("free-trial:2026-11")).toBe(true);
    expect(isFreeTrialGrantId("stripe:in_123")).toBe(false);
    expect(isFreeTrialGrantId(null)).toBe(false);
  });
});
