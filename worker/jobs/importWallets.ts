import { sql } from "drizzle-orm";
import { getDb } from "../../platform/db/client";
import { log } from "../../platform/log";
import { accountOf } from "../lib/stubs";

const PAGE = 50;

/** `next`: where the walk stopped (a student id), to pass as `after` to go on; null when it reached the end. */
export type ImportProgress = { students: number; unresolved: number; remaining: boolean; next: string | null };

/**
 * The wallet migration: moves ledgers the Worker kept in D1 (before wallets lived in the students' objects) into
 * each student's object. It walks the students that still have rows no wallet has written (`seq IS NULL`), in pages,
 * asks each wallet to import once (a wallet that already did answers at once) and to write its entries back to D1,
 * which stamps those rows with their `seq`. The rows themselves are the progress record: a run that stops half way
 * resumes where it stopped, and a run with nothing left reads one index page and writes nothing. A walk goes on
 * from `after` (the `next` of the call before), so students whose import fails are passed, not met again by every
 * call: a walk always ends, and the next walk from the start retries them.
 *
 * Runs on the first request in development, daily in production, and on demand (POST /api/admin/wallets/import).
 */
export async function importWallets(env: Env, now: Date, pages = 20, after = ""): Promise<ImportProgress> {
  const db = getDb(env);
  let students = 0;
  let unresolved = 0;
  const left = (from: string, limit: number) =>
    db.all<{ user_id: string }>(sql`SELECT DISTINCT user_id FROM credit_ledger WHERE seq IS NULL AND user_id > ${from} ORDER BY user_id LIMIT ${limit}`);
  for (let page = 0; page < pages; page++) {
    const rows = await left(after, PAGE);
    if (!rows.length) return { students, unresolved, remaining: false, next: null };
    for (const { user_id: studentId } of rows) {
      after = studentId;
      const account = accountOf(env, studentId);
      try {
        await account.importLegacyLedger({ studentId, now: now.getTime() });
        const { pending } = await account.flush();
        if (pending) throw new Error(`${pending} entries still queued for D1`);
        students++;
      } catch (e) {
        // Left for the next run; the others go on.
        unresolved++;
        log.error("wallet import failed for a student", { studentId, error: String(e) });
        continue;
      }
      const left = await db.get<{ n: number }>(sql`SELECT count(*) AS n FROM credit_ledger WHERE user_id = ${studentId} AND seq IS NULL`);
      if (left?.n) {
        // Written to D1 by old code after this wallet imported: never folded in silently; someone must look.
        unresolved++;
        log.error("D1 ledger rows written after the wallet was imported", { studentId, rows: left.n });
      }
    }
  }
  const remaining = (await left(after, 1)).length > 0;
  return { students, unresolved, remaining, next: remaining ? after : null };
}
