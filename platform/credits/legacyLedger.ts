import { asc, eq } from "drizzle-orm";
import type { ImportedEntry, LegacyRow } from "../../domain/credits/legacy";
import type { Db } from "../db/client";
import { creditLedger } from "../db/schema";

/**
 * A student's ledger as D1 holds it, read once per wallet, by its import: rows the Worker wrote before wallets moved
 * into the students' objects (no `seq`), to be translated; or, when every row has a `seq`, the projection of a wallet
 * that existed and lost its storage, restored entry for entry in its own order.
 */
export async function ledgerInD1(db: Db, userId: string): Promise<{ legacy: LegacyRow[] } | { projected: ImportedEntry[] }> {
  const rows = await db.select().from(creditLedger).where(eq(creditLedger.userId, userId)).orderBy(asc(creditLedger.createdAt), asc(creditLedger.id)).all();
  if (rows.length && rows.every((r) => r.seq !== null)) {
    const lot = (r: (typeof rows)[number]) => r.kind === "grant" || (r.kind === "adjust" && r.minutes > 0);
    return {
      projected: rows
        .sort((a, b) => a.seq! - b.seq!)
        .map((r) => ({
          id: r.id,
          kind: r.kind,
          minutes: r.minutes,
          paidCents: r.paidCents,
          lotId: r.lotId,
          expiresAt: r.expiresAt,
          funding: r.funding,
          purchaseRef: r.purchaseRef,
          ref: lot(r) ? r.sourceRef : r.reservationId,
          reason: r.reason,
          actorId: r.actorId,
          createdAt: r.createdAt,
        })),
    };
  }
  return {
    legacy: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      minutes: r.minutes,
      lotId: r.lotId,
      expiresAt: r.expiresAt,
      reservationId: r.reservationId,
      sourceRef: r.sourceRef,
      reason: r.reason,
      actorId: r.actorId,
      createdAt: r.createdAt,
    })),
  };
}
