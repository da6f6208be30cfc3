import { PACKS, PLANS } from "../billing/catalog";
import { type Funding, type LedgerEntry, type LedgerKind, apportionCents } from "./ledger";

/**
 * Ledgers written before wallets moved into the students' objects: every refund created a lot of its own (pointing
 * at the lot its credit came from), no entry carried value, funding or purchase, and a Stripe refund's clawback was
 * a negative `adjust` whose reservation id was `charge:<id>#<running total>`.
 */
export type LegacyRow = {
  id: string;
  kind: LedgerKind;
  minutes: number;
  lotId: string | null;
  expiresAt: string | null;
  reservationId: string | null;
  sourceRef: string | null;
  reason: string | null;
  actorId: string | null;
  createdAt: string;
};

export type ImportedEntry = LedgerEntry & { reason: string | null; actorId: string | null };

/** The nominal value of a credit-minute when nothing better is known: the Starter plan's price per minute. */
const STARTER = PLANS.find((p) => p.id === "starter")!;
const NOMINAL_MINUTE_CENTS = STARTER.priceCents / STARTER.monthlyMinutes;

const isPurchase = (ref: string | null) => !!ref && (ref.startsWith("invoice:") || ref.startsWith("pi:"));

/**
 * What an old lot was worth: purchases by the catalog (a pack by its id in the reason, a plan month by its
 * minutes), prorated upgrades and anything else at the nominal minute value; admin and demo credit is promotional.
 */
export function legacyLotValue(row: Pick<LegacyRow, "kind" | "minutes" | "sourceRef" | "reason">): { funding: Funding; paidCents: number; purchaseRef: string | null } {
  if (row.kind !== "grant" || !isPurchase(row.sourceRef)) return { funding: "promo", paidCents: 0, purchaseRef: null };
  const pack = PACKS.find((p) => row.reason === `pack ${p.id}`);
  const plan = PLANS.find((p) => p.monthlyMinutes === row.minutes && p.priceCents > 0 && row.reason?.startsWith(p.name));
  const paidCents = pack && pack.minutes === row.minutes ? pack.priceCents : plan ? plan.priceCents : Math.round(row.minutes * NOMINAL_MINUTE_CENTS);
  return { funding: "paid", paidCents, purchaseRef: row.sourceRef };
}

/** Time order, and within one instant: lots first, then what gives back, then what takes (a transfer wrote both). */
const rank = (r: LegacyRow) => (r.kind === "grant" || (r.kind === "adjust" && r.minutes > 0) ? 0 : r.kind === "refund" ? 1 : 2);
const inOrder = (a: LegacyRow, b: LegacyRow) => a.createdAt.localeCompare(b.createdAt) || rank(a) - rank(b) || a.id.localeCompare(b.id);

/**
 * Translates an old ledger into the wallet's model, keeping every row's id (so the D1 rows are repaired in place)
 * and the balance exactly:
 * 1. lots the old rules had already let expire at `now` get their `expire` entry first (ids `<lot>:import-expire`);
 * 2. a refund lot becomes a refund to the original lot it descends from, and what was taken from the refund lot is
 *    taken from that original lot; the refund's expiry moves the original lot's (the wallet's refund rule);
 * 3. values are replayed in order: each take carries its share of its lot's value, each refund gives back what the
 *    debit it undoes took.
 */
export function translateLegacyLedger(rows: readonly LegacyRow[], now: Date): ImportedEntry[] {
  const sorted = [...rows].sort(inOrder);
  const byId = new Map(sorted.map((r) => [r.id, r]));
  const addsOld = (r: LegacyRow) => r.kind === "grant" || r.kind === "refund" || (r.kind === "adjust" && r.minutes > 0);

  // 1. What the old fold had let expire.
  const remaining = new Map<string, number>();
  for (const r of sorted) if (addsOld(r)) remaining.set(r.id, Math.abs(r.minutes));
  for (const r of sorted) {
    if (addsOld(r) || !r.lotId) continue;
    remaining.set(r.lotId, (remaining.get(r.lotId) ?? 0) - Math.abs(r.minutes));
  }
  const at = now.toISOString();
  const expireNow: LegacyRow[] = sorted
    .filter((r) => addsOld(r) && (r.expiresAt ?? "") <= at && (remaining.get(r.id) ?? 0) > 0)
    .map((r) => ({ id: `${r.id}:import-expire`, kind: "expire", minutes: remaining.get(r.id)!, lotId: r.id, expiresAt: null, reservationId: null, sourceRef: null, reason: "expired (at import)", actorId: null, createdAt: at }));

  // 2. Refund lots fold into the lot their credit first came from.
  const root = (lotId: string): string => {
    const lot = byId.get(lotId);
    if (!lot) throw new Error(`Legacy ledger names unknown lot ${lotId}.`);
    return lot.kind === "refund" && lot.lotId ? root(lot.lotId) : lotId;
  };

  // 3. Replay with values.
  const lots = new Map<string, { minutes: number; cents: number; funding: Funding }>();
  const debitCents = new Map<string, number>();
  const out: ImportedEntry[] = [];
  for (const r of [...sorted, ...expireNow]) {
    const base = { id: r.id, reason: r.reason, actorId: r.actorId, createdAt: r.createdAt };
    if (r.kind === "grant" || (r.kind === "adjust" && r.minutes > 0)) {
      const v = legacyLotValue(r);
      lots.set(r.id, { minutes: Math.abs(r.minutes), cents: v.paidCents, funding: v.funding });
      out.push({ ...base, kind: r.kind, minutes: r.minutes, paidCents: v.paidCents, lotId: null, expiresAt: r.expiresAt, funding: v.funding, purchaseRef: v.purchaseRef, ref: r.sourceRef });
      continue;
    }
    if (!r.lotId) throw new Error(`Legacy entry ${r.id} names no lot.`);
    const lotId = root(r.lotId);
    const lot = lots.get(lotId)!;
    const minutes = Math.abs(r.minutes);
    if (r.kind === "refund") {
      // The debit this refund undoes took from the refund's parent lot under the same reservation.
      const cents = debitCents.get(`${r.reservationId}|${r.lotId}`) ?? 0;
      lot.minutes += minutes;
      lot.cents += cents;
      out.push({ ...base, kind: "refund", minutes, paidCents: cents, lotId, expiresAt: r.expiresAt, funding: null, purchaseRef: null, ref: r.reservationId });
      continue;
    }
    const cents = minutes === 0 ? 0 : apportionCents(lot.minutes, lot.cents, minutes);
    lot.minutes -= minutes;
    lot.cents -= cents;
    if (r.kind === "debit") debitCents.set(`${r.reservationId}|${r.lotId}`, cents);
    const clawback = r.kind === "adjust" && r.reservationId?.startsWith("charge:");
    out.push({
      ...base,
      kind: clawback ? "clawback" : r.kind,
      minutes: r.kind === "adjust" && !clawback ? -minutes : minutes,
      paidCents: cents,
      lotId,
      expiresAt: null,
      funding: null,
      purchaseRef: null,
      ref: clawback ? r.reservationId!.replace(/#\d+$/, "") : r.reservationId,
    });
  }
  return out;
}
