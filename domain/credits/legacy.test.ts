import { describe, expect, it } from "vitest";
import { type LegacyRow, legacyLotValue, translateLegacyLedger } from "./legacy";
import { foldLedger } from "./ledger";

const row = (r: Partial<LegacyRow> & Pick<LegacyRow, "id" | "kind" | "minutes" | "createdAt">): LegacyRow => ({
  lotId: null,
  expiresAt: null,
  reservationId: null,
  sourceRef: null,
  reason: null,
  actorId: null,
  ...r,
});
const now = new Date("2027-03-01T00:00:00Z");

describe("legacyLotValue", () => {
  it.each([
    ["a plan month by its catalog price", { kind: "grant", minutes: 480, sourceRef: "invoice:in_1", reason: "Standard · 8 hours a month (subscription_cycle)" }, { funding: "paid", paidCents: 22_000 }],
    ["a pack by its id", { kind: "grant", minutes: 60, sourceRef: "pi:pi_1", reason: "pack pack-60" }, { funding: "paid", paidCents: 3_500 }],
    ["a prorated upgrade at the nominal 50 cents a minute", { kind: "grant", minutes: 160, sourceRef: "invoice:in_2", reason: "upgrade (prorated)" }, { funding: "paid", paidCents: 8_000 }],
    ["an admin's credit as promotional", { kind: "adjust", minutes: 60, sourceRef: null, reason: "goodwill" }, { funding: "promo", paidCents: 0 }],
    ["demo credit as promotional", { kind: "adjust", minutes: 240, sourceRef: "demo:maya@tutorly.dev", reason: "demo welcome credit" }, { funding: "promo", paidCents: 0 }],
  ] as const)("values %s", (_, r, expected) => {
    expect(legacyLotValue(r)).toMatchObject(expected);
  });
});

describe("translateLegacyLedger", () => {
  const month = row({ id: "m", kind: "grant", minutes: 240, expiresAt: "2027-04-01T00:00:00.000Z", sourceRef: "invoice:in_m", reason: "Starter · 4 hours a month (subscription_create)", createdAt: "2027-02-01T00:00:00.000Z" });

  it("folds refund lots back into the lot they came from, and what was taken from them, keeping the balance", () => {
    const rows = [
      month,
      row({ id: "d1", kind: "debit", minutes: 60, lotId: "m", reservationId: "a", createdAt: "2027-02-02T00:00:00.000Z" }),
      // A transfer: the refund and the new debit at the same instant.
      row({ id: "r1", kind: "refund", minutes: 60, lotId: "m", reservationId: "a", expiresAt: "2027-04-01T00:00:00.000Z", createdAt: "2027-02-03T00:00:00.000Z" }),
      row({ id: "d2", kind: "debit", minutes: 60, lotId: "r1", reservationId: "b", createdAt: "2027-02-03T00:00:00.000Z" }),
      row({ id: "r2", kind: "refund", minutes: 60, lotId: "r1", reservationId: "b", expiresAt: "2027-04-10T00:00:00.000Z", createdAt: "2027-02-04T00:00:00.000Z" }),
    ];
    const entries = translateLegacyLedger(rows, now);
    expect(entries.map((e) => [e.id, e.kind, e.lotId, e.minutes, e.paidCents])).toEqual([
      ["m", "grant", null, 240, 12_000],
      ["d1", "debit", "m", 60, 3_000],
      ["r1", "refund", "m", 60, 3_000],
      ["d2", "debit", "m", 60, 3_000],
      ["r2", "refund", "m", 60, 3_000],
    ]);
    const b = foldLedger(entries, now);
    expect(b.lots.map((l) => [l.id, l.remainingMinutes, l.remainingCents, l.expiresAt])).toEqual([["m", 240, 12_000, "2027-04-10T00:00:00.000Z"]]);
  });

  it("records the expiry of what the old rules had already let lapse, so nothing lapsed comes back", () => {
    const lapsed = row({ id: "old", kind: "grant", minutes: 100, expiresAt: "2027-02-20T00:00:00.000Z", sourceRef: "invoice:in_old", createdAt: "2026-12-20T00:00:00.000Z" });
    const entries = translateLegacyLedger([lapsed, row({ id: "d", kind: "debit", minutes: 30, lotId: "old", reservationId: "x", createdAt: "2027-01-01T00:00:00.000Z" }), month], now);
    expect(entries.find((e) => e.kind === "expire")).toMatchObject({ id: "old:import-expire", lotId: "old", minutes: 70 });
    expect(foldLedger(entries, now).balanceMinutes).toBe(240);
  });

  it("turns an old clawback into a clawback under its Stripe charge", () => {
    const pack = row({ id: "p", kind: "grant", minutes: 60, expiresAt: "2028-01-01T00:00:00.000Z", sourceRef: "pi:pi_1", reason: "pack pack-60", createdAt: "2027-02-01T00:00:00.000Z" });
    const claw = row({ id: "c", kind: "adjust", minutes: -20, lotId: "p", reservationId: "charge:ch_1#20", createdAt: "2027-02-05T00:00:00.000Z" });
    expect(translateLegacyLedger([pack, claw], now)[1]).toMatchObject({ kind: "clawback", minutes: 20, paidCents: 1_166, ref: "charge:ch_1" });
  });
});
