import { describe, expect, it } from "vitest";
import { PACKS, PLANS } from "./catalog";
import { type SpentSlice, endedEarlyEarningCents, keptCreditMinutes, keptSlices, proRataCents, seatEarningCents } from "./earnings";
import { type LedgerEntry, foldLedger, refundable } from "../credits/ledger";
import { seatPrice } from "../credits/pricing";

const paid = (minutes: number, paidCents: number): SpentSlice => ({ lotId: `p${minutes}`, minutes, paidCents, funding: "paid" });
const promo = (minutes: number): SpentSlice => ({ lotId: `g${minutes}`, minutes, paidCents: 0, funding: "promo" });

describe("seatEarningCents", () => {
  it.each([
    ["an hour of Starter credit ($30 paid)", [paid(60, 3000)], 2400],
    ["an hour of Intensive credit ($25 paid)", [paid(60, 2500)], 2000],
    ["an hour of welcome credit (promotional, at the nominal $30)", [promo(60)], 2400],
    ["half paid, half promotional", [paid(30, 1500), promo(30)], 1200 + 1200],
    ["a 1-cent remainder rounds down", [paid(45, 1833)], 1466],
    ["nothing spent", [], 0],
  ] as const)("%s earns %i cents at 20 %", (_, spent, cents) => {
    expect(seatEarningCents(spent, 20)).toBe(cents);
  });

  it("does not depend on the tutor's rate: a rate raised after booking changes nothing", () => {
    // The rate only set how many credit-minutes were spent; the earning is fixed by what they were worth.
    expect(seatEarningCents([paid(60, 3000)], 20)).toBe(2400);
  });

  it("refuses a commission that is not a whole percent between 0 and 100", () => {
    expect(() => seatEarningCents([], 101)).toThrow(RangeError);
    expect(() => seatEarningCents([], 12.5)).toThrow(RangeError);
  });

  it("never pays more than the revenue less commission, over random plans, packs, rates and groups (property)", () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const products = [...PLANS.filter((p) => p.priceCents > 0).map((p) => ({ minutes: p.monthlyMinutes, cents: p.priceCents })), ...PACKS.map((p) => ({ minutes: p.minutes, cents: p.priceCents }))];
    for (let run = 0; run < 2_000; run++) {
      const product = products[Math.floor(rand() * products.length)]!;
      const discount = [0, 10, 25, 50][Math.floor(rand() * 4)]!;
      const lotCents = Math.round((product.cents * (100 - discount)) / 100);
      const rate = 500 + Math.floor(rand() * 40) * 250;
      const kind = rand() < 0.5 ? "one_on_one" : "group";
      const seats = 2 + Math.floor(rand() * 7);
      const minutes = [30, 45, 60, 90, 120][Math.floor(rand() * 5)]!;
      const cost = seatPrice({ kind, hourlyRateCents: rate, durationMinutes: minutes, seats });
      if (cost > product.minutes) continue;
      // The wallet apportions a lot's paid value exactly over its minutes (largest remainder); any share is ≤ pro rata + 1 cent.
      const slicePaid = Math.ceil((lotCents * cost) / product.minutes);
      const commission = [0, 15, 20, 30][Math.floor(rand() * 4)]!;
      const earned = seatEarningCents([paid(cost, slicePaid)], commission);
      expect(earned * 100).toBeLessThanOrEqual(slicePaid * (100 - commission));
    }
  });
});

describe("pro rata", () => {
  it("pays about nothing for a session ended at its first minute", () => {
    expect(proRataCents(2400, 1, 60)).toBe(40);
    expect(proRataCents(2400, 0, 60)).toBe(0);
  });
  it("scales down, never up", () => {
    expect(proRataCents(2400, 30, 60)).toBe(1200);
    expect(proRataCents(2400, 90, 60)).toBe(2400);
    expect(proRataCents(1001, 1, 3)).toBe(333);
  });
  it("keeps what was taught (rounded up) and gives the rest back", () => {
    expect(keptCreditMinutes(60, 1, 60)).toBe(1);
    expect(keptCreditMinutes(45, 20, 60)).toBe(15);
    expect(keptCreditMinutes(42, 1, 60)).toBe(1);
    expect(keptCreditMinutes(60, 0, 60)).toBe(0);
  });
});

describe("a seat that ended early", () => {
  const promo: SpentSlice = { lotId: "gift", minutes: 30, paidCents: 0, funding: "promo" };
  const paid: SpentSlice = { lotId: "pack", minutes: 30, paidCents: 1_750, funding: "paid" };

  it("keeps the slices the wallet does not give back: the first ones, a cut slice with the value the refund leaves it", () => {
    expect(keptSlices([promo, paid], 30)).toEqual([promo]);
    expect(keptSlices([promo, paid], 45)).toEqual([promo, { ...paid, minutes: 15, paidCents: 1_750 - Math.floor((1_750 * 15) / 30) }]);
    expect(keptSlices([promo, paid], 60)).toEqual([promo, paid]);
    expect(keptSlices([promo, paid], 0)).toEqual([]);
    // The same split the wallet's refund makes, minute for minute and cent for cent.
    const entry = { expiresAt: null, funding: null, purchaseRef: null, createdAt: "2026-12-01T00:00:00.000Z" };
    const grants: LedgerEntry[] = [promo, paid].map((x) => ({ ...entry, id: x.lotId, kind: "grant", minutes: x.minutes, paidCents: x.paidCents, lotId: null, expiresAt: "2027-12-01T00:00:00.000Z", funding: x.funding, ref: x.lotId }));
    const debits: LedgerEntry[] = [promo, paid].map((x, i) => ({ ...entry, id: `d${i}`, kind: "debit", minutes: x.minutes, paidCents: x.paidCents, lotId: x.lotId, ref: "r" }));
    const entries = [...grants, ...debits];
    const back = refundable(entries, "r", foldLedger(entries, new Date("2026-12-02T00:00:00Z")).all, 17);
    const kept = keptSlices([promo, paid], 43);
    for (const lot of ["gift", "pack"]) {
      const all = [promo, paid].find((x) => x.lotId === lot)!;
      const k = kept.find((x) => x.lotId === lot) ?? { minutes: 0, paidCents: 0 };
      const b = back.find((x) => x.lotId === lot) ?? { minutes: 0, paidCents: 0 };
      expect([k.minutes + b.minutes, k.paidCents + b.paidCents]).toEqual([all.minutes, all.paidCents]);
    }
  });

  it("earns no more than the kept credit is worth, even when the refund gave back the better-paid slice", () => {
    const fixed = seatEarningCents([promo, paid], 20);
    expect(fixed).toBe(1_400 + 1_200);
    expect(endedEarlyEarningCents({ fixedCents: fixed, spent: [promo, paid], credits: 60 }, 30, 60, 20)).toBe(1_200);
    // Paid first, promotional after: the pro rata is the lower of the two.
    expect(endedEarlyEarningCents({ fixedCents: fixed, spent: [paid, promo], credits: 60 }, 30, 60, 20)).toBe(1_300);
    // A seat kept from before spends were stored: pro rata.
    expect(endedEarlyEarningCents({ fixedCents: fixed, spent: null, credits: 60 }, 30, 60, 20)).toBe(1_300);
  });
});
