import { z } from "zod";
import { log } from "../../platform/log";
import { type Effect, EffectSchema, LANE_OF, type Lane, TOGETHER, orderKey } from "./effects";
import type { EffectRunner } from "./effectRunner";

const RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
/** The alarm is the safety net for a drain the runtime cut short: it runs whatever is still due this long after. */
const SAFETY_NET_MS = 30_000;
const EffectRowSchema = z.object({ id: z.number().int(), payload: z.string(), attempts: z.number().int() });
const EffectIdSchema = z.object({ id: z.number().int() });
/** Effects one lane pass takes at a time. */
const BATCH = 50;

/** A stored effect, or null when its payload does not parse. */
function storedEffect(payload: string): Effect | null {
  try {
    const parsed = EffectSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Effects grouped by their order key (first-seen order kept); an unparsed one is a group of its own. */
function byOrderKey<T extends { id: number; effect: Effect | null }>(items: T[]): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = item.effect ? orderKey(item.effect) : `row:${item.id}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

const inLane = (lane: Lane) =>
  `kind IN (${Object.entries(LANE_OF)
    .filter(([, l]) => l === lane)
    .map(([k]) => `'${k}'`)
    .join(", ")})`;

/**
 * The calendar's outbox: effects are written in the same synchronous step as the change that causes them, then run
 * after the answer. Live pushes go out at once, each on its own, as soon as the change is committed (the outbox row
 * is their retry path); the rest run in their lane, one runner per lane, effects with the same order key in order
 * and different keys side by side. A failure is retried with backoff by the alarm.
 */
export class Outbox {
  private readonly running = new Map<Lane, Promise<void>>();
  /** Lanes asked for while their runner was finishing: it goes round once more, so no effect waits for the alarm. */
  private readonly again = new Set<Lane>();
  /** Lanes that got an effect since they were last started (an effect may queue more, e.g. a settlement's refunds). */
  private readonly queued = new Set<Lane>();
  /** Live pushes written by the current operation, sent the moment it answers. */
  private fresh: { id: number; effect: Effect }[] = [];
  /** Effects being run right now (a lane runner leaves them alone), with their runs. */
  private readonly inflight = new Map<number, Promise<void>>();
  /** Per order key, the last live push on its way. */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly ctx: DurableObjectState,
    private readonly runner: EffectRunner,
    private readonly wakeAt: (at: number) => Promise<void>,
    private readonly context: () => Record<string, unknown>,
  ) {}

  enqueue(effect: Effect) {
    const id = this.insert(effect, Date.now());
    const lane = LANE_OF[effect.kind];
    if (lane === "live") this.fresh.push({ id, effect });
    else this.queued.add(lane);
  }

  /**
   * Queues `effect` unless one of its kind is still waiting (it will see this change too), not to run before
   * `notBefore`: for work that only needs the latest state, like re-rendering a feed.
   */
  enqueueOnce(effect: Effect, notBefore: number): boolean {
    const waiting = this.sql.exec("SELECT count(*) AS n FROM effects WHERE kind = ? AND attempts = 0", effect.kind).one().n;
    if (waiting) return false;
    this.insert(effect, notBefore);
    this.queued.add(LANE_OF[effect.kind]);
    return true;
  }

  /**
   * What an operation does before it answers: live pushes go out, refunds through the student's object settle now
   * (the caller reads the balance back), everything else drains after the answer.
   */
  async settleBeforeAnswer(): Promise<void> {
    this.pushFresh();
    this.ctx.waitUntil(this.wakeAt(Date.now() + SAFETY_NET_MS));
    await this.lane("wallet");
    this.ctx.waitUntil(this.lane("d1"));
  }

  /** Everything after the answer (an operation with nothing the caller reads back). */
  afterAnswer() {
    this.pushFresh();
    for (const lane of ["wallet", "d1"] as const) this.ctx.waitUntil(this.lane(lane));
    this.ctx.waitUntil(this.wakeAt(Date.now() + SAFETY_NET_MS));
  }

  /** Runs every lane until nothing is due, effects queued by effects included (the alarm; tests call it through `settle`). */
  async drainAll(): Promise<void> {
    do {
      this.queued.clear();
      this.pushFresh();
      await Promise.all([...this.inflight.values(), this.lane("live"), this.lane("wallet"), this.lane("d1")]);
    } while (this.queued.size > 0 || this.fresh.length > 0);
  }

  pending(): number {
    const n = this.sql.exec("SELECT count(*) AS n FROM effects").one().n;
    return typeof n === "number" ? n : 0;
  }

  nextDue(): number | null {
    const t = this.sql.exec("SELECT min(next_ms) AS t FROM effects").one().t;
    return typeof t === "number" ? t : null;
  }

  private insert(effect: Effect, nextMs: number): number {
    return EffectIdSchema.parse(this.sql.exec("INSERT INTO effects (kind, payload, next_ms) VALUES (?, ?, ?) RETURNING id", effect.kind, JSON.stringify(effect), nextMs).one()).id;
  }

  /**
   * The live pushes of the operation that just committed, sent now, side by side across recipients (in order for
   * one): they do not wait behind a lane runner busy with earlier pushes. The output gate holds them until the
   * change is durable.
   */
  private pushFresh() {
    const fresh = this.fresh;
    this.fresh = [];
    for (const group of byOrderKey(fresh)) {
      const key = orderKey(group[0]!.effect);
      // After this person's pushes still on their way, so one person sees changes in the order they happened.
      const run = (this.tails.get(key) ?? Promise.resolve()).then(async () => {
        for (const { id, effect } of group) await this.attempt(id, () => effect, 0);
      });
      this.tails.set(key, run);
      for (const { id } of group) this.inflight.set(id, run);
      this.ctx.waitUntil(
        run.finally(() => {
          for (const { id } of group) this.inflight.delete(id);
          if (this.tails.get(key) === run) this.tails.delete(key);
        }),
      );
    }
  }

  /** Runs one effect: deleted when done, else retried with backoff (alarm). */
  private async attempt(id: number, effect: () => Effect, attempts: number): Promise<void> {
    try {
      await this.runner.one(effect());
      this.sql.exec("DELETE FROM effects WHERE id = ?", id);
    } catch (e) {
      const delay = RETRY_MS[Math.min(attempts, RETRY_MS.length - 1)]!;
      this.sql.exec("UPDATE effects SET attempts = attempts + 1, next_ms = ?, last_error = ? WHERE id = ?", Date.now() + delay, String(e).slice(0, 500), id);
      log.warn("calendar effect failed; will retry", { ...this.context(), effectId: id, attempts: attempts + 1, error: String(e) });
      await this.wakeAt(Date.now() + delay);
    }
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

  /** The lane's due effects, a batch at a time: one order key's effects in order, different keys side by side. */
  private async runLane(lane: Lane): Promise<void> {
    const tried = new Set<number>();
    for (;;) {
      const rows = this.sql
        .exec(`SELECT id, payload, attempts FROM effects WHERE next_ms <= ? AND ${inLane(lane)} ORDER BY id LIMIT ${BATCH}`, Date.now())
        .toArray()
        .map((r) => EffectRowSchema.parse(r))
        .filter((r) => !tried.has(r.id) && !this.inflight.has(r.id));
      if (!rows.length) return;
      for (const r of rows) tried.add(r.id);
      const parsed = rows.map((r) => ({ ...r, effect: storedEffect(r.payload) }));
      await Promise.all(byOrderKey(parsed).map((group) => this.runInOrder(lane, group)));
    }
  }

  /**
   * One order key's effects: those of the kinds run together first (effects.ts, `TOGETHER`: all the pass's
   * projections as one batch, then its notices as one delivery), then the rest one by one in the order queued.
   */
  private async runInOrder(lane: Lane, group: { id: number; payload: string; attempts: number; effect: Effect | null }[]): Promise<void> {
    const together = new Map<string, { id: number; attempts: number; effect: Effect }[]>();
    const alone: typeof group = [];
    for (const r of group) {
      const name = r.effect ? TOGETHER[r.effect.kind] : undefined;
      if (name && r.effect) together.set(name, [...(together.get(name) ?? []), { id: r.id, attempts: r.attempts, effect: r.effect }]);
      else alone.push(r);
    }
    const turns = [
      ...(["projection", "notices"] as const).flatMap((name) => (together.has(name) ? [() => this.attemptTogether(together.get(name)!)] : [])),
      // A row that does not parse fails like any effect (kept, retried, logged).
      ...alone.map((r) => () => this.attempt(r.id, () => r.effect ?? EffectSchema.parse(JSON.parse(r.payload)), r.attempts)),
    ];
    for (const turn of turns) {
      await turn();
      // What this effect queued in other lanes runs now, not at the next alarm.
      for (const other of this.queued) if (other !== lane) this.ctx.waitUntil(this.lane(other));
      if (this.fresh.length) this.pushFresh();
    }
  }

  /** Effects run as one; when that fails, each is tried on its own, so one that cannot succeed holds back no other. */
  private async attemptTogether(batch: { id: number; attempts: number; effect: Effect }[]): Promise<void> {
    if (batch.length > 1) {
      try {
        await this.runner.together(batch.map((r) => r.effect));
        this.sql.exec(`DELETE FROM effects WHERE id IN (${batch.map(() => "?").join(", ")})`, ...batch.map((r) => r.id));
        return;
      } catch (e) {
        log.warn("calendar effects failed together; trying each alone", { ...this.context(), effects: batch.length, error: String(e) });
      }
    }
    for (const r of batch) await this.attempt(r.id, () => r.effect, r.attempts);
  }
}
