import { describe, expect, it } from "vitest";
import { type JournalCash, type StripeMovement, reconcileCash, reconcileClearing } from "./reconcile";

const at = "2027-03-10T12:00:00.000Z";
const always = () => true;
const charge = (id: string, pi: string, amount: number): StripeMovement => ({ id: `txn_${id}`, at, category: "payment", source: id, keys: [id, pi], amountCents: amount, feeCents: 30 });
const refund = (id: string, ch: string, pi: string, amount: number): StripeMovement => ({ id: `txn_${id}`, at, category: "refund", source: id, keys: [id, ch, pi], amountCents: -amount, feeCents: 0 });
const cash = (txId: string, category: JournalCash["category"], ref: string, amountCents: number): JournalCash => ({ txId, at, category, ref, amountCents });

describe("reconcileCash", () => {
  it("matches a payment and its refund through the payment intent, whatever ids each side kept", () => {
    const stripe = [charge("ch_1", "pi_1", 9_900), refund("re_1", "ch_1", "pi_1", 3_300)];
    const journal = [cash("stripe:evt_pay", "payment", "pi_1", 9_900), cash("stripe:evt_ref", "refund", "ch_1", -3_300)];
    expect(reconcileCash(journal, stripe, always)).toEqual([]);
  });

  it("names the Stripe object missing from the journal, the journal transaction missing at Stripe, and amounts that differ", () => {
    const stripe = [charge("ch_1", "pi_1", 9_900), charge("ch_2", "pi_2", 12_000), refund("re_2", "ch_2", "pi_2", 1_000)];
    const journal = [cash("stripe:evt_a", "payment", "pi_2", 12_000), cash("stripe:evt_b", "refund", "ch_2", -2_000), cash("payout:p1", "transfer", "tr_9", -4_800)];
    const found = reconcileCash(journal, stripe, always);
    expect(found.map((m) => [m.code, m.stripe.map((s) => s.source), m.journal])).toEqual([
      ["amount_differs", ["re_2"], ["stripe:evt_b"]],
      ["missing_in_journal", ["ch_1"], []],
      ["missing_at_stripe", [], ["payout:p1"]],
    ]);
    expect(found[0]).toMatchObject({ stripeCents: -1_000, journalCents: -2_000 });
  });

  it("reports a group only when one of its movements falls in the period", () => {
    const old = { ...charge("ch_1", "pi_1", 9_900), at: "2027-02-27T00:00:00.000Z" };
    expect(reconcileCash([], [old], (t) => t >= "2027-03-01")).toEqual([]);
    expect(reconcileCash([], [old], (t) => t >= "2027-02-01")).toHaveLength(1);
  });
});

describe("reconcileClearing", () => {
  it("a payment nobody was credited for, and credit granted without a payment", () => {
    const found = reconcileClearing([
      { ref: "in_1", balanceCents: 0, txIds: ["a", "b"] },
      { ref: "in_2", balanceCents: -12_000, txIds: ["stripe:evt_2"] },
      { ref: "pi_3", balanceCents: 3_500, txIds: ["ledger:g3"] },
    ]);
    expect(found.map((m) => [m.code, m.journal, m.journalCents])).toEqual([
      ["payment_not_credited", ["stripe:evt_2"], 12_000],
      ["credit_without_payment", ["ledger:g3"], 3_500],
    ]);
  });
});
