import { sql } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { accountOf } from "../lib/stubs";

/** Turns expired credit lots into `expire` entries, each through its student's account (the ledger's writer for takes). */
export async function expireCredits(env: Env, now: Date): Promise<{ students: number; minutes: number }> {
  const rows = await getDb(env).all<{ user_id: string }>(sql`
    SELECT DISTINCT l.user_id FROM credit_ledger l
    WHERE (l.kind IN ('grant', 'refund') OR (l.kind = 'adjust' AND l.minutes > 0))
      AND l.expires_at <= ${now.toISOString()}
      AND NOT EXISTS (SELECT 1 FROM credit_ledger x WHERE x.kind = 'expire' AND x.lot_id = l.id)
    LIMIT 1000`);
  let minutes = 0;
  for (const r of rows) minutes += await accountOf(env, r.user_id).expireDue({ studentId: r.user_id, now: now.getTime() });
  return { students: rows.length, minutes };
}
