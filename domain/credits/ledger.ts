/**
 * The credit ledger is append-only. Entries that ADD credit create a "lot" (grant, positive adjust) with an expiry,
 * a paid value and a funding; entries that TAKE credit name the lot they take from (debit, expire, clawback,
 * negative adjust) and carry the share of its paid value they take; a refund RETURNS minutes and value to the lot
 * they were taken from. Freezes and unfreezes (a disputed payment) mark a lot unspendable and spendable again.
 * An `extend` (a paused plan) moves a lot's expiry to the instant it names (later on a pause, back on an early resume).
 * A balance is never stored: it is folded from the entries, counting only lots that are unexpired and not frozen.
 */
export const LEDGER_KINDS = ["grant", "adjust", "debit", "refund", "expire", "clawback", "freeze", "unfreeze", "extend"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Who paid for a lot: the student (`paid`, with its value in cents) or the platform (`promo`, worth 0 cents). */
export type Funding = "paid" | "promo";

export type LedgerEntry = {
  id: string;
  kind: LedgerKind;
  /** Minutes moved, never negative, except `adjust`, whose sign says whether it adds a lot or takes. */
  minutes: number;
  /** Paid value moved with those minutes, in cents, never negative; for a lot-creating entry, the lot's value. */
  paidCents: number;
  /** The lot taken from, returned to, frozen or unfrozen; null for a lot-creating entry (its own id is the lot). */
  lotId: string | null;
  /** Lot-creating entries: when the lot expires (ISO UTC). Refunds and unfreezes: the lot's later expiry from then on, or null. Extends: the lot's expiry from then on. */
  expiresAt: string | null;
  /** Lot-creating entries only. */
  funding: Funding | null;
  /** Lot-creating entries only: the purchase the credit came from (Stripe invoice / payment), null for promo. */
  purchaseRef: string | null;
  /** Debits and refunds: the reservation. Clawbacks, freezes: the Stripe refund or dispute. Lots: their grant id. Takes: their take id or null. */
  ref: string | null;
  createdAt: string;
};

export type Lot = {
  id: string;
  kind: "grant" | "adjust";
  funding: Funding;
  purchaseRef: string | null;
  minutes: number;
  paidCents: number;
  remainingMinutes: number;
  remainingCents: number;
  /** The lot's expiry: its own, moved later by refunds that had to keep credit usable (see `refundExpiry`). */
  expiresAt: string;
  createdAt: string;
  /** Frozen by an open dispute: not spendable, does not expire until the dispute closes. */
  frozen: boolean;
};

export type Balance = {
  /** Spendable now: unexpired, unfrozen lots. */
  balanceMinutes: number;
  /** The promotional part of `balanceMinutes`. */
  promoMinutes: number;
  /** Minutes held back by open disputes. */
  frozenMinutes: number;
  /** Spendable lots with something left, the one expiring first first. */
  lots: Lot[];
  /** Frozen lots with something left. */
  frozen: Lot[];
  /** Lots past their expiry that still hold minutes no `expire` entry has taken yet (frozen ones wait). */
  expiredUnrecorded: Lot[];
  /** Every lot, in expiry order. */
  all: Lot[];
};

export const createsLot = (e: Pick<LedgerEntry, "kind" | "minutes">) => e.kind === "grant" || (e.kind === "adjust" && e.minutes > 0);
export const takesCredit = (e: Pick<LedgerEntry, "kind" | "minutes">) => e.kind === "debit" || e.kind === "expire" || e.kind === "clawback" || (e.kind === "adjust" && e.minutes < 0);

const byExpiry = (a: Lot, b: Lot) => a.expiresAt.localeCompare(b.expiresAt) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/**
 * Folds entries (in ledger order) into lots and a balance at `now`. Throws if the ledger ever took more minutes
 * or cents from a lot than it held, or names a lot that does not exist: such a ledger is corrupt, not a case.
 */
export function foldLedger(entries: readonly LedgerEntry[], now: Date): Balance {
  const lots = new Map<string, Lot>();
  for (const e of entries) {
    if (!createsLot(e)) continue;
    if (!e.expiresAt || !e.funding) throw new Error(`Ledger entry ${e.id} adds credit without an expiry or funding.`);
    const minutes = Math.abs(e.minutes);
    lots.set(e.id, {
      id: e.id,
      kind: e.kind === "grant" ? "grant" : "adjust",
      funding: e.funding,
      purchaseRef: e.purchaseRef,
      minutes,
      paidCents: e.paidCents,
      remainingMinutes: minutes,
      remainingCents: e.paidCents,
      expiresAt: e.expiresAt,
      createdAt: e.createdAt,
      frozen: false,
    });
  }
  for (const e of entries) {
    if (createsLot(e)) continue;
    const lot = e.lotId ? lots.get(e.lotId) : undefined;
    if (!lot) throw new Error(`Ledger entry ${e.id} names unknown lot ${e.lotId}.`);
    if (e.kind === "freeze" || e.kind === "unfreeze") {
      lot.frozen = e.kind === "freeze";
      if (e.kind === "unfreeze" && e.expiresAt && e.expiresAt > lot.expiresAt) lot.expiresAt = e.expiresAt;
      continue;
    }
    if (e.kind === "extend") {
      if (e.expiresAt) lot.expiresAt = e.expiresAt;
      continue;
    }
    const sign = e.kind === "refund" ? 1 : -1;
    lot.remainingMinutes += sign * Math.abs(e.minutes);
    lot.remainingCents += sign * e.paidCents;
    if (e.kind === "refund" && e.expiresAt && e.expiresAt > lot.expiresAt) lot.expiresAt = e.expiresAt;
    if (lot.remainingMinutes < 0 || lot.remainingCents < 0) throw new Error(`Lot ${lot.id} went negative.`);
    if (lot.remainingMinutes > lot.minutes || lot.remainingCents > lot.paidCents) throw new Error(`Lot ${lot.id} got back more than it held.`);
  }
  const at = now.toISOString();
  const all = [...lots.values()].sort(byExpiry);
  const live = all.filter((l) => l.expiresAt > at && l.remainingMinutes > 0);
  const usable = live.filter((l) => !l.frozen);
  const frozen = all.filter((l) => l.frozen && l.remainingMinutes > 0);
  const sum = (xs: Lot[]) => xs.reduce((s, l) => s + l.remainingMinutes, 0);
  return {
    balanceMinutes: sum(usable),
    promoMinutes: sum(usable.filter((l) => l.funding === "promo")),
    frozenMinutes: sum(frozen),
    lots: usable,
    frozen,
    expiredUnrecorded: all.filter((l) => l.expiresAt <= at && l.remainingMinutes > 0 && !l.frozen),
    all,
  };
}

/** One lot's part of a spend, with its exact share of the lot's paid value. */
export type AllocationSlice = { lotId: string; minutes: number; paidCents: number; funding: Funding };
export type Allocation = AllocationSlice[];

/**
 * The paid value of `take` minutes out of what is left of a lot. Rounded down, except that the last minutes carry
 * whatever value is left: so the slices of a fully spent lot add up to exactly its paid value.
 */
export function apportionCents(remainingMinutes: number, remainingCents: number, take: number): number {
  if (!Number.isInteger(take) || take <= 0 || take > remainingMinutes) throw new RangeError(`Cannot take ${take} of ${remainingMinutes} minutes.`);
  return take === remainingMinutes ? remainingCents : Math.floor((remainingCents * take) / remainingMinutes);
}

/** Takes `minutes` from `lots` in their order, each slice with its share of value. `null` when they hold too little. */
export function takeFrom(lots: readonly Lot[], minutes: number): Allocation | null {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`Cannot take ${minutes} minutes.`);
  const taken: Allocation = [];
  let left = minutes;
  for (const lot of lots) {
    if (left === 0) break;
    const take = Math.min(left, lot.remainingMinutes);
    if (take === 0) continue;
    taken.push({ lotId: lot.id, minutes: take, paidCents: apportionCents(lot.remainingMinutes, lot.remainingCents, take), funding: lot.funding });
    left -= take;
  }
  return left === 0 ? taken : null;
}

/** Spends `minutes` from the spendable lots that expire first; `null` when the balance is short. */
export function allocate(balance: Balance, minutes: number): Allocation | null {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`Cannot spend ${minutes} minutes.`);
  if (balance.balanceMinutes < minutes) return null;
  return takeFrom(balance.lots, minutes);
}

/**
 * What a refund of a reservation gives back: its debits less its refunds so far, per lot, with their value. A full
 * refund gives back all of it, so a reservation is never refunded twice. With `upToMinutes`, the reservation ends up
 * refunded that many minutes in all (a session that ended early): what earlier refunds gave counts, so a repeat
 * gives nothing more, and the lots taken last are given back first.
 */
export function refundable(entries: readonly LedgerEntry[], reservationId: string, lots: readonly Lot[], upToMinutes?: number): Allocation {
  const net = new Map<string, { minutes: number; paidCents: number }>();
  let refunded = 0;
  let debited = 0;
  for (const e of entries) {
    if (e.ref !== reservationId || !e.lotId || (e.kind !== "debit" && e.kind !== "refund")) continue;
    const sign = e.kind === "debit" ? 1 : -1;
    if (e.kind === "debit") debited += e.minutes;
    else refunded += e.minutes;
    const n = net.get(e.lotId) ?? { minutes: 0, paidCents: 0 };
    net.set(e.lotId, { minutes: n.minutes + sign * e.minutes, paidCents: n.paidCents + sign * e.paidCents });
  }
  const funding = new Map(lots.map((l) => [l.id, l.funding]));
  const slices = [...net]
    .filter(([, n]) => n.minutes > 0)
    .map(([lotId, n]) => {
      const f = funding.get(lotId);
      if (!f) throw new Error(`Reservation ${reservationId} took from unknown lot ${lotId}.`);
      return { lotId, minutes: n.minutes, paidCents: n.paidCents, funding: f };
    });
  if (upToMinutes === undefined) return slices;
  let want = Math.max(0, Math.min(upToMinutes, debited) - refunded);
  const partial: Allocation = [];
  for (const s of slices.reverse()) {
    if (want === 0) break;
    const take = Math.min(want, s.minutes);
    partial.push({ ...s, minutes: take, paidCents: apportionCents(s.minutes, s.paidCents, take) });
    want -= take;
  }
  return partial;
}

/**
 * A lot's expiry once a refund has returned credit to it: unchanged when still far enough away, otherwise moved to
 * `minValidityDays` from now, so refunded credit (and the lot it belongs to) stays usable at least that long.
 */
export function refundExpiry(lotExpiresAt: string, now: Date, minValidityDays: number): string {
  const floor = new Date(now.getTime() + minValidityDays * 86_400_000).toISOString();
  return lotExpiresAt > floor ? lotExpiresAt : floor;
}

/** The lots a purchase bought, oldest first. */
export const lotsOfPurchase = (balance: Balance, purchaseRef: string) =>
  balance.all.filter((l) => l.purchaseRef === purchaseRef).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));

/**
 * How many credit-minutes a (partial) refund of a payment takes back: the refunded share of what the payment
 * bought, rounded to the nearest minute. Stripe reports `amount_refunded` cumulatively, so this is a running target.
 */
export function refundTargetMinutes(purchasedMinutes: number, refundedCents: number, amountCents: number): number {
  if (amountCents <= 0 || refundedCents <= 0) return 0;
  return Math.round((purchasedMinutes * Math.min(refundedCents, amountCents)) / amountCents);
}

/**
 * What a claim on a purchase (a Stripe refund or a lost dispute) takes now: up to `wanted` minutes from what is left
 * of the purchase's lots, expired or frozen included. Spent minutes are not taken; they come back into reach when
 * a booking paid with them is refunded, and the claim is settled again then.
 */
export function clawbackPlan(lots: readonly Lot[], wanted: number): Allocation {
  const left = lots.reduce((s, l) => s + l.remainingMinutes, 0);
  const take = Math.min(wanted, left);
  return take > 0 ? (takeFrom(lots, take) ?? []) : [];
}

/** How many more promotional minutes a student may receive under the cap (what is usable now counts). */
export function promoRoom(balance: Balance, capMinutes: number): number {
  return Math.max(0, capMinutes - balance.promoMinutes);
}
