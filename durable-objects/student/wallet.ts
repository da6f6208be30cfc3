import { z } from "zod";
import { type Allocation, type Balance, type Funding, type LedgerEntry, POLICY, allocate, foldLedger, promoRoom, refundExpiry, refundable, takeFrom } from "../../domain/credits";
import { expiryAffected, shiftIso } from "../../domain/billing/pause";
import { MOVED_REASON } from "./history";
import type { Outbox } from "./outbox";
import { LedgerRowSchema, toLedgerEntry } from "./storage";

/** Why part of a cancelled reservation's credit came back when its replacement was booked: the new tutor costs less. */
export const CHEAPER_REPLACEMENT_REASON = "replacement booked at a lower price";

const PromiseRowSchema = z.object({ lot_id: z.string(), at: z.string() });

/** `expiresAt`, but not before `floor` (when there is one) unless that is later than `cap` (where the lot is now). */
const notBefore = (expiresAt: string, floor: string | undefined, cap: string) => (floor && floor > expiresAt ? (floor < cap ? floor : cap) : expiresAt);

export type NewEntry = Omit<LedgerEntry, "id" | "createdAt"> & { id?: string; reason?: string | null; actorId?: string | null };

export type GrantInput = {
  /** Applied once per student: a Stripe invoice or payment, an admin request, a welcome, an import. */
  grantId: string;
  kind: "grant" | "adjust";
  minutes: number;
  funding: Funding;
  paidCents: number;
  purchaseRef: string | null;
  expiresAt: string;
  reason: string;
  actorId?: string | null;
  /** What to do with promotional credit beyond the cap: grant what fits, or refuse the whole grant. */
  overPromoCap: "trim" | "refuse";
};
export type GrantResult = { ok: true; lotId: string | null; minutes: number; duplicate: boolean } | { ok: false; code: "promo_cap"; roomMinutes: number };

/**
 * The student's credit: an append-only ledger in the object's SQLite, folded by the pure model in
 * domain/credits/ledger.ts. Every method is synchronous: the caller runs it inside one storage transaction, so a
 * change and its outbox rows are written together or not at all. Each appended entry is queued for D1.
 */
export class Wallet {
  private cache: LedgerEntry[] | undefined;

  constructor(
    private readonly sql: SqlStorage,
    private readonly outbox: Outbox,
  ) {}

  entries(): readonly LedgerEntry[] {
    this.cache ??= this.sql
      .exec("SELECT * FROM ledger ORDER BY seq")
      .toArray()
      .map((r) => toLedgerEntry(LedgerRowSchema.parse(r)));
    return this.cache;
  }

  /** Forgets the in-memory copy (after a transaction rolled back). */
  reload() {
    this.cache = undefined;
  }

  balance(now: Date): Balance {
    return foldLedger(this.entries(), now);
  }

  /** Appends entries and queues each for the D1 projection. */
  append(entries: readonly NewEntry[], now: Date): LedgerEntry[] {
    const at = now.toISOString();
    const added = entries.map(({ reason = null, actorId = null, id = crypto.randomUUID(), ...e }) => {
      this.sql.exec(
        `INSERT INTO ledger (id, kind, minutes, paid_cents, lot_id, expires_at, funding, purchase_ref, ref, reason, actor_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        id, e.kind, e.minutes, e.paidCents, e.lotId, e.expiresAt, e.funding, e.purchaseRef, e.ref, reason, actorId, at,
      );
      this.outbox.enqueue(id, now.getTime());
      return { ...e, id, createdAt: at };
    });
    this.cache?.push(...added);
    return added;
  }

  /** Records `expire` entries for lots past their expiry that still hold credit. Returns the minutes expired. */
  settleExpiries(now: Date): number {
    const { expiredUnrecorded } = this.balance(now);
    this.append(
      expiredUnrecorded.map((l) => ({ kind: "expire", minutes: l.remainingMinutes, paidCents: l.remainingCents, lotId: l.id, expiresAt: null, funding: null, purchaseRef: null, ref: null, reason: "expired" })),
      now,
    );
    return expiredUnrecorded.reduce((s, l) => s + l.remainingMinutes, 0);
  }

  /** Adds a lot, once per grant id; promotional credit is held to the cap. */
  grant(g: GrantInput, now: Date): GrantResult {
    const existing = this.entries().find((e) => e.ref === g.grantId && (e.kind === "grant" || (e.kind === "adjust" && e.minutes > 0)));
    if (existing) return { ok: true, lotId: existing.id, minutes: Math.abs(existing.minutes), duplicate: true };
    let minutes = g.minutes;
    if (g.funding === "promo") {
      const room = promoRoom(this.balance(now), POLICY.promoCapMinutes);
      if (minutes > room && g.overPromoCap === "refuse") return { ok: false, code: "promo_cap", roomMinutes: room };
      minutes = Math.min(minutes, room);
    }
    if (minutes <= 0) return { ok: true, lotId: null, minutes: 0, duplicate: false };
    const [lot] = this.append(
      [{ kind: g.kind, minutes, paidCents: g.funding === "promo" ? 0 : g.paidCents, lotId: null, expiresAt: g.expiresAt, funding: g.funding, purchaseRef: g.purchaseRef, ref: g.grantId, reason: g.reason, actorId: g.actorId }],
      now,
    );
    return { ok: true, lotId: lot!.id, minutes, duplicate: false };
  }

  /** Spends `minutes` for a reservation from the lots that expire first; null when the balance is short. */
  spend(reservationId: string, minutes: number, now: Date): Allocation | null {
    const allocation = allocate(this.balance(now), minutes);
    if (allocation) this.append(allocation.map((s) => this.debit(reservationId, s)), now);
    return allocation;
  }

  /** Spends `minutes` for a reservation from one lot (a grant made for this booking); null when that lot cannot cover it. */
  spendFromLot(reservationId: string, lotId: string, minutes: number, now: Date): Allocation | null {
    const lot = this.balance(now).lots.find((l) => l.id === lotId);
    const allocation = lot ? takeFrom([lot], minutes) : null;
    if (allocation) this.append(allocation.map((s) => this.debit(reservationId, s)), now);
    return allocation;
  }

  /** What a reservation was paid with: its debits, slice by slice. */
  allocationOf(reservationId: string): Allocation {
    return this.slicesOf((e) => e.kind === "debit" && e.ref === reservationId);
  }

  /**
   * Gives back what a reservation still holds (or, with `upToMinutes`, makes it refunded that many minutes in all),
   * each slice to the lot it came from with its value. A lot that has
   * expired, or would within POLICY.refundMinValidityDays, is kept usable that long (`keepUsable`); a transfer to a
   * replacement booking passes false, since the credit is spent again at once.
   */
  refund(reservationId: string, now: Date, reason: string, opts: { keepUsable?: boolean; upToMinutes?: number } = {}): Allocation {
    const keepUsable = opts.keepUsable ?? true;
    const { all } = this.balance(now);
    const slices = refundable(this.entries(), reservationId, all, opts.upToMinutes);
    const expiry = new Map(all.map((l) => [l.id, l.expiresAt]));
    this.append(
      slices.map((s) => {
        const lotExpiry = expiry.get(s.lotId)!;
        const moved = keepUsable ? refundExpiry(lotExpiry, now, POLICY.refundMinValidityDays) : lotExpiry;
        return { kind: "refund", minutes: s.minutes, paidCents: s.paidCents, lotId: s.lotId, expiresAt: moved > lotExpiry ? moved : null, funding: null, purchaseRef: null, ref: reservationId, reason };
      }),
      now,
    );
    return slices;
  }

  /**
   * A paused plan: moves the expiry of every lot still holding credit (spendable or frozen) and unexpired at `from`
   * by `byMs`, once per `ref` (a repeat answers the lots moved the first time). With `sameLotsAs`, only the lots
   * that entries under that ref moved (an early resume takes back the unused part of the pause from those). Taking
   * time back never moves a lot below what a refund or unfreeze promised: usable at least POLICY.refundMinValidityDays
   * after it (a refund during the pause left the expiry alone only because the pause had moved it out).
   */
  moveExpiries(ref: string, from: number, byMs: number, now: Date, sameLotsAs?: string): { lotId: string; expiresAt: string }[] {
    const done = this.entries().filter((e) => e.kind === "extend" && e.ref === ref);
    if (done.length) return done.map((e) => ({ lotId: e.lotId!, expiresAt: e.expiresAt! }));
    const only = sameLotsAs ? new Set(this.entries().filter((e) => e.kind === "extend" && e.ref === sameLotsAs).map((e) => e.lotId)) : null;
    const lots = this.balance(now).all.filter((l) => (only ? only.has(l.id) : l.remainingMinutes > 0 && expiryAffected(l.expiresAt, from)));
    if (byMs === 0) return [];
    const promised = byMs < 0 ? this.promisedUsable() : new Map<string, string>();
    const moved = lots.map((l) => ({ lotId: l.id, expiresAt: notBefore(shiftIso(l.expiresAt, byMs), promised.get(l.id), l.expiresAt) }));
    this.append(
      moved.map((m) => ({ kind: "extend", minutes: 0, paidCents: 0, lotId: m.lotId, expiresAt: m.expiresAt, funding: null, purchaseRef: null, ref, reason: byMs > 0 ? "plan paused" : "plan resumed early" })),
      now,
    );
    return moved;
  }

  /**
   * By lot: the latest "usable until" a refund or unfreeze promised (its time plus POLICY.refundMinValidityDays). Those
   * from before a pause are kept by the pause's net move anyway (it is never negative); a refund recorded during it,
   * whatever instant it carries, is what this guards. A transfer to a replacement booking promises nothing: its credit
   * is spent again at once.
   */
  private promisedUsable(): Map<string, string> {
    const rows = this.sql
      .exec("SELECT lot_id, max(created_at) AS at FROM ledger WHERE kind IN ('refund', 'unfreeze') AND lot_id IS NOT NULL AND reason IS NOT ? GROUP BY lot_id", MOVED_REASON)
      .toArray()
      .map((r) => PromiseRowSchema.parse(r));
    return new Map(rows.map((r) => [r.lot_id, new Date(Date.parse(r.at) + POLICY.refundMinValidityDays * 86_400_000).toISOString()]));
  }

  /**
   * The reservations still holding credit taken from any of `lotIds` (what they took from those lots less what came
   * back to them): the lessons a disputed purchase is paying for.
   */
  paidFrom(lotIds: ReadonlySet<string>): string[] {
    const held = new Map<string, number>();
    for (const e of this.entries()) {
      if (!e.ref || !e.lotId || !lotIds.has(e.lotId) || (e.kind !== "debit" && e.kind !== "refund")) continue;
      held.set(e.ref, (held.get(e.ref) ?? 0) + (e.kind === "debit" ? e.minutes : -e.minutes));
    }
    return [...held].filter(([, minutes]) => minutes > 0).map(([reservationId]) => reservationId);
  }

  /** Credit-minutes a reservation still holds: what it spent less what came back of it. */
  heldBy(reservationId: string): number {
    const { debited, returned } = this.spentOn(reservationId);
    return debited - returned;
  }

  /** What a reservation's debits took and its refunds gave back, in one walk of the ledger. */
  private spentOn(reservationId: string): { debited: number; returned: number } {
    let debited = 0;
    let returned = 0;
    for (const e of this.entries()) {
      if (e.ref !== reservationId || !e.lotId) continue;
      if (e.kind === "debit") debited += e.minutes;
      else if (e.kind === "refund") returned += e.minutes;
    }
    return { debited, returned };
  }

  /**
   * Pays a replacement booking of `cost` credit-minutes with what a cancelled reservation holds (its offer accepted).
   * A cheaper replacement's difference goes back to the student first, as any refund does (to the lots it came from,
   * the slices taken last first, kept usable); the rest moves to the new reservation slice for slice, so the new
   * tutor's earning comes from exactly their own price's worth. One step: both or neither. Null (nothing written)
   * when the reservation holds less than `cost`: a replacement is never paid beyond what was held.
   */
  transfer(fromReservationId: string, toReservationId: string, cost: number, now: Date): { moved: Allocation; refunded: Allocation } | null {
    const { debited, returned } = this.spentOn(fromReservationId);
    const held = debited - returned;
    if (held < cost || cost <= 0) return null;
    // `upToMinutes` counts every refund of the reservation, so the difference is asked as the refunded total to reach.
    const refunded = held > cost ? this.refund(fromReservationId, now, CHEAPER_REPLACEMENT_REASON, { upToMinutes: debited - cost }) : [];
    const moved = this.refund(fromReservationId, now, MOVED_REASON, { keepUsable: false });
    this.append(moved.map((s) => this.debit(toReservationId, s)), now);
    return { moved, refunded };
  }

  /**
   * An admin takes credit back (a negative adjustment), first-expiring lots first; null when short. With `takeId`,
   * once: a repeat answers what the first took.
   */
  take(minutes: number, now: Date, reason: string, actorId: string, takeId?: string): Allocation | null {
    if (takeId) {
      const done = this.slicesOf((e) => e.kind === "adjust" && e.minutes < 0 && e.ref === takeId);
      if (done.length) return done;
    }
    const balance = this.balance(now);
    if (balance.balanceMinutes < minutes) return null;
    const allocation = takeFrom(balance.lots, minutes);
    if (allocation) {
      this.append(allocation.map((s) => ({ kind: "adjust", minutes: -s.minutes, paidCents: s.paidCents, lotId: s.lotId, expiresAt: null, funding: null, purchaseRef: null, ref: takeId ?? null, reason, actorId })), now);
    }
    return allocation;
  }

  /** The entries that took credit and match, as slices (minutes, value and funding of the lot each came from). */
  private slicesOf(match: (e: LedgerEntry) => boolean): Allocation {
    const funding = new Map(this.balance(new Date(0)).all.map((l) => [l.id, l.funding]));
    return this.entries()
      .filter((e) => match(e) && e.lotId)
      .map((e) => ({ lotId: e.lotId!, minutes: Math.abs(e.minutes), paidCents: e.paidCents, funding: funding.get(e.lotId!) ?? "promo" }));
  }

  private debit(reservationId: string, s: Allocation[number]): NewEntry {
    return { kind: "debit", minutes: s.minutes, paidCents: s.paidCents, lotId: s.lotId, expiresAt: null, funding: null, purchaseRef: null, ref: reservationId };
  }
}
