import { describe, expect, it } from "vitest";
import { type LedgerEntry, allocate, foldLedger, refundExpiry } from "./ledger";

const grant = (id: string, minutes: number, createdAt: string, expiresAt: string): LedgerEntry => ({ id, kind: "grant", minutes, lotId: null, expiresAt, createdAt });
const take = (id: string, kind: "debit" | "expire" | "adjust", minutes: number, lotId: string, createdAt = "2027-01-10T00:00:00.000Z"): LedgerEntry => ({
  id,
  kind,
  minutes,
  lotId,
  expiresAt: null,
  createdAt,
});

const jan = grant("jan", 240, "2027-01-01T00:00:00.000Z", "2027-03-02T00:00:00.000Z");
const feb = grant("feb", 240, "2027-02-01T00:00:00.000Z", "2027-04-02T00:00:00.000Z");

describe("foldLedger", () => {
  it("sums unexpired lots", () => {
    expect(foldLedger([jan, feb], new Date("2027-02-15T00:00:00Z")).balanceMinutes).toBe(480);
  });

  it("drops a lot at its expiry instant, even before any expire entry is written", () => {
    const b = foldLedger([jan, feb], new Date("2027-03-02T00:00:00Z"));
    expect(b.balanceMinutes).toBe(240);
    expect(b.expiredUnrecorded.map((l) => [l.id, l.remainingMinutes])).toEqual([["jan", 240]]);
  });

  it("subtracts debits from the lot they name", () => {
    const b = foldLedger([jan, feb, take("d1", "debit", 60, "jan")], new Date("2027-02-15T00:00:00Z"));
    expect(b.lots.map((l) => [l.id, l.remainingMinutes])).toEqual([
      ["jan", 180],
      ["feb", 240],
    ]);
  });

  it("counts an expire entry once: the expired lot contributes nothing and is no longer unrecorded", () => {
    const b = foldLedger([jan, feb, take("x", "expire", 240, "jan", "2027-03-02T01:00:00.000Z")], new Date("2027-03-05T00:00:00Z"));
    expect(b.balanceMinutes).toBe(240);
    expect(b.expiredUnrecorded).toEqual([]);
  });

  it("treats refunds and positive adjusts as new lots, negative adjusts as takes", () => {
    const refund: LedgerEntry = { id: "r", kind: "refund", minutes: 60, lotId: "jan", expiresAt: "2027-05-01T00:00:00.000Z", createdAt: "2027-02-20T00:00:00.000Z" };
    const plus: LedgerEntry = { id: "a+", kind: "adjust", minutes: 30, lotId: null, expiresAt: "2027-06-01T00:00:00.000Z", createdAt: "2027-02-20T00:00:00.000Z" };
    const minus = take("a-", "adjust", -45, "feb");
    const b = foldLedger([jan, feb, take("d", "debit", 60, "jan"), refund, plus, minus], new Date("2027-03-10T00:00:00Z"));
    expect(b.lots.map((l) => [l.id, l.remainingMinutes])).toEqual([
      ["feb", 195],
      ["r", 60],
      ["a+", 30],
    ]);
    expect(b.balanceMinutes).toBe(285);
  });

  it("refuses a ledger that took more than a lot held", () => {
    expect(() => foldLedger([jan, take("d", "debit", 241, "jan")], new Date("2027-01-15T00:00:00Z"))).toThrow(/negative/);
  });

  it("refuses a take from an unknown lot", () => {
    expect(() => foldLedger([take("d", "debit", 1, "ghost")], new Date())).toThrow(/unknown lot/);
  });
});

describe("allocate", () => {
  const now = new Date("2027-02-15T00:00:00Z");

  it("takes from the lot that expires first", () => {
    expect(allocate(foldLedger([feb, jan], now), 60)).toEqual([{ lotId: "jan", minutes: 60 }]);
  });

  it("spans lots when the first is not enough", () => {
    expect(allocate(foldLedger([jan, feb, take("d", "debit", 200, "jan")], now), 90)).toEqual([
      { lotId: "jan", minutes: 40 },
      { lotId: "feb", minutes: 50 },
    ]);
  });

  it("returns null rather than going negative", () => {
    expect(allocate(foldLedger([jan], now), 241)).toBeNull();
    expect(allocate(foldLedger([], now), 30)).toBeNull();
  });

  it("never uses an expired lot", () => {
    expect(allocate(foldLedger([jan, feb], new Date("2027-03-03T00:00:00Z")), 300)).toBeNull();
  });

  it.each([0, -5, 1.5])("refuses to spend %s minutes", (m) => {
    expect(() => allocate(foldLedger([jan], now), m)).toThrow(RangeError);
  });
});

describe("refundExpiry", () => {
  it("keeps the original expiry when it is far enough away", () => {
    expect(refundExpiry("2027-04-01T00:00:00.000Z", new Date("2027-02-01T00:00:00Z"), 14)).toBe("2027-04-01T00:00:00.000Z");
  });
  it("extends to the minimum validity when the original would expire sooner", () => {
    expect(refundExpiry("2027-02-03T00:00:00.000Z", new Date("2027-02-01T00:00:00Z"), 14)).toBe("2027-02-15T00:00:00.000Z");
  });
});
