/**
 * The credit ledger is append-only. Entries that ADD credit create a "lot" with an expiry (grant, refund, positive
 * adjust); entries that TAKE credit name the lot they take from (debit, expire, negative adjust). A balance is
 * never stored: it is folded from the entries, counting only lots that have not expired at `now`.
 */
export type LedgerKind = "grant" | "debit" | "refund" | "expire" | "adjust";

export type LedgerEntry = {
  id: string;
  kind: LedgerKind;
  /** Always positive, except `adjust`, whose sign says whether it adds or takes. */
  minutes: number;
  /** For entries that take: the lot taken from. For a refund: the lot its credit originally came from. */
  lotId: string | null;
  /** For entries that add: when the new lot expires (ISO UTC). */
  expiresAt: string | null;
  createdAt: string;
};

export type Lot = { id: string; kind: LedgerKind; minutes: number; remainingMinutes: number; expiresAt: string; createdAt: string };

export type Balance = {
  balanceMinutes: number;
  /** Usable lots (unexpired, something left), the one expiring first first. */
  lots: Lot[];
  /** Lots past their expiry that still hold minutes no `expire` entry has taken yet. */
  expiredUnrecorded: Lot[];
};

const addsCredit = (e: LedgerEntry) => e.kind === "grant" || e.kind === "refund" || (e.kind === "adjust" && e.minutes > 0);

const byExpiry = (a: Lot, b: Lot) => a.expiresAt.localeCompare(b.expiresAt) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);

/** Folds entries into lots and a balance at `now`. Throws if the ledger ever took more from a lot than it held. */
export function foldLedger(entries: readonly LedgerEntry[], now: Date): Balance {
  const lots = new Map<string, Lot>();
  for (const e of entries) {
    if (addsCredit(e)) {
      if (!e.expiresAt) throw new Error(`Ledger entry ${e.id} adds credit without an expiry.`);
      lots.set(e.id, { id: e.id, kind: e.kind, minutes: Math.abs(e.minutes), remainingMinutes: Math.abs(e.minutes), expiresAt: e.expiresAt, createdAt: e.createdAt });
    }
  }
  for (const e of entries) {
    if (addsCredit(e) || e.kind === "refund") continue;
    const lot = e.lotId ? lots.get(e.lotId) : undefined;
    if (!lot) throw new Error(`Ledger entry ${e.id} takes from unknown lot ${e.lotId}.`);
    lot.remainingMinutes -= Math.abs(e.minutes);
    if (lot.remainingMinutes < 0) throw new Error(`Lot ${lot.id} went negative.`);
  }
  const at = now.toISOString();
  const all = [...lots.values()].sort(byExpiry);
  const usable = all.filter((l) => l.expiresAt > at && l.remainingMinutes > 0);
  return {
    balanceMinutes: usable.reduce((sum, l) => sum + l.remainingMinutes, 0),
    lots: usable,
    expiredUnrecorded: all.filter((l) => l.expiresAt <= at && l.remainingMinutes > 0),
  };
}

export type Allocation = { lotId: string; minutes: number }[];

/** Takes `minutes` from the lots that expire first; `null` when the balance is short. */
export function allocate(balance: Balance, minutes: number): Allocation | null {
  if (!Number.isInteger(minutes) || minutes <= 0) throw new RangeError(`Cannot spend ${minutes} minutes.`);
  if (balance.balanceMinutes < minutes) return null;
  const taken: Allocation = [];
  let left = minutes;
  for (const lot of balance.lots) {
    if (left === 0) break;
    const take = Math.min(left, lot.remainingMinutes);
    taken.push({ lotId: lot.id, minutes: take });
    left -= take;
  }
  return taken;
}

/** When a refunded lot expires: its original expiry, but never sooner than `minValidityDays` from now. */
export function refundExpiry(originalExpiresAt: string, now: Date, minValidityDays: number): string {
  const floor = new Date(now.getTime() + minValidityDays * 86_400_000).toISOString();
  return originalExpiresAt > floor ? originalExpiresAt : floor;
}
