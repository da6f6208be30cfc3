import { describe, expect, it } from "vitest";
import { type LedgerFacts, type ReservationState, ledgerTransaction } from "./ledger";

const at = "2027-03-01T10:00:00.000Z";
const entry = (kind: LedgerFacts["kind"], over: Partial<LedgerFacts> = {}): LedgerFacts => ({
  id: "e1",
  studentId: "s",
  kind,
  minutes: 60,
  paidCents: 3000,
  funding: "paid",
  purchaseRef: "invoice:in_1",
  reservationId: null,
  at,
  ...over,
});
const none: ReservationState = { bookingId: null, bookedCents: 0, recognized: false };
const rows = (e: LedgerFacts, r: ReservationState = none) => ledgerTransaction(e, r)?.lines.map((l) => [l.account, l.amountCents]) ?? null;

describe("ledgerTransaction", () => {
  it.each([
    ["a paid grant", entry("grant", { minutes: 240, paidCents: 12_000 }), [["payments_clearing", 12_000], ["deferred_revenue", -12_000]]],
    ["a promotional grant", entry("grant", { funding: "promo", paidCents: 0, purchaseRef: null }), null],
    ["an admin gift (positive adjust, promotional)", entry("adjust", { funding: "promo", paidCents: 0, purchaseRef: null }), null],
    ["an admin withdrawal of paid credit", entry("adjust", { minutes: -30, paidCents: 1_500 }), [["deferred_revenue", 1_500], ["breakage", -1_500]]],
    ["an expiry", entry("expire", { paidCents: 2_999 }), [["deferred_revenue", 2_999], ["breakage", -2_999]]],
    ["a clawback after a Stripe refund", entry("clawback", { reservationId: "charge:ch_1" }), [["deferred_revenue", 3_000], ["refunds", -3_000]]],
    ["a clawback after a lost dispute", entry("clawback", { reservationId: "dispute:dp_1" }), [["deferred_revenue", 3_000], ["dispute_losses", -3_000]]],
    ["a freeze", entry("freeze"), null],
    ["an unfreeze", entry("unfreeze"), null],
  ] as const)("%s", (_, e, expected) => {
    expect(rows(e)).toEqual(expected);
  });

  it("a spend is booked under its reservation and booking", () => {
    const t = ledgerTransaction(entry("debit", { reservationId: "r1" }), { bookingId: "b1", bookedCents: 0, recognized: false });
    expect(t?.id).toBe("ledger:e1");
    expect(t?.lines.map((l) => [l.account, l.amountCents, l.reservationId, l.bookingId])).toEqual([
      ["deferred_revenue", 3_000, "r1", "b1"],
      ["booked_sessions", -3_000, "r1", "b1"],
    ]);
  });

  it("a spend that reaches the books after its session was recognised is earned at once", () => {
    expect(rows(entry("debit", { reservationId: "r1" }), { bookingId: "b1", bookedCents: 0, recognized: true })).toEqual([
      ["deferred_revenue", 3_000],
      ["earned_revenue", -3_000],
    ]);
  });

  it("a return comes back from what is still booked, the rest is a refund", () => {
    expect(rows(entry("refund", { reservationId: "r1", paidCents: 1_000 }), { bookingId: "b1", bookedCents: 400, recognized: true })).toEqual([
      ["booked_sessions", 400],
      ["refunds", 600],
      ["deferred_revenue", -1_000],
    ]);
  });
});
