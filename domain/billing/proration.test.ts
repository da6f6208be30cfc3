import { describe, expect, it } from "vitest";
import { proratedChargeCents, proratedMinutes } from "./proration";

const start = Date.parse("2027-03-01T00:00:00Z");
const end = Date.parse("2027-03-31T00:00:00Z"); // a 30-day period
const day = 86_400_000;

describe("proratedMinutes", () => {
  it("grants the difference for the remaining share of the period: 4 h → 8 h with 15 of 30 days left is +120 min", () => {
    const upgradeAt = start + 15 * day;
    expect(
      proratedMinutes(
        [
          { monthlyMinutes: 240, amountCents: -6000, periodStart: upgradeAt, periodEnd: end },
          { monthlyMinutes: 480, amountCents: 11000, periodStart: upgradeAt, periodEnd: end },
        ],
        start,
        end,
      ),
    ).toBe(120);
  });

  it.each([
    [0, 720],
    [10, 480],
    [29, 24],
    [30, 0],
  ])("upgrading 4 h → 16 h on day %i grants %i minutes", (days, minutes) => {
    const at = start + days * day;
    expect(
      proratedMinutes(
        [
          { monthlyMinutes: 240, amountCents: -1, periodStart: at, periodEnd: end },
          { monthlyMinutes: 960, amountCents: 1, periodStart: at, periodEnd: end },
        ],
        start,
        end,
      ),
    ).toBe(minutes);
  });

  it("never goes negative (a downgrade's credit lines grant nothing)", () => {
    expect(proratedMinutes([{ monthlyMinutes: 480, amountCents: -5000, periodStart: start, periodEnd: end }], start, end)).toBe(0);
  });

  it("clips line periods to the billing period", () => {
    expect(proratedMinutes([{ monthlyMinutes: 300, amountCents: 1, periodStart: start - 10 * day, periodEnd: start + 10 * day }], start, end)).toBe(100);
  });
});

describe("proratedChargeCents", () => {
  it("charges the price difference for the time left", () => {
    expect(proratedChargeCents(12_000, 22_000, start + 15 * day, start, end)).toBe(5_000);
  });
  it("charges nothing at the end of the period or for a cheaper plan", () => {
    expect(proratedChargeCents(12_000, 22_000, end, start, end)).toBe(0);
    expect(proratedChargeCents(22_000, 12_000, start, start, end)).toBe(0);
  });
});
