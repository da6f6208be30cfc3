import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PACKS, PLANS } from "../billing/catalog";
import { type AllocationSlice, type LedgerEntry, allocate, foldLedger } from "../credits/ledger";
import { seatEarningCents } from "../billing/earnings";
import { CREDIT_MINUTE_CENTS, seatPrice } from "../credits/pricing";
import { type AccountId, shownBalance } from "./accounts";
import { type Transaction, creditGranted, creditSpent, isBalanced, paidCentsOf, paymentReceived, promoMinutesOf, sessionRecognized, splitEarning } from "./transactions";

/**
 * Conservation, over random purchases (plans and packs, with coupons lowering what was paid), promotional
 * credit, tutors' rates, durations and group sizes: for every session the tutor never earns more from paid
 * credit than its revenue less the commission; promotional credit that pays a tutor is booked as promotional
 * cost; every transaction balances; and the books agree with the wallet (deferred = unspent paid value).
 *
 * Spends are the wallet's own (domain/credits/ledger.ts: first-expiring lot first, paid value apportioned exactly),
 * prices are the tutor's (domain/credits/pricing.ts) and earnings are fixed per seat as the calendar fixes them
 * (domain/billing/earnings.ts): the journal is checked against the very rules that charge and pay.
 */
const NOW = new Date("2027-03-01T00:00:00.000Z");
const inDays = (d: number) => new Date(NOW.getTime() + d * 86_400_000).toISOString();

/** The wallet's own spend (domain/credits/ledger.ts): first-expiring lot first, each slice with its exact share. */
function spend(entries: LedgerEntry[], minutes: number): AllocationSlice[] | null {
  const allocation = allocate(foldLedger(entries, NOW), minutes);
  if (!allocation) return null;
  for (const a of allocation) {
    entries.push({ id: `d${entries.length}`, kind: "debit", minutes: a.minutes, paidCents: a.paidCents, lotId: a.lotId, expiresAt: null, funding: null, purchaseRef: null, ref: null, createdAt: NOW.toISOString() });
  }
  return allocation;
}

const lotEntry = (id: string, minutes: number, paidCents: number, funding: "paid" | "promo", days: number): LedgerEntry => ({
  id,
  kind: "grant",
  minutes,
  paidCents,
  lotId: null,
  expiresAt: inDays(days),
  funding,
  purchaseRef: funding === "paid" ? id : null,
  ref: id,
  createdAt: NOW.toISOString(),
});

const seatCost = (rateCents: number, duration: number, seats: number | null) =>
  seats === null ? seatPrice({ kind: "one_on_one", hourlyRateCents: rateCents, durationMinutes: duration }) : seatPrice({ kind: "group", hourlyRateCents: rateCents, durationMinutes: duration, seats });

const purchase = fc.record({
  item: fc.constantFrom(...PLANS.filter((p) => p.priceCents > 0).map((p) => ({ minutes: p.monthlyMinutes, priceCents: p.priceCents })), ...PACKS.map((p) => ({ minutes: p.minutes, priceCents: p.priceCents }))),
  couponPercent: fc.constantFrom(0, 0, 10, 25, 50, 100),
  expiresInDays: fc.integer({ min: 1, max: 365 }),
});
const promoGrant = fc.record({ minutes: fc.integer({ min: 1, max: 120 }), expiresInDays: fc.integer({ min: 1, max: 365 }) });
const session = fc.record({
  rateCents: fc.integer({ min: 500, max: 100_000 }),
  duration: fc.constantFrom(30, 45, 60, 90, 120),
  seats: fc.option(fc.integer({ min: 2, max: 8 }), { nil: null }),
  students: fc.integer({ min: 1, max: 8 }),
});
const world = fc.record({
  commission: fc.integer({ min: 0, max: 60 }),
  purchases: fc.array(purchase, { minLength: 1, maxLength: 6 }),
  promos: fc.array(promoGrant, { maxLength: 3 }),
  sessions: fc.array(session, { minLength: 1, maxLength: 12 }),
});

function balances(txs: readonly Transaction[]) {
  const out = new Map<AccountId, number>();
  for (const t of txs) for (const l of t.lines) out.set(l.account, (out.get(l.account) ?? 0) + l.amountCents);
  return (a: AccountId) => shownBalance(a, out.get(a) ?? 0);
}

describe("conservation (property)", () => {
  it("no tutor earns more from paid credit than its revenue less commission; promo is promotional cost; everything balances", () => {
    fc.assert(
      fc.property(world, ({ commission, purchases, promos, sessions }) => {
        const at = NOW.toISOString();
        const entries: LedgerEntry[] = [];
        const txs: Transaction[] = [];
        const post = (t: Transaction | null) => t && txs.push(t);
        purchases.forEach((p, i) => {
          const paidCents = Math.round((p.item.priceCents * (100 - p.couponPercent)) / 100);
          const ref = `in_${i}`;
          entries.push(lotEntry(ref, p.item.minutes, paidCents, "paid", p.expiresInDays));
          if (paidCents > 0) post(paymentReceived({ id: `pay:${i}`, at, amountCents: paidCents, cashRef: `pi_${i}`, purchaseRef: ref, studentId: "s" }));
          post(creditGranted({ id: `grant:${i}`, at, studentId: "s", minutes: p.item.minutes, paidCents, funding: "paid", purchaseRef: ref }));
        });
        promos.forEach((p, i) => {
          entries.push(lotEntry(`promo_${i}`, p.minutes, 0, "promo", p.expiresInDays));
          post(creditGranted({ id: `promo:${i}`, at, studentId: "s", minutes: p.minutes, paidCents: 0, funding: "promo", purchaseRef: null }));
        });

        let earned = 0;
        sessions.forEach((s, i) => {
          const seats = s.seats === null ? 1 : Math.min(s.students, s.seats);
          const cost = seatCost(s.rateCents, s.duration, s.seats);
          const spentBySeat: AllocationSlice[][] = [];
          for (let k = 0; k < seats; k++) {
            const slices = spend(entries, cost);
            if (!slices) break; // out of credit: this seat is not booked
            expect(slices.reduce((m, x) => m + x.minutes, 0)).toBe(cost);
            spentBySeat.push(slices);
            post(creditSpent({ id: `spend:${i}:${k}`, at, studentId: "s", reservationId: `r${i}:${k}`, bookingId: `b${i}`, slices }));
          }
          if (!spentBySeat.length) return;
          const all = spentBySeat.flat();
          const earning = spentBySeat.reduce((e, sl) => e + seatEarningCents(sl, commission), 0);
          const revenue = paidCentsOf(all);
          const split = splitEarning({ bookedCents: revenue, promoMinutes: promoMinutesOf(all), creditMinuteCents: CREDIT_MINUTE_CENTS, earningCents: earning, commissionPercent: commission });
          // The tutor's earning from paid credit never exceeds that credit's revenue less the commission…
          expect(split.fromPaid).toBeLessThanOrEqual(revenue - Math.ceil((revenue * commission) / 100));
          // …and the whole earning is paid for: nothing overruns, the rest is promotional cost.
          expect(split.overrun).toBe(0);
          expect(split.fromPaid + split.fromPromo).toBe(earning);
          post(
            sessionRecognized({
              id: `session:${i}`,
              at,
              bookingId: `b${i}`,
              tutorId: "t",
              booked: spentBySeat.map((sl, k) => ({ reservationId: `r${i}:${k}`, studentId: "s", cents: paidCentsOf(sl) })),
              promoMinutes: promoMinutesOf(all),
              creditMinuteCents: CREDIT_MINUTE_CENTS,
              earningCents: earning,
              commissionPercent: commission,
            }),
          );
          earned += earning;
        });

        for (const t of txs) expect(isBalanced(t)).toBe(true);
        const balance = balances(txs);
        const unspentPaid = foldLedger(entries, NOW).all.reduce((s, l) => s + l.remainingCents, 0);
        expect(balance("deferred_revenue")).toBe(unspentPaid);
        expect(balance("booked_sessions")).toBe(0);
        expect(balance("payments_clearing")).toBe(0);
        expect(balance("tutor_payable")).toBe(earned);
        expect(balance("earning_overrun")).toBe(0);
        // Money in = what students still hold + what the platform kept + what tutors are owed − promotional cost.
        expect(balance("stripe_cash")).toBe(unspentPaid + balance("earned_revenue") + balance("tutor_payable") - balance("promotional_cost"));
      }),
      { numRuns: 400, seed: 12_2027 },
    );
  });
});
