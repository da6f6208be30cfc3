import { z } from "zod";
import { KEY_REUSED, type Outcome } from "./outcome";

/** A request that carried an Idempotency-Key: who sent it, for what, and a hash of what it asked. */
export const RequestKeySchema = z.object({ userId: z.string().min(1).max(100), key: z.string().min(1).max(255), hash: z.string().min(1).max(128) });
export type RequestKey = z.infer<typeof RequestKeySchema>;

const storedOutcomeOf = <T>(value: z.ZodType<T>) =>
  z.union([
    z.object({ ok: z.literal(true), value }),
    z.object({ ok: z.literal(false), code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
  ]);
const RowSchema = z.object({ request_hash: z.string(), outcome: z.string() });

/** Keys are kept this long; a retry comes within minutes, never days. */
const KEEP_MS = 7 * 86_400_000;

/**
 * The first answer to each keyed request on this tutor's sessions (cancel, reschedule), kept by the object that
 * made the change, so a retry gets it back without D1. A key reused for a different request is refused.
 */
export class RequestKeys<T> {
  /** Keyed requests being answered right now: a concurrent retry waits for the first instead of racing it. */
  private readonly inflight = new Map<string, { hash: string; answer: Promise<Outcome<T>> }>();
  private readonly stored: ReturnType<typeof storedOutcomeOf<T>>;

  /** `value`: what these requests answer (a booking; the rest of a series moved), parsed back from storage. */
  constructor(
    private readonly sql: SqlStorage,
    value: z.ZodType<T>,
  ) {
    this.stored = storedOutcomeOf(value);
  }

  /** Answers a keyed request once: a retry (even a concurrent one) gets the first answer, a reuse is refused. */
  async once(scope: string, req: RequestKey | undefined, now: number, run: () => Promise<Outcome<T>>): Promise<Outcome<T>> {
    if (!req) return run();
    const remembered = this.recall(scope, req);
    if (remembered) return remembered;
    const id = `${req.userId}\u0000${scope}\u0000${req.key}`;
    const pending = this.inflight.get(id);
    if (pending) return pending.hash === req.hash ? pending.answer.then((o) => (o.ok ? { ...o, replayed: true } : o)) : KEY_REUSED;
    const answer = run()
      .then((o) => this.remember(scope, req, o, now))
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, { hash: req.hash, answer });
    return answer;
  }

  /** The remembered answer to this key (marked as a replay), a refusal when it was used differently, or null. */
  private recall(scope: string, req: RequestKey | undefined): Outcome<T> | null {
    if (!req) return null;
    const row = this.sql.exec("SELECT request_hash, outcome FROM requests WHERE user_id = ? AND scope = ? AND key = ?", req.userId, scope, req.key).toArray()[0];
    if (!row) return null;
    const stored = RowSchema.parse(row);
    if (stored.request_hash !== req.hash) return KEY_REUSED;
    const outcome = this.stored.parse(JSON.parse(stored.outcome));
    return outcome.ok ? { ...outcome, replayed: true } : outcome;
  }

  /** Keeps the answer to a keyed request (expected failures too: a retry must not succeed where the first failed). */
  private remember(scope: string, req: RequestKey, outcome: Outcome<T>, now: number): Outcome<T> {
    const { replayed: _, ...stored } = outcome.ok ? outcome : { ...outcome, replayed: undefined };
    this.sql.exec(
      "INSERT INTO requests (user_id, scope, key, request_hash, outcome, created_ms) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      req.userId,
      scope,
      req.key,
      req.hash,
      JSON.stringify(stored),
      now,
    );
    return outcome;
  }

  forget(now: number) {
    this.sql.exec("DELETE FROM requests WHERE created_ms < ?", now - KEEP_MS);
  }
}
