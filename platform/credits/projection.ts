import { sql } from "drizzle-orm";
import type { LedgerEntry } from "../../domain/credits";
import type { Db } from "../db/client";
import { creditLedger } from "../db/schema";

/** A wallet entry as the student's object sends it to D1: the ledger entry, its place and its annotations. */
export type ProjectedEntry = LedgerEntry & { seq: number; reason: string | null; actorId: string | null };

type Statement = Parameters<Db["batch"]>[0][number];

/**
 * The D1 statements that project wallet entries. Idempotent by entry id: a retry (or an import repairing a row
 * written the old way) writes the same row again. Everything that derives from ledger entries in D1 (the books'
 * journal lines, for instance) belongs in this same list, so it lands in the same batch.
 */
export function ledgerProjection(db: Db, userId: string, entries: readonly ProjectedEntry[]): Statement[] {
  return entries.map((e) => {
    const lot = e.kind === "grant" || (e.kind === "adjust" && e.minutes > 0);
    const row = {
      id: e.id,
      userId,
      kind: e.kind,
      minutes: e.minutes,
      paidCents: e.paidCents,
      funding: e.funding,
      purchaseRef: e.purchaseRef,
      lotId: e.lotId,
      expiresAt: e.expiresAt,
      reservationId: lot ? null : e.ref,
      sourceRef: lot ? e.ref : null,
      reason: e.reason,
      actorId: e.actorId,
      seq: e.seq,
      createdAt: e.createdAt,
    };
    const { id: _, ...set } = row;
    return db.insert(creditLedger).values(row).onConflictDoUpdate({ target: creditLedger.id, set: { ...set, userId: sql`${userId}` } });
  });
}
