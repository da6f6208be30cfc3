import { describe, expect, it } from "vitest";
import { creditCost, studentCancellationRefunds } from "./policy";

describe("creditCost", () => {
  it.each([
    ["one_on_one", 60, 1, 60],
    ["one_on_one", 45, 1, 45],
    ["group", 60, 2, 42],
    ["group", 60, 3, 42],
    ["group", 45, 3, 32], // 31.5 rounds up
    ["group", 60, 4, 30],
    ["group", 90, 8, 45],
  ] as const)("%s for %i minutes with %i seats costs %i credit-minutes", (kind, duration, seats, cost) => {
    expect(creditCost(kind, duration, seats)).toBe(cost);
  });

  it.each([1, 9])("refuses a group of %i seats", (seats) => {
    expect(() => creditCost("group", 60, seats)).toThrow(RangeError);
  });
});

describe("studentCancellationRefunds", () => {
  const start = Date.parse("2027-05-10T15:00:00Z");
  it("refunds at exactly 24 hours before the start", () => {
    expect(studentCancellationRefunds(start, Date.parse("2027-05-09T15:00:00Z"))).toBe(true);
  });
  it("does not refund a minute later", () => {
    expect(studentCancellationRefunds(start, Date.parse("2027-05-09T15:01:00Z"))).toBe(false);
  });
});
