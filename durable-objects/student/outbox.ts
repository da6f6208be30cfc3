import { z } from "zod";
import { ledgerProjection } from "../../platform/credits/projection";
import { getDb } from "../../platform/db/client";
import { log } from "../../platform/log";
import { LedgerRowSchema, type Meta, toLedgerEntry } from "./storage";

const RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
const BATCH = 50;
const OutboxRow = z.object({ seq: z.number().int(), entry_id: z.string(), attempts: z.number().int(), next_ms: z.number().int() });

/** Test-only: fail every outbox step once, before its D1 write or after it (alternately), to prove retries are safe. */
export const OUTBOX_FAULTS_KEY = "fault:outbox";

/**
 * Writes the wallet's entries to D1 after the object has answered: rows are queued in the same storage
 * transaction as the entry, drained strictly in order in batches (a failed batch holds back what follows it), and
 * retried with backoff by the object's alarm. The
 * projection is idempotent by entry id, so a batch that reached D1 but was not marked done is simply written again.
 */
export class Outbox {
  private running: Promise<void> | undefined;

  constructor(
    private readonly env: Env,
    private readonly sql: SqlStorage,
    private readonly meta: Meta,
    private readonly scheduleAlarm: (at: number) => Promise<void>,
    /** Whose wallet this is (undefined before the object's first operation). */
    private readonly studentId: () => string | undefined,
  ) {}

  enqueue(entryId: string, nowMs: number) {
    this.sql.exec("INSERT INTO outbox (entry_id, next_ms) VALUES (?, ?)", entryId, nowMs);
  }

  pending(): number {
    return z.number().parse(this.sql.exec("SELECT count(*) AS n FROM outbox").one().n);
  }

  /** When the next queued entry is due (null when none is waiting). */
  nextDue(): number | null {
    // The first in line decides (entries go strictly in order).
    const head = this.sql.exec("SELECT next_ms AS t FROM outbox ORDER BY seq LIMIT 1").toArray()[0];
    return head ? z.number().parse(head.t) : null;
  }

  /**
   * Sends what is due (with `everything`, also what waits for a retry); one drain at a time: a second caller
   * waits for the running one.
   */
  async drain(everything = false): Promise<void> {
    while (this.running) await this.running;
    this.running = this.run(everything ? Number.MAX_SAFE_INTEGER : Date.now()).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(dueBy: number) {
    const studentId = this.studentId();
    if (!studentId) return;
    for (;;) {
      // Strictly in the wallet's order: an entry waiting for its retry holds back every later one. The books read a
      // reservation's entries in the order they reach D1, so a return must never arrive before its spend.
      const queued = this.sql
        .exec("SELECT seq, entry_id, attempts, next_ms FROM outbox ORDER BY seq LIMIT ?", BATCH)
        .toArray()
        .map((r) => OutboxRow.parse(r));
      const waiting = queued.findIndex((r) => r.next_ms > dueBy);
      const rows = waiting < 0 ? queued : queued.slice(0, waiting);
      if (!rows.length) return;
      try {
        await this.send(studentId, rows);
        this.sql.exec(`DELETE FROM outbox WHERE seq IN (${rows.map(() => "?").join(", ")})`, ...rows.map((r) => r.seq));
      } catch (e) {
        const attempts = Math.max(...rows.map((r) => r.attempts));
        const retryAt = Date.now() + RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)]!;
        this.sql.exec(
          `UPDATE outbox SET attempts = attempts + 1, next_ms = ?, last_error = ? WHERE seq IN (${rows.map(() => "?").join(", ")})`,
          retryAt,
          String(e).slice(0, 500),
          ...rows.map((r) => r.seq),
        );
        log.warn("wallet projection failed; will retry", { studentId, entries: rows.length, attempts: attempts + 1, error: String(e) });
        await this.scheduleAlarm(retryAt);
        return;
      }
    }
  }

  private async send(studentId: string, rows: z.infer<typeof OutboxRow>[]) {
    const ids = rows.map((r) => r.entry_id);
    const entries = this.sql
      .exec(`SELECT * FROM ledger WHERE id IN (${ids.map(() => "?").join(", ")}) ORDER BY seq`, ...ids)
      .toArray()
      .map((r) => LedgerRowSchema.parse(r))
      .map((r) => ({ ...toLedgerEntry(r), seq: r.seq, reason: r.reason, actorId: r.actor_id }));
    const fault = this.injectedFault(rows);
    if (fault === "before") throw new Error("injected outbox fault (before the D1 write)");
    const db = getDb(this.env);
    const [first, ...rest] = ledgerProjection(db, studentId, entries);
    if (first) await db.batch([first, ...rest]);
    if (fault === "after") throw new Error("injected outbox fault (after the D1 write)");
  }

  /** Only in tests, only when switched on, only on a batch's first attempt. */
  private injectedFault(rows: z.infer<typeof OutboxRow>[]): "before" | "after" | null {
    if (this.env.ENVIRONMENT !== "test" || this.meta.get(OUTBOX_FAULTS_KEY) !== "every-step") return null;
    if (rows.some((r) => r.attempts > 0)) return null;
    return rows[0]!.seq % 2 ? "before" : "after";
  }
}
