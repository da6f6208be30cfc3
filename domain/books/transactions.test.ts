import { describe, expect, it } from "vitest";
import { ACCOUNTS, ACCOUNT_IDS, sign } from "./accounts";
import {
  type Line,
  type Slice,
  creditClawedBack,
  creditForfeited,
  creditGranted,
  creditReturned,
  creditSpent,
  disputeClosed,
  disputeOpened,
  isBalanced,
  paymentReceived,
  payoutPaid,
  payoutReversed,
  refundPaid,
  seatForfeited,
  sessionRecognized,
  splitEarning,
  taxGivenBack,
  transaction,
} from "./transactions";

const at = "2027-03-01T10:00:00.000Z";
const h = (id: string) => ({ id, at });
const paid = (minutes: number, paidCents: number): Slice => ({ minutes, paidCents, funding: "paid" });
const promo = (minutes: number): Slice => ({ minutes, paidCents: 0, funding: "promo" });
/** A transaction's lines as [account, cents], the way a ledger is read. */
const rows = (lines: Line[] | undefined) => (lines ?? []).map((l) => [l.account, l.amountCents]);

describe("chart of accounts", () => {
  it("names every account and gives each a normal side", () => {
    for (const id of ACCOUNT_IDS) expect(ACCOUNTS[id].name.length).toBeGreaterThan(3);
    expect([sign("stripe_cash"), sign("promotional_cost"), sign("deferred_revenue"), sign("earned_revenue")]).toEqual([1, 1, -1, -1]);
  });
});

describe("transaction", () => {
  it("refuses lines that do not add up to zero or are not whole cents", () => {
    expect(() => transaction("payment", h("x"), "m", [{ account: "stripe_cash", amountCents: 100 }])).toThrow(/add up to 100/);
    expect(() => transaction("payment", h("x"), "m", [{ account: "stripe_cash", amountCents: 0.5 }, { account: "payments_clearing", amountCents: -0.5 }])).toThrow(/whole cents/);
  });
  it("drops zero lines and answers null when no money moves", () => {
    expect(transaction("grant", h("x"), "m", [{ account: "stripe_cash", amountCents: 0 }])).toBeNull();
  });
});

describe("a purchase", () => {
  it("is cash in, owed as credit until the wallet grants it; the grant turns it into deferred revenue", () => {
    const pay = paymentReceived({ ...h("stripe:evt_1"), amountCents: 12_000, cashRef: "pi_1", purchaseRef: "in_1", studentId: "s" });
    expect(rows(pay?.lines)).toEqual([["stripe_cash", 12_000], ["payments_clearing", -12_000]]);
    expect(pay?.lines[0]?.ref).toBe("pi_1");
    const grant = creditGranted({ ...h("ledger:g"), studentId: "s", minutes: 240, paidCents: 12_000, funding: "paid", purchaseRef: "in_1" });
    expect(rows(grant?.lines)).toEqual([["payments_clearing", 12_000], ["deferred_revenue", -12_000]]);
  });

  it("tax included in a payment is owed apart, never credit", () => {
    const pay = paymentReceived({ ...h("stripe:evt_2"), amountCents: 12_600, taxCents: 600, cashRef: "pi_2", purchaseRef: "invoice:in_2", studentId: "s" });
    expect(rows(pay?.lines)).toEqual([["stripe_cash", 12_600], ["payments_clearing", -12_000], ["taxes_payable", -600]]);
  });

  it("promotional credit moves no money when granted", () => {
    expect(creditGranted({ ...h("ledger:w"), studentId: "s", minutes: 60, paidCents: 0, funding: "promo", purchaseRef: null })).toBeNull();
  });

  it("paid credit must name its purchase", () => {
    expect(() => creditGranted({ ...h("ledger:g"), studentId: "s", minutes: 60, paidCents: 100, funding: "paid", purchaseRef: null })).toThrow(/purchase/);
  });
});

describe("spending and giving back", () => {
  const slices = [paid(30, 1_500), promo(30), paid(30, 1_237)];

  it("a spend moves only the paid slices' value from unspent to booked", () => {
    const t = creditSpent({ ...h("ledger:d"), studentId: "s", reservationId: "r", bookingId: "b", slices });
    expect(rows(t?.lines)).toEqual([["deferred_revenue", 2_737], ["booked_sessions", -2_737]]);
    expect(t?.lines.every((l) => l.reservationId === "r" && l.bookingId === "b")).toBe(true);
  });

  it("a spend of promotional credit alone moves no money", () => {
    expect(creditSpent({ ...h("ledger:d"), studentId: "s", reservationId: "r", bookingId: null, slices: [promo(60)] })).toBeNull();
  });

  it("a return before the session takes place comes back from booked", () => {
    const t = creditReturned({ ...h("ledger:r"), studentId: "s", reservationId: "r", bookingId: "b", slices, bookedCents: 2_737 });
    expect(rows(t?.lines)).toEqual([["booked_sessions", 2_737], ["deferred_revenue", -2_737]]);
  });

  it("a return after the session was recognised is a refund the platform bears", () => {
    const t = creditReturned({ ...h("ledger:r"), studentId: "s", reservationId: "r", bookingId: "b", slices: [paid(15, 700)], bookedCents: 200 });
    expect(rows(t?.lines)).toEqual([["booked_sessions", 200], ["refunds", 500], ["deferred_revenue", -700]]);
  });

  it("expired or withdrawn paid credit is breakage", () => {
    expect(rows(creditForfeited({ ...h("ledger:x"), studentId: "s", slices: [paid(40, 1_999), promo(20)], reason: "expired" })?.lines)).toEqual([
      ["deferred_revenue", 1_999],
      ["breakage", -1_999],
    ]);
    expect(creditForfeited({ ...h("ledger:x"), studentId: "s", slices: [promo(20)], reason: "withdrawn" })).toBeNull();
  });
});

describe("refunds and disputes", () => {
  it("a Stripe refund costs what was refunded beyond the unspent credit taken back", () => {
    const cash = refundPaid({ ...h("stripe:evt_r"), amountCents: 9_900, chargeRef: "ch_1", studentId: "s" });
    const back = creditClawedBack({ ...h("ledger:c"), studentId: "s", slices: [paid(120, 6_600)], cause: "refund", purchaseRef: "pi_1" });
    const refunds = [...cash!.lines, ...back!.lines].filter((l) => l.account === "refunds").reduce((s, l) => s + l.amountCents, 0);
    expect(refunds).toBe(3_300);
    expect(rows(cash?.lines)).toEqual([["refunds", 9_900], ["stripe_cash", -9_900]]);
  });

  it("a dispute holds the money, then returns it (won) or loses it (lost) less the credit taken back", () => {
    expect(rows(disputeOpened({ ...h("stripe:d1"), amountCents: 12_000, disputeRef: "dp_1", studentId: "s" })?.lines)).toEqual([
      ["disputed_funds", 12_000],
      ["stripe_cash", -12_000],
    ]);
    expect(rows(disputeClosed({ ...h("stripe:d2"), amountCents: 12_000, disputeRef: "dp_1", won: true, studentId: "s" })?.lines)).toEqual([
      ["stripe_cash", 12_000],
      ["disputed_funds", -12_000],
    ]);
    const lost = disputeClosed({ ...h("stripe:d3"), amountCents: 12_000, disputeRef: "dp_1", won: false, studentId: "s" });
    const back = creditClawedBack({ ...h("ledger:c"), studentId: "s", slices: [paid(60, 3_000)], cause: "dispute", purchaseRef: "in_1" });
    const loss = [...lost!.lines, ...back!.lines].filter((l) => l.account === "dispute_losses").reduce((s, l) => s + l.amountCents, 0);
    expect(loss).toBe(9_000);
  });
});

describe("tax given back", () => {
  const tax = { cents: 594, purchaseRef: "pi:pi_1" };
  it("a refund's share of the tax is no longer owed: only the rest is a refund", () => {
    expect(rows(refundPaid({ ...h("stripe:r"), amountCents: 10_494, chargeRef: "ch_1", studentId: "s", tax })?.lines)).toEqual([
      ["refunds", 9_900],
      ["taxes_payable", 594],
      ["stripe_cash", -10_494],
    ]);
  });

  it("a lost dispute's share of the tax is no longer owed; a won one moves no tax", () => {
    const lost = disputeClosed({ ...h("stripe:d"), amountCents: 10_494, disputeRef: "dp_1", won: false, studentId: "s", tax });
    expect(rows(lost?.lines)).toEqual([
      ["dispute_losses", 9_900],
      ["taxes_payable", 594],
      ["disputed_funds", -10_494],
    ]);
    expect(lost?.lines.find((l) => l.account === "taxes_payable")?.ref).toBe("pi:pi_1");
    expect(rows(disputeClosed({ ...h("stripe:w"), amountCents: 10_494, disputeRef: "dp_1", won: true, studentId: "s" })?.lines)).toEqual([
      ["stripe_cash", 10_494],
      ["disputed_funds", -10_494],
    ]);
  });

  it("is proportional and cumulative: refunds adding up to the payment give back exactly its tax, never more", () => {
    const paidCents = 10_494;
    let reversed = 0;
    let taken = 0;
    for (const part of [1, 3_000, 7, 2_500, 4_986]) {
      taken += part;
      reversed += taxGivenBack({ taxCents: 594, paidCents, takenBackCents: taken, reversedCents: reversed });
    }
    expect(taken).toBe(paidCents);
    expect(reversed).toBe(594);
    expect(taxGivenBack({ taxCents: 594, paidCents, takenBackCents: 3_000, reversedCents: 0 })).toBe(170);
    expect(taxGivenBack({ taxCents: 594, paidCents, takenBackCents: 20_000, reversedCents: 594 })).toBe(0);
    expect(taxGivenBack({ taxCents: 0, paidCents, takenBackCents: paidCents, reversedCents: 0 })).toBe(0);
  });

  it("never gives back more than the money moved, and balances", () => {
    const t = refundPaid({ ...h("stripe:r2"), amountCents: 100, chargeRef: "ch_1", studentId: "s", tax: { cents: 500, purchaseRef: "pi:pi_1" } });
    expect(rows(t?.lines)).toEqual([["taxes_payable", 100], ["stripe_cash", -100]]);
    expect(t && isBalanced(t)).toBe(true);
  });
});

describe("recognition", () => {
  const base = { creditMinuteCents: 50, commissionPercent: 20 };

  it.each([
    ["paid credit only, full earning", { bookedCents: 3_000, promoMinutes: 0, earningCents: 2_400 }, { fromPaid: 2_400, fromPromo: 0, overrun: 0, revenue: 600 }],
    ["a coupon made the credit cheaper: the earning is of what was paid", { bookedCents: 2_250, promoMinutes: 0, earningCents: 1_800 }, { fromPaid: 1_800, fromPromo: 0, overrun: 0, revenue: 450 }],
    ["half promotional", { bookedCents: 1_500, promoMinutes: 30, earningCents: 2_400 }, { fromPaid: 1_200, fromPromo: 1_200, overrun: 0, revenue: 300 }],
    ["nobody attended: nothing earned, all revenue", { bookedCents: 3_000, promoMinutes: 0, earningCents: 0 }, { fromPaid: 0, fromPromo: 0, overrun: 0, revenue: 3_000 }],
    ["an earning beyond what the credit paid for is an overrun", { bookedCents: 3_000, promoMinutes: 0, earningCents: 80_000 }, { fromPaid: 2_400, fromPromo: 0, overrun: 77_600, revenue: 600 }],
  ] as const)("%s", (_, input, out) => {
    expect(splitEarning({ ...base, ...input })).toEqual(out);
  });

  it("empties booked for every seat and owes the tutor their earning", () => {
    const t = sessionRecognized({
      ...h("session:b"),
      ...base,
      bookingId: "b",
      tutorId: "t",
      booked: [
        { reservationId: "r1", studentId: "s1", cents: 2_100 },
        { reservationId: "r2", studentId: "s2", cents: 1_050 },
      ],
      promoMinutes: 42,
      earningCents: 3_200,
    });
    expect(rows(t?.lines)).toEqual([
      ["booked_sessions", 2_100],
      ["booked_sessions", 1_050],
      ["tutor_payable", -3_200],
      ["earned_revenue", -630],
      ["promotional_cost", 680],
    ]);
    expect(isBalanced(t!)).toBe(true);
  });
});

describe("a seat kept from a late cancellation", () => {
  it("moves what is still booked for the seat to session revenue, on the seat's booking, student and tutor", () => {
    const t = seatForfeited({ ...h("forfeit:r1"), reservationId: "r1", studentId: "s", bookingId: "b", tutorId: "t", bookedCents: 3_300, cause: "cancelled_late" });
    expect(rows(t?.lines)).toEqual([["booked_sessions", 3_300], ["earned_revenue", -3_300]]);
    expect(t?.kind).toBe("forfeit");
    expect(t?.lines.every((l) => l.reservationId === "r1" && l.bookingId === "b" && l.studentId === "s" && l.tutorId === "t")).toBe(true);
  });
  it("moves nothing when nothing paid is booked for it", () => {
    expect(seatForfeited({ ...h("forfeit:r2"), reservationId: "r2", studentId: "s", bookingId: "b", tutorId: "t", bookedCents: 0, cause: "untaught" })).toBeNull();
  });
});

describe("payouts", () => {
  it("a paid transfer settles what the tutor is owed; a reversal owes it again", () => {
    expect(rows(payoutPaid({ ...h("payout:p"), amountCents: 4_800, tutorId: "t", transferRef: "tr_1" })?.lines)).toEqual([
      ["tutor_payable", 4_800],
      ["stripe_cash", -4_800],
    ]);
    expect(rows(payoutReversed({ ...h("stripe:e"), amountCents: 4_800, tutorId: "t", transferRef: "tr_1" })?.lines)).toEqual([
      ["stripe_cash", 4_800],
      ["tutor_payable", -4_800],
    ]);
  });
});
