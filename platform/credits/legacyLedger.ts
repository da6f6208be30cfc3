import { asc, eq } from "drizzle-orm";
import type { LegacyRow } from "../../domain/credits/legacy";
import type { Db } from "../db/client";
import { creditLedger } from "../db/schema";

/**
 * A student's ledger as the Worker wrote it to D1 before wallets moved into the students' objects (read once per
 * student, by the import). Rows the object projected itself have a `seq`; the import only ever runs before that.
 */
export async function legacyLedgerRows(db: Db, userId: string): Promise<LegacyRow[]> {
  const rows = await db.select().from(creditLedger).where(eq(creditLedger.userId, userId)).orderBy(asc(creditLedger.createdAt), asc(creditLedger.id)).all();
  return rows.map((r) => ({
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
  }));
}
