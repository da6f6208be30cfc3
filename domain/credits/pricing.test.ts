import { describe, expect, it } from "vitest";
import { CREDIT_MINUTE_CENTS, maxHourlyRateCents, oneOnOneCost, seatPrice, trialPrice } from "./pricing";

describe("oneOnOneCost", () => {
  it.each([
    // rate (cents/h), minutes, credit-minutes
    [3000, 60, 60], // $30/h is the nominal rate: one credit-minute per minute
    [3000, 45, 45],
    [4000, 60, 80],
    [4000, 45, 60],
    [2500, 30, 25],
    [4500, 30, 45],
    [3100, 30, 31], // 30 × 31 / 30 = 31 exactly: no rounding
    [3010, 60, 61], // 60.2 rounds up
    [500, 30, 5],
    [100_000, 120, 4000],
  ])("a tutor at %i ¢/h for %i minutes costs %i credit-minutes", (rate, minutes, cost) => {
    expect(oneOnOneCost(rate, minutes)).toBe(cost);
  });

  it("never undercharges the tutor's rate at the nominal credit value", () => {
    for (let rate = 500; rate <= 20_000; rate += 37) {
      for (const minutes of [30, 45, 60, 90, 120]) {
        expect(oneOnOneCost(rate, minutes) * CREDIT_MINUTE_CENTS).toBeGreaterThanOrEqual((rate * minutes) / 60);
        expect((oneOnOneCost(rate, minutes) - 1) * CREDIT_MINUTE_CENTS).toBeLessThan((rate * minutes) / 60);
      }
    }
  });

  it.each([0, -100, 12.5])("refuses a rate of %s", (rate) => {
    expect(() => oneOnOneCost(rate, 60)).toThrow(RangeError);
  });
});

describe("seatPrice", () => {
  it.each([
    ["one_on_one", 3000, 60, 1, 60],
    ["group", 3000, 60, 2, 42],
    ["group", 3000, 60, 3, 42],
    ["group", 3000, 45, 3, 32], // 31.5 rounds up
    ["group", 3000, 60, 4, 30],
    ["group", 3000, 90, 8, 45],
    ["group", 4000, 60, 3, 56], // 80 × 70 %
    ["group", 4500, 45, 5, 34], // ceil(67.5) = 68, × 50 % = 34
  ] as const)("%s at %i ¢/h for %i minutes with %i seats costs %i per seat", (kind, rate, minutes, seats, cost) => {
    expect(seatPrice({ kind, hourlyRateCents: rate, durationMinutes: minutes, seats })).toBe(cost);
  });

  it("keeps a group seat cheaper than 1:1 with the same tutor", () => {
    for (const seats of [2, 3, 4, 8]) {
      expect(seatPrice({ kind: "group", hourlyRateCents: 4200, durationMinutes: 60, seats })).toBeLessThan(oneOnOneCost(4200, 60));
    }
  });

  it.each([1, 9])("refuses a group of %i seats", (seats) => {
    expect(() => seatPrice({ kind: "group", hourlyRateCents: 3000, durationMinutes: 60, seats })).toThrow(RangeError);
  });
});

describe("trialPrice", () => {
  it.each([
    // rate (cents/h), credit-minutes of a 30-minute trial at half the 1:1 price
    [3000, 15], // 30 of 1:1 → 15
    [4500, 23], // 45 → 22.5, rounded up
    [2500, 13], // 25 → 12.5, rounded up
    [6000, 30],
    [500, 3], // 5 → 2.5, rounded up
  ])("a trial with a tutor at %i ¢/h costs %i credit-minutes", (rate, cost) => {
    expect(trialPrice(rate)).toBe(cost);
  });
});

describe("maxHourlyRateCents", () => {
  it("is exactly the dearest rate whose session fits the credit: one cent more costs more", () => {
    for (const credits of [0, 1, 13, 23, 50, 60, 120, 181]) {
      for (const minutes of [30, 45, 60, 90, 120]) {
        const rate = maxHourlyRateCents(credits, minutes);
        if (rate > 0) expect(oneOnOneCost(rate, minutes)).toBeLessThanOrEqual(credits);
        expect(oneOnOneCost(rate + 1, minutes)).toBeGreaterThan(credits);
      }
    }
  });

  it("an hour held at $25/h (50 credit-minutes) covers up to $25/h, never $60/h", () => {
    expect(maxHourlyRateCents(50, 60)).toBe(2500);
    expect(maxHourlyRateCents(120, 60)).toBe(6000);
  });
});
