import { z } from "zod";
import { POLICY, clawbackPlan, lotsOfPurchase, refundExpiry, refundTargetMinutes } from "../../domain/credits";
import type { Wallet } from "./wallet";

const ClaimRow = z.object({ ref: z.string(), purchase_ref: z.string(), target_minutes: z.number().int() });
const DisputeRow = z.object({ ref: z.string(), purchase_ref: z.string(), status: z.enum(["open", "won", "lost"]), frozen_minutes: z.number().int(), clawed_back_minutes: z.number().int() });
const PendingRow = z.object({
  ref: z.string(),
  purchase_ref: z.string(),
  claimed_cents: z.number().int().nullable(),
  amount_cents: z.number().int().nullable(),
  outcome: z.enum(["open", "won", "lost"]).nullable(),
});
export type DisputeState = { ref: string; purchaseRef: string; status: "open" | "won" | "lost"; frozenMinutes: number; clawedBackMinutes: number };

/** `held`: the purchase is not in this wallet yet; the claim waits for its grant under `waitingFor` (its names). */
export type RefundOutcome = { ok: true; held?: false; purchaseRef: string; targetMinutes: number; takenMinutes: number } | { ok: true; held: true; waitingFor: string[] };
export type DisputeOutcome = { ok: true; held?: boolean; dispute: DisputeState } | { ok: false; code: "unknown_dispute" };
/** A lost dispute of `disputedCents` out of a payment of `amountCents` (null: the purchase's paid value); absent: all. */
export type DisputedShare = { disputedCents?: number; amountCents?: number | null };

/**
 * What happens to a purchase after it was paid: Stripe refunds and disputes. Both take back only the unspent part
 * of what the purchase bought, and keep taking as spent credit returns to its lots (a cancelled booking refunded
 * later), up to their target; an open dispute freezes the purchase's lots, and the lessons still to come that they
 * paid for are cancelled (StudentAccount.openDispute names them), so their credit comes back to be held or taken
 * with the rest. Synchronous, like the wallet.
 */
export class Purchases {
  constructor(
    private readonly sql: SqlStorage,
    private readonly wallet: Wallet,
  ) {}

  /** The first of `refs` that names a purchase in this wallet. */
  find(refs: readonly string[], now: Date): string | undefined {
    const { all } = this.wallet.balance(now);
    return refs.find((ref) => all.some((l) => l.purchaseRef === ref));
  }

  /**
   * A Stripe refund of `refundedCents` (cumulative, as Stripe reports it) out of a payment of `amountCents`: takes
   * back that share of the purchase's credit. Repeats and later, larger refunds take only the difference. A refund
   * of a purchase not granted yet is held until its grant arrives (`claimPending`).
   */
  refund(ref: string, purchaseRefs: readonly string[], refundedCents: number, amountCents: number, now: Date): RefundOutcome {
    const purchaseRef = this.claimOf(ref)?.purchase_ref ?? this.find(purchaseRefs, now);
    if (!purchaseRef) {
      this.hold(ref, purchaseRefs, { claimedCents: refundedCents, amountCents, outcome: null });
      return { ok: true, held: true, waitingFor: [...purchaseRefs] };
    }
    const bought = lotsOfPurchase(this.wallet.balance(now), purchaseRef).reduce((s, l) => s + l.minutes, 0);
    const target = this.raiseClaim(ref, purchaseRef, refundTargetMinutes(bought, refundedCents, amountCents));
    this.settle(now);
    return { ok: true, purchaseRef, targetMinutes: target, takenMinutes: this.taken(ref) };
  }

  /**
   * A dispute opened: the purchase's credit is frozen (not spendable, not expiring) until it closes. Once per dispute.
   * A dispute of a purchase not granted yet is held until its grant arrives (`claimPending`).
   */
  openDispute(ref: string, purchaseRefs: readonly string[], now: Date): DisputeOutcome {
    const known = this.dispute(ref);
    if (known) return { ok: true, dispute: known };
    const purchaseRef = this.find(purchaseRefs, now);
    if (!purchaseRef) {
      this.hold(ref, purchaseRefs, { claimedCents: null, amountCents: null, outcome: "open" });
      return { ok: true, held: true, dispute: this.heldDispute(ref)! };
    }
    const lots = lotsOfPurchase(this.wallet.balance(now), purchaseRef).filter((l) => !l.frozen);
    this.wallet.append(
      lots.map((l) => ({ kind: "freeze", minutes: l.remainingMinutes, paidCents: l.remainingCents, lotId: l.id, expiresAt: null, funding: null, purchaseRef: null, ref, reason: "payment disputed" })),
      now,
    );
    const frozen = lots.reduce((s, l) => s + l.remainingMinutes, 0);
    this.sql.exec("INSERT INTO disputes (ref, purchase_ref, status, frozen_minutes) VALUES (?, ?, 'open', ?)", ref, purchaseRef, frozen);
    return { ok: true, dispute: this.dispute(ref)! };
  }

  /**
   * A dispute closed: won releases the credit; lost takes back the disputed share of the purchase's credit (as a refund
   * of that amount would), as far as it is unspent. A held dispute keeps its outcome for the grant.
   */
  closeDispute(ref: string, outcome: "won" | "lost", share: DisputedShare, now: Date): DisputeOutcome {
    const d = this.dispute(ref);
    if (!d) {
      if (!this.heldDispute(ref)) return { ok: false, code: "unknown_dispute" };
      this.hold(ref, [], { claimedCents: share.disputedCents ?? null, amountCents: share.amountCents ?? null, outcome });
      return { ok: true, held: true, dispute: this.heldDispute(ref)! };
    }
    if (d.status !== "open") return { ok: true, dispute: d };
    if (outcome === "lost") {
      const lots = lotsOfPurchase(this.wallet.balance(now), d.purchaseRef);
      const bought = lots.reduce((s, l) => s + l.minutes, 0);
      const paidCents = lots.reduce((s, l) => s + l.paidCents, 0);
      const target = share.disputedCents === undefined ? bought : refundTargetMinutes(bought, share.disputedCents, share.amountCents ?? paidCents);
      this.raiseClaim(ref, d.purchaseRef, target);
      this.settle(now);
    }
    this.sql.exec("UPDATE disputes SET status = ?, clawed_back_minutes = ? WHERE ref = ?", outcome, this.taken(ref), ref);
    const stillOpen = this.sql.exec("SELECT count(*) AS n FROM disputes WHERE purchase_ref = ? AND status = 'open'", d.purchaseRef).one().n;
    if (!stillOpen) {
      // Credit whose expiry passed (or nears) while it was on hold stays usable as long as refunded credit does.
      const lots = lotsOfPurchase(this.wallet.balance(now), d.purchaseRef).filter((l) => l.frozen);
      this.wallet.append(
        lots.map((l) => {
          const moved = refundExpiry(l.expiresAt, now, POLICY.refundMinValidityDays);
          return { kind: "unfreeze", minutes: l.remainingMinutes, paidCents: l.remainingCents, lotId: l.id, expiresAt: moved > l.expiresAt ? moved : null, funding: null, purchaseRef: null, ref, reason: `dispute ${outcome}` };
        }),
        now,
      );
    }
    return { ok: true, dispute: this.dispute(ref)! };
  }

  /** Takes what every claim is still owed from what its purchase has left (after any credit came back). */
  settle(now: Date) {
    for (const c of this.sql.exec("SELECT * FROM claims").toArray().map((r) => ClaimRow.parse(r))) {
      const owed = c.target_minutes - this.taken(c.ref);
      if (owed <= 0) continue;
      const plan = clawbackPlan(lotsOfPurchase(this.wallet.balance(now), c.purchase_ref), owed);
      const reason = c.ref.startsWith("dispute:") ? "dispute lost" : "payment refunded";
      this.wallet.append(plan.map((s) => ({ kind: "clawback", minutes: s.minutes, paidCents: s.paidCents, lotId: s.lotId, expiresAt: null, funding: null, purchaseRef: null, ref: c.ref, reason })), now);
      if (plan.length) this.sql.exec("UPDATE disputes SET clawed_back_minutes = ? WHERE ref = ?", this.taken(c.ref), c.ref);
    }
    this.countHeld(now);
  }

  /**
   * The lots an open or lost dispute (`ref`) reaches, or null (no such dispute, or it was won): a lesson still to come
   * that they pay for is cancelled, so its credit comes back to them, on hold or taken back with the rest.
   */
  disputedLots(ref: string, now: Date): Set<string> | null {
    const d = this.dispute(ref);
    if (!d || d.status === "won") return null;
    return new Set(lotsOfPurchase(this.wallet.balance(now), d.purchaseRef).map((l) => l.id));
  }

  /**
   * An open dispute's `frozen_minutes` say the most it held at once: credit that came back to its frozen lots (a
   * lesson it paid for, cancelled) counts as well as what was unspent when it opened.
   */
  private countHeld(now: Date) {
    const open = this.disputes().filter((d) => d.status === "open");
    if (!open.length) return;
    const lots = this.wallet.balance(now).all;
    for (const d of open) {
      const held = lots.filter((l) => l.purchaseRef === d.purchaseRef && l.frozen).reduce((s, l) => s + l.remainingMinutes, 0);
      if (held > d.frozenMinutes) this.sql.exec("UPDATE disputes SET frozen_minutes = ? WHERE ref = ?", held, d.ref);
    }
  }

  /**
   * A grant of `purchaseRef` arrived: the refunds and disputes Stripe delivered before it, under any of the purchase's
   * names, are applied now, and forgotten as pending (from here on they are ordinary claims and disputes, so a
   * repeat of their events or of the grant changes nothing). Answers the disputes it applied.
   */
  claimPending(purchaseRef: string, now: Date): DisputeState[] {
    const rows = this.sql
      .exec("SELECT * FROM pending_claims WHERE ref IN (SELECT ref FROM pending_claims WHERE purchase_ref = ?)", purchaseRef)
      .toArray()
      .map((r) => PendingRow.parse(r));
    const applied: DisputeState[] = [];
    for (const ref of new Set(rows.map((r) => r.ref))) {
      const row = rows.find((r) => r.ref === ref)!;
      this.sql.exec("DELETE FROM pending_claims WHERE ref = ?", ref);
      if (row.outcome === null) {
        this.refund(ref, [purchaseRef], row.claimed_cents ?? 0, row.amount_cents ?? 0, now);
        continue;
      }
      const opened = this.openDispute(ref, [purchaseRef], now);
      const closed = row.outcome === "open" ? opened : this.closeDispute(ref, row.outcome, { disputedCents: row.claimed_cents ?? undefined, amountCents: row.amount_cents }, now);
      if (closed.ok) applied.push(closed.dispute);
    }
    return applied;
  }

  disputes(): DisputeState[] {
    return this.sql.exec("SELECT * FROM disputes").toArray().map((r) => toState(DisputeRow.parse(r)));
  }

  private dispute(ref: string): DisputeState | undefined {
    const row = this.sql.exec("SELECT * FROM disputes WHERE ref = ?", ref).toArray()[0];
    return row ? toState(DisputeRow.parse(row)) : undefined;
  }

  /**
   * Keeps a claim on a purchase not granted yet, under each of its names. Repeats only ever raise a refund (Stripe's
   * refunded amount is cumulative), and a dispute's outcome, once decided, stays.
   */
  private hold(ref: string, purchaseRefs: readonly string[], c: { claimedCents: number | null; amountCents: number | null; outcome: "open" | "won" | "lost" | null }) {
    const names = purchaseRefs.length ? purchaseRefs : this.pendingRows(ref).map((r) => r.purchase_ref);
    for (const purchaseRef of names) {
      this.sql.exec(
        `INSERT INTO pending_claims (ref, purchase_ref, claimed_cents, amount_cents, outcome) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (ref, purchase_ref) DO UPDATE SET
           claimed_cents = CASE WHEN outcome IS NULL THEN max(coalesce(claimed_cents, 0), coalesce(excluded.claimed_cents, 0)) ELSE coalesce(excluded.claimed_cents, claimed_cents) END,
           amount_cents = coalesce(excluded.amount_cents, amount_cents),
           outcome = CASE WHEN outcome = 'open' THEN excluded.outcome ELSE outcome END`,
        ref,
        purchaseRef,
        c.claimedCents,
        c.amountCents,
        c.outcome,
      );
    }
  }

  private pendingRows(ref: string) {
    return this.sql.exec("SELECT * FROM pending_claims WHERE ref = ? ORDER BY rowid", ref).toArray().map((r) => PendingRow.parse(r));
  }

  /** A dispute held for its purchase's grant, as the admin console sees it: nothing frozen or taken yet. */
  private heldDispute(ref: string): DisputeState | undefined {
    const rows = this.pendingRows(ref);
    const outcome = rows[0]?.outcome;
    return outcome ? { ref, purchaseRef: rows[0]!.purchase_ref, status: outcome, frozenMinutes: 0, clawedBackMinutes: 0 } : undefined;
  }

  private claimOf(ref: string) {
    const row = this.sql.exec("SELECT * FROM claims WHERE ref = ?", ref).toArray()[0];
    return row ? ClaimRow.parse(row) : undefined;
  }

  /** Claims only ever grow (Stripe's refunded amount is cumulative; a late, smaller report changes nothing). */
  private raiseClaim(ref: string, purchaseRef: string, target: number): number {
    this.sql.exec(
      `INSERT INTO claims (ref, purchase_ref, target_minutes) VALUES (?, ?, ?)
       ON CONFLICT (ref) DO UPDATE SET target_minutes = max(target_minutes, excluded.target_minutes)`,
      ref,
      purchaseRef,
      target,
    );
    return this.claimOf(ref)!.target_minutes;
  }

  private taken(ref: string): number {
    return this.wallet.entries().reduce((s, e) => s + (e.kind === "clawback" && e.ref === ref ? e.minutes : 0), 0);
  }
}

const toState = (r: z.infer<typeof DisputeRow>): DisputeState => ({ ref: r.ref, purchaseRef: r.purchase_ref, status: r.status, frozenMinutes: r.frozen_minutes, clawedBackMinutes: r.clawed_back_minutes });
