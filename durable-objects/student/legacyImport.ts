import { translateLegacyLedger } from "../../domain/credits/legacy";
import { ledgerInD1 } from "../../platform/credits/legacyLedger";
import { getDb } from "../../platform/db/client";
import type { Meta } from "./storage";
import type { Wallet } from "./wallet";

const IMPORTED = "wallet_imported_at";

/**
 * Brings a wallet that predates the object up to date, once: the student's D1 ledger (written by the Worker before
 * wallets moved here) is read, translated to the wallet's model (domain/credits/legacy.ts) and appended with the
 * rows' own ids, each queued for D1 so the projection's rows are repaired in place and gain value and funding.
 * Runs before the object's first wallet operation, so nothing here ever mixes with entries the object wrote itself.
 * A wallet that lost its storage finds its own projection instead (every row stamped with a `seq`): it takes it back
 * as it is.
 */
export class LegacyImport {
  constructor(
    private readonly env: Env,
    private readonly storage: DurableObjectStorage,
    private readonly meta: Meta,
    private readonly wallet: Wallet,
  ) {}

  done(): boolean {
    return !!this.meta.get(IMPORTED);
  }

  /** Imports when not yet done; answers how many entries came in (0 when there was nothing, or it ran before). */
  async ensure(studentId: string, now: Date): Promise<number> {
    if (this.done()) return 0;
    const found = await ledgerInD1(getDb(this.env), studentId);
    // Another call may have finished the import while this one read D1.
    if (this.done()) return 0;
    const entries = "projected" in found ? found.projected : translateLegacyLedger(found.legacy, now);
    this.storage.transactionSync(() => {
      for (const e of entries) {
        const { createdAt, ...entry } = e;
        this.wallet.append([entry], new Date(createdAt));
      }
      this.meta.set(IMPORTED, now.toISOString());
    });
    this.wallet.reload();
    return entries.length;
  }
}
