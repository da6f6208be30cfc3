import { describe, expect, it } from "vitest";
import { type LedgerEntry, allocate, apportionCents, clawbackPlan, foldLedger, lotsOfPurchase, promoRoom, refundExpiry, refundTargetMinutes, refundable } from "./ledger";

const entry = (e: Partial<LedgerEntry> & Pick<LedgerEntry, "id" | "kind" | "minutes">): LedgerEntry => ({
  paidCents: 0,
  lotId: null,
  expiresAt: null,
  funding: null,
  purchaseRef: null,
  ref: null,
  createdAt: "2027-01-10T00:00:00.000Z",
  ...e,
});
const grant = (id: string, minutes: number, createdAt: string, expiresAt: string, paidCents = minutes * 50): LedgerEntry =>
  entry({ id, kind: "grant", minutes, paidCents, expiresAt, createdAt, funding: "paid", purchaseRef: `invoice:${id}` });
const gift = (id: string, minutes: number, expiresAt: string): LedgerEntry => entry({ id, kind: "adjust", minutes, expiresAt, funding: "promo", createdAt: "2027-01-05T00:00:00.000Z" });
const take = (id: string, kind: "debit" | "expire" | "clawback", minutes: number, lotId: string, paidCents = 0, ref: string | null = null): LedgerEntry =>
  entry({ id, kind, minutes, lotId, paidCents, ref });
const refund = (id: string, minutes: number, lotId: string, paidCents: number, ref: string, expiresAt: string | null = null): LedgerEntry =>
  entry({ id, kind: "refund", minutes, lotId, paidCents, ref, expiresAt, createdAt: "2027-02-20T00:00:00.000Z" });

const jan = grant("jan", 240, "2027-01-01T00:00:00.000Z", "2027-03-02T00:00:00.000Z", 12_000);
const feb = grant("feb", 240, "2027-02-01T00:00:00.000Z", "2027-04-02T00:00:00.000Z", 12_000);
const mid = new Date("2027-02-15T00:00:00Z");

describe("foldLedger", () => {
  it("sums unexpired lots", () => {
    expect(foldLedger([jan, feb], mid).balanceMinutes).toBe(480);
  });

  it("drops a lot at its expiry instant, even before any expire entry is written", () => {
    const b = foldLedger([jan, feb], new Date("2027-03-02T00:00:00Z"));
    expect(b.balanceMinutes).toBe(240);
    expect(b.expiredUnrecorded.map((l) => [l.id, l.remainingMinutes, l.remainingCents])).toEqual([["jan", 240, 12_000]]);
  });

  it("subtracts debits, minutes and value, from the lot they name", () => {
    const b = foldLedger([jan, feb, take("d1", "debit", 60, "jan", 3_000)], mid);
    expect(b.lots.map((l) => [l.id, l.remainingMinutes, l.remainingCents])).toEqual([
      ["jan", 180, 9_000],
      ["feb", 240, 12_000],
    ]);
  });

  it("counts an expire entry once: the expired lot contributes nothing and is no longer unrecorded", () => {
    const b = foldLedger([jan, feb, take("x", "expire", 240, "jan", 12_000)], new Date("2027-03-05T00:00:00Z"));
    expect(b.balanceMinutes).toBe(240);
    expect(b.expiredUnrecorded).toEqual([]);
  });

  it("returns a refund to the lot it came from, keeping its purchase, value and expiry", () => {
    const b = foldLedger([jan, take("d", "debit", 60, "jan", 3_000, "r1"), refund("f", 60, "jan", 3_000, "r1")], mid);
    expect(b.lots).toMatchObject([{ id: "jan", remainingMinutes: 240, remainingCents: 12_000, purchaseRef: "invoice:jan", expiresAt: "2027-03-02T00:00:00.000Z" }]);
  });

  it("moves a lot's expiry later when a refund had to keep it usable", () => {
    const b = foldLedger([jan, take("d", "debit", 60, "jan", 3_000, "r1"), refund("f", 60, "jan", 3_000, "r1", "2027-03-20T00:00:00.000Z")], new Date("2027-03-10T00:00:00Z"));
    expect(b.lots.map((l) => [l.id, l.remainingMinutes, l.expiresAt])).toEqual([["jan", 240, "2027-03-20T00:00:00.000Z"]]);
  });

  it("treats positive adjusts as promotional lots and negative ones as takes", () => {
    const minus = entry({ id: "a-", kind: "adjust", minutes: -45, lotId: "feb", paidCents: 2_250 });
    const b = foldLedger([jan, feb, gift("a+", 30, "2027-06-01T00:00:00.000Z"), minus], mid);
    expect(b.lots.map((l) => [l.id, l.funding, l.remainingMinutes])).toEqual([
      ["jan", "paid", 240],
      ["feb", "paid", 195],
      ["a+", "promo", 30],
    ]);
    expect(b.balanceMinutes).toBe(465);
    expect(b.promoMinutes).toBe(30);
  });

  it("holds a frozen lot back from the balance and from expiry until it is unfrozen", () => {
    const frozen = [jan, feb, entry({ id: "z", kind: "freeze", minutes: 240, lotId: "jan", ref: "dispute:dp_1" })];
    const during = foldLedger(frozen, new Date("2027-03-05T00:00:00Z"));
    expect([during.balanceMinutes, during.frozenMinutes, during.expiredUnrecorded]).toEqual([240, 240, []]);
    const after = foldLedger([...frozen, entry({ id: "u", kind: "unfreeze", minutes: 240, lotId: "jan", ref: "dispute:dp_1" })], new Date("2027-03-05T00:00:00Z"));
    expect(after.expiredUnrecorded.map((l) => l.id)).toEqual(["jan"]);
    // An unfreeze that carries a later expiry (a won dispute keeps released credit usable) moves the lot's expiry.
    const kept = foldLedger(
      [...frozen, entry({ id: "u", kind: "unfreeze", minutes: 240, lotId: "jan", ref: "dispute:dp_1", expiresAt: "2027-03-19T00:00:00.000Z" })],
      new Date("2027-03-05T00:00:00Z"),
    );
    expect([kept.balanceMinutes, kept.lots.find((l) => l.id === "jan")?.expiresAt]).toEqual([480, "2027-03-19T00:00:00.000Z"]);
  });

  it("refuses a ledger that took more than a lot held", () => {
    expect(() => foldLedger([jan, take("d", "debit", 241, "jan")], mid)).toThrow(/negative/);
  });

  it("refuses a refund of more than was taken", () => {
    expect(() => foldLedger([jan, refund("f", 1, "jan", 0, "r")], mid)).toThrow(/more than it held/);
  });

  it("refuses a take from an unknown lot", () => {
    expect(() => foldLedger([take("d", "debit", 1, "ghost")], mid)).toThrow(/unknown lot/);
  });
});

describe("allocate", () => {
  it("takes from the lot that expires first, with its share of value", () => {
    expect(allocate(foldLedger([feb, jan], mid), 60)).toEqual([{ lotId: "jan", minutes: 60, paidCents: 3_000, funding: "paid" }]);
  });

  it("spans lots when the first is not enough", () => {
    expect(allocate(foldLedger([jan, feb, take("d", "debit", 200, "jan", 10_000)], mid), 90)).toEqual([
      { lotId: "jan", minutes: 40, paidCents: 2_000, funding: "paid" },
      { lotId: "feb", minutes: 50, paidCents: 2_500, funding: "paid" },
    ]);
  });

  it("marks promotional slices, worth no paid value", () => {
    expect(allocate(foldLedger([gift("g", 60, "2027-02-20T00:00:00.000Z"), feb], mid), 90)).toEqual([
      { lotId: "g", minutes: 60, paidCents: 0, funding: "promo" },
      { lotId: "feb", minutes: 30, paidCents: 1_500, funding: "paid" },
    ]);
  });

  it("skips frozen lots", () => {
    const b = foldLedger([jan, feb, entry({ id: "z", kind: "freeze", minutes: 240, lotId: "jan" })], mid);
    expect(allocate(b, 60)).toEqual([{ lotId: "feb", minutes: 60, paidCents: 3_000, funding: "paid" }]);
    expect(allocate(b, 241)).toBeNull();
  });

  it("returns null rather than going negative", () => {
    expect(allocate(foldLedger([jan], mid), 241)).toBeNull();
    expect(allocate(foldLedger([], mid), 30)).toBeNull();
  });

  it("never uses an expired lot", () => {
    expect(allocate(foldLedger([jan, feb], new Date("2027-03-03T00:00:00Z")), 300)).toBeNull();
  });

  it.each([0, -5, 1.5])("refuses to spend %s minutes", (m) => {
    expect(() => allocate(foldLedger([jan], mid), m)).toThrow(RangeError);
  });

  it("apportions a lot's value exactly: the slices of a fully spent lot add up to what it cost", () => {
    // A 60-minute pack sold for $35: 3500 cents do not divide evenly into 7 spends.
    const pack = grant("pack", 60, "2027-01-01T00:00:00.000Z", "2028-01-01T00:00:00.000Z", 3_500);
    const entries: LedgerEntry[] = [pack];
    const slices = [];
    for (const [i, m] of [7, 13, 9, 11, 5, 8, 7].entries()) {
      const [slice] = allocate(foldLedger(entries, mid), m)!;
      slices.push(slice!);
      entries.push(take(`d${i}`, "debit", m, "pack", slice!.paidCents));
    }
    expect(slices.reduce((s, x) => s + x.minutes, 0)).toBe(60);
    expect(slices.reduce((s, x) => s + x.paidCents, 0)).toBe(3_500);
    expect(slices.every((s) => Math.abs(s.paidCents - (3_500 * s.minutes) / 60) < 2)).toBe(true);
  });
});

describe("apportionCents", () => {
  it.each([
    [240, 12_000, 60, 3_000],
    [60, 3_500, 7, 408],
    [60, 3_500, 60, 3_500],
    [3, 100, 1, 33],
    [1, 100, 1, 100],
  ])("%i minutes worth %i cents: %i of them are worth %i", (minutes, cents, take, expected) => {
    expect(apportionCents(minutes, cents, take)).toBe(expected);
  });
});

describe("refundable", () => {
  it("is a reservation's debits less its refunds, per lot", () => {
    const entries = [jan, feb, take("d1", "debit", 200, "jan", 10_000, "r"), take("d2", "debit", 100, "feb", 5_000, "r"), take("o", "debit", 20, "jan", 1_000, "other")];
    const lots = foldLedger(entries, mid).all;
    expect(refundable(entries, "r", lots)).toEqual([
      { lotId: "jan", minutes: 200, paidCents: 10_000, funding: "paid" },
      { lotId: "feb", minutes: 100, paidCents: 5_000, funding: "paid" },
    ]);
    const after = [...entries, refund("f1", 200, "jan", 10_000, "r"), refund("f2", 100, "feb", 5_000, "r")];
    expect(refundable(after, "r", lots)).toEqual([]);
  });
});

describe("refundable, partly (a session that ended early)", () => {
  const entries = [jan, feb, take("d1", "debit", 40, "jan", 2_000, "r"), take("d2", "debit", 50, "feb", 2_500, "r")];
  const lots = foldLedger(entries, mid).all;

  it("gives back the lots taken last first, with their share of value", () => {
    expect(refundable(entries, "r", lots, 60)).toEqual([
      { lotId: "feb", minutes: 50, paidCents: 2_500, funding: "paid" },
      { lotId: "jan", minutes: 10, paidCents: 500, funding: "paid" },
    ]);
  });

  it("counts what was refunded before: the same request again gives nothing, a larger one the difference", () => {
    const after = [...entries, refund("f1", 50, "feb", 2_500, "r"), refund("f2", 10, "jan", 500, "r")];
    expect(refundable(after, "r", lots, 60)).toEqual([]);
    expect(refundable(after, "r", lots, 70)).toEqual([{ lotId: "jan", minutes: 10, paidCents: 500, funding: "paid" }]);
    expect(refundable(after, "r", lots)).toEqual([{ lotId: "jan", minutes: 30, paidCents: 1_500, funding: "paid" }]);
  });

  it("never gives back more than was spent", () => {
    expect(refundable(entries, "r", lots, 500).reduce((s, x) => s + x.minutes, 0)).toBe(90);
  });
});

describe("refundExpiry", () => {
  it("keeps the lot's expiry when it is far enough away", () => {
    expect(refundExpiry("2027-04-01T00:00:00.000Z", new Date("2027-02-01T00:00:00Z"), 14)).toBe("2027-04-01T00:00:00.000Z");
  });
  it("moves it to the minimum validity when the lot would expire sooner, or has expired", () => {
    expect(refundExpiry("2027-02-03T00:00:00.000Z", new Date("2027-02-01T00:00:00Z"), 14)).toBe("2027-02-15T00:00:00.000Z");
    expect(refundExpiry("2027-01-03T00:00:00.000Z", new Date("2027-02-01T00:00:00Z"), 14)).toBe("2027-02-15T00:00:00.000Z");
  });
});

describe("refunds and disputes of a purchase", () => {
  it.each([
    [180, 3_300, 9_900, 60],
    [180, 9_900, 9_900, 180],
    [180, 20_000, 9_900, 180],
    [240, 0, 12_000, 0],
    [240, 100, 0, 0],
  ])("%i minutes bought, %i of %i cents refunded: takes back %i", (minutes, refunded, amount, target) => {
    expect(refundTargetMinutes(minutes, refunded, amount)).toBe(target);
  });

  it("takes back only what is left of the purchase, with its value", () => {
    const entries = [jan, feb, take("d", "debit", 200, "jan", 10_000, "r")];
    const b = foldLedger(entries, mid);
    expect(clawbackPlan(lotsOfPurchase(b, "invoice:jan"), 240)).toEqual([{ lotId: "jan", minutes: 40, paidCents: 2_000, funding: "paid" }]);
    expect(clawbackPlan(lotsOfPurchase(b, "invoice:jan"), 10)).toEqual([{ lotId: "jan", minutes: 10, paidCents: 500, funding: "paid" }]);
    expect(clawbackPlan(lotsOfPurchase(b, "invoice:nothing"), 10)).toEqual([]);
  });
});

describe("promoRoom", () => {
  it("is the cap less the promotional minutes usable now", () => {
    expect(promoRoom(foldLedger([jan, gift("g", 90, "2027-06-01T00:00:00.000Z")], mid), 120)).toBe(30);
    expect(promoRoom(foldLedger([gift("g", 150, "2027-06-01T00:00:00.000Z")], mid), 120)).toBe(0);
    expect(promoRoom(foldLedger([jan], mid), 120)).toBe(120);
  });
});
