import { sql } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { accountOf } from "../lib/stubs";

/** How far back the daily sweep looks for lapsed lots: a week of missed runs is still caught. */
const LOOKBACK_MS = 8 * 86_400_000;

/**
 * Records the expiry of lapsed credit in wallets nobody touched since it lapsed (every wallet operation expires
 * what is due first, so active students never wait for this). Candidates come from the D1 projection: students with
 * a lot, or a refund that moved a lot's expiry, lapsing in the last week; each wallet decides for itself.
 */
export async function expireCredits(env: Env, now: Date): Promise<{ students: number; minutes: number }> {
  const rows = await getDb(env).all<{ user_id: string }>(sql`
    SELECT DISTINCT user_id FROM credit_ledger
    WHERE expires_at > ${new Date(now.getTime() - LOOKBACK_MS).toISOString()} AND expires_at <= ${now.toISOString()}
    LIMIT 5000`);
  let minutes = 0;
  for (const r of rows) minutes += await accountOf(env, r.user_id).expireDue({ studentId: r.user_id, now: now.getTime() });
  return { students: rows.length, minutes };
}
