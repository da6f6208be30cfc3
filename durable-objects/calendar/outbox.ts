import { z } from "zod";
import { log } from "../../platform/log";
import { type Effect, EffectSchema, LANE_OF, type Lane } from "./effects";

const RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
/** The alarm is the safety net for a drain the runtime cut short: it runs whatever is still due this long after. */
const SAFETY_NET_MS = 30_000;
const EffectRowSchema = z.object({ id: z.number().int(), payload: z.string(), attempts: z.number().int() });

const inLane = (lane: Lane) =>
  `kind IN (${Object.entries(LANE_OF)
    .filter(([, l]) => l === lane)
    .map(([k]) => `'${k}'`)
    .join(", ")})`;

/**
 * The calendar's outbox: effects are written in the same synchronous step as the change that causes them, then
 * run in order within their lane, one runner per lane. A failure is retried with backoff by the alarm.
 */
export class Outbox {
  private readonly running = new Map<Lane, Promise<void>>();
  /** Lanes asked for while their runner was finishing: it goes round once more, so no effect waits for the alarm. */
  private readonly again = new Set<Lane>();
  /** Lanes that got an effect since they were last started (an effect may queue more, e.g. a settlement's refunds). */
  private readonly queued = new Set<Lane>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly ctx: DurableObjectState,
    private readonly run: (effect: Effect) => Promise<void>,
    private readonly wakeAt: (at: number) => Promise<void>,
    private readonly context: () => Record<string, unknown>,
  ) {}

  enqueue(effect: Effect) {
    this.sql.exec("INSERT INTO effects (kind, payload, next_ms) VALUES (?, ?, ?)", effect.kind, JSON.stringify(effect), Date.now());
    this.queued.add(LANE_OF[effect.kind]);
  }

  /**
   * Queues `effect` unless one of its kind is still waiting (it will see this change too), not to run before
   * `notBefore`: for work that only needs the latest state, like re-rendering a feed.
   */
  enqueueOnce(effect: Effect, notBefore: number): boolean {
    const waiting = this.sql.exec("SELECT count(*) AS n FROM effects WHERE kind = ? AND attempts = 0", effect.kind).one().n;
    if (waiting) return false;
    this.sql.exec("INSERT INTO effects (kind, payload, next_ms) VALUES (?, ?, ?)", effect.kind, JSON.stringify(effect), notBefore);
    this.queued.add(LANE_OF[effect.kind]);
    return true;
  }

  /**
   * What an operation does before it answers: refunds through the student's object settle now (the caller reads
   * the balance back), everything else drains after the answer, live pushes first in a lane of their own.
   */
  async settleBeforeAnswer(): Promise<void> {
    this.ctx.waitUntil(this.lane("live"));
    this.ctx.waitUntil(this.wakeAt(Date.now() + SAFETY_NET_MS));
    await this.lane("wallet");
    this.ctx.waitUntil(this.lane("d1"));
  }

  /** Everything after the answer (an operation with nothing the caller reads back). */
  afterAnswer() {
    for (const lane of ["live", "wallet", "d1"] as const) this.ctx.waitUntil(this.lane(lane));
    this.ctx.waitUntil(this.wakeAt(Date.now() + SAFETY_NET_MS));
  }

  /** Runs every lane until nothing is due, effects queued by effects included (the alarm; tests call it through `settle`). */
  async drainAll(): Promise<void> {
    do {
      this.queued.clear();
      await Promise.all([this.lane("live"), this.lane("wallet"), this.lane("d1")]);
    } while (this.queued.size > 0);
  }

  pending(): number {
    const n = this.sql.exec("SELECT count(*) AS n FROM effects").one().n;
    return typeof n === "number" ? n : 0;
  }

  nextDue(): number | null {
    const t = this.sql.exec("SELECT min(next_ms) AS t FROM effects").one().t;
    return typeof t === "number" ? t : null;
  }

  /** One runner per lane at a time; a second caller waits for the running one (which picks up new effects too). */
  private lane(lane: Lane): Promise<void> {
    const running = this.running.get(lane);
    if (running) {
      this.again.add(lane);
      return running;
    }
    const run = (async () => {
      do {
        this.again.delete(lane);
        await this.runLane(lane);
      } while (this.again.has(lane));
    })().finally(() => this.running.delete(lane));
    this.running.set(lane, run);
    return run;
  }

  private async runLane(lane: Lane): Promise<void> {
    const skip = new Set<number>();
    for (;;) {
      const row = this.sql
        .exec(`SELECT id, payload, attempts FROM effects WHERE next_ms <= ? AND ${inLane(lane)} ORDER BY id LIMIT 20`, Date.now())
        .toArray()
        .map((r) => EffectRowSchema.parse(r))
        .find((r) => !skip.has(r.id));
      if (!row) return;
      try {
        await this.run(EffectSchema.parse(JSON.parse(row.payload)));
        this.sql.exec("DELETE FROM effects WHERE id = ?", row.id);
        // What this effect queued in other lanes runs now, not at the next alarm.
        for (const other of this.queued) if (other !== lane) this.ctx.waitUntil(this.lane(other));
      } catch (e) {
        skip.add(row.id);
        const delay = RETRY_MS[Math.min(row.attempts, RETRY_MS.length - 1)]!;
        this.sql.exec("UPDATE effects SET attempts = attempts + 1, next_ms = ?, last_error = ? WHERE id = ?", Date.now() + delay, String(e).slice(0, 500), row.id);
        log.warn("calendar effect failed; will retry", { ...this.context(), effectId: row.id, attempts: row.attempts + 1, error: String(e) });
        await this.wakeAt(Date.now() + delay);
      }
    }
  }
}
