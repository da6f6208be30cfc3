import { describe, expect, it } from "vitest";
import { lateCancellationWeight, reliabilityOf } from "./reliability";

const H = 3_600_000;
const D = 24 * H;
const now = Date.parse("2027-06-01T00:00:00Z");

describe("lateCancellationWeight", () => {
  it.each([
    [48 * H, 0],
    [24 * H, 0],
    [23 * H, 1],
    [12 * H, 1],
    [11 * H, 2],
    [2 * H, 2],
    [1 * H, 3],
    [0, 3],
  ])("a cancellation %i ms before the start weighs %i", (before, weight) => {
    expect(lateCancellationWeight(now + before, now)).toBe(weight);
  });
});

describe("reliabilityOf", () => {
  it("is 1 with no history", () => {
    expect(reliabilityOf([], now)).toEqual({ score: 1, flagged: false, lateCancellations30d: 0 });
  });

  it("weighs completed sessions against late cancellations and no-shows", () => {
    const events = [
      ...Array.from({ length: 8 }, (_, i) => ({ kind: "completed" as const, at: now - i * D, weight: 1 })),
      { kind: "late_cancel" as const, at: now - 5 * D, weight: 1 },
      { kind: "no_show" as const, at: now - 6 * D, weight: 3 },
    ];
    expect(reliabilityOf(events, now).score).toBe(0.667);
  });

  it("forgets what is older than 90 days", () => {
    expect(reliabilityOf([{ kind: "late_cancel", at: now - 91 * D, weight: 3 }], now).score).toBe(1);
  });

  it("flags at 3 late cancellations within 30 days, not at 2 or when spread out", () => {
    const late = (days: number) => ({ kind: "late_cancel" as const, at: now - days * D, weight: 1 });
    expect(reliabilityOf([late(1), late(10)], now).flagged).toBe(false);
    expect(reliabilityOf([late(1), late(10), late(29)], now).flagged).toBe(true);
    expect(reliabilityOf([late(1), late(10), late(31)], now).flagged).toBe(false);
  });
});
