import { and, asc, eq, inArray } from "drizzle-orm";
import { type Allocation, type Balance, type LedgerEntry, foldLedger, refundExpiry, POLICY } from "../../domain/credits";
import type { Db } from "../db/client";
import { creditLedger } from "../db/schema";

type Row = typeof creditLedger.$inferSelect;

export const toEntry = (r: Row): LedgerEntry => ({ id: r.id, kind: r.kind, minutes: r.minutes, lotId: r.lotId, expiresAt: r.expiresAt, createdAt: r.createdAt });

export const ledgerRows = (db: Db, userId: string) =>
  db.select().from(creditLedger).where(eq(creditLedger.userId, userId)).orderBy(asc(creditLedger.createdAt), asc(creditLedger.id)).all();

/** The user's balance and usable lots at `now`, folded from the whole ledger. */
export async function balanceOf(db: Db, userId: string, now: Date): Promise<Balance> {
  return foldLedger((await ledgerRows(db, userId)).map(toEntry), now);
}

export const debitsOf = (db: Db, reservationId: string) =>
  db
    .select()
    .from(creditLedger)
    .where(and(eq(creditLedger.kind, "debit"), eq(creditLedger.reservationId, reservationId)))
    .all();

/** Debit rows for an allocation, one per lot taken from. */
export function debitStatements(db: Db, userId: string, reservationId: string, allocation: Allocation, now: Date) {
  return allocation.map((a) =>
    db.insert(creditLedger).values({
      id: crypto.randomUUID(),
      userId,
      kind: "debit",
      minutes: a.minutes,
      lotId: a.lotId,
      reservationId,
      createdAt: now.toISOString(),
    }),
  );
}

/**
 * Refund rows giving back everything debited for a reservation (or only `minutes` of it, last-taken lots first),
 * each as a new lot. The unique index on (kind, reservation, lot) makes a second refund of the same reservation a
 * no-op.
 */
export async function refundStatements(db: Db, userId: string, reservationId: string, now: Date, reason: string, minutes?: number) {
  const all = await debitsOf(db, reservationId);
  let left = minutes ?? Infinity;
  const debits = [...all]
    .reverse()
    .map((d) => {
      const take = Math.min(d.minutes, left);
      left -= take;
      return { ...d, minutes: take };
    })
    .filter((d) => d.minutes > 0);
  if (!debits.length) return [];
  const lots = await db
    .select({ id: creditLedger.id, expiresAt: creditLedger.expiresAt })
    .from(creditLedger)
    .where(inArray(creditLedger.id, debits.map((d) => d.lotId!)))
    .all();
  const expiry = new Map(lots.map((l) => [l.id, l.expiresAt!]));
  return debits.map((d) =>
    db
      .insert(creditLedger)
      .values({
        id: crypto.randomUUID(),
        userId,
        kind: "refund",
        minutes: d.minutes,
        lotId: d.lotId,
        expiresAt: refundExpiry(expiry.get(d.lotId!)!, now, POLICY.refundMinValidityDays),
        reservationId,
        reason,
        createdAt: now.toISOString(),
      })
      .onConflictDoNothing(),
  );
}

/** A lot-creating entry (grant or positive adjust). */
export function creditStatement(
  db: Db,
  entry: { userId: string; kind: "grant" | "adjust"; minutes: number; expiresAt: string; reason?: string; actorId?: string; sourceRef?: string },
  now: Date,
) {
  return db
    .insert(creditLedger)
    .values({ id: crypto.randomUUID(), ...entry, createdAt: now.toISOString() })
    .onConflictDoNothing();
}
