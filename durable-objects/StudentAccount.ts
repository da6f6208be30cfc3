import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { allocate } from "../domain/credits";
import { getDb } from "../worker/db/client";
import { creditLedger } from "../worker/db/schema";
import { eq } from "drizzle-orm";
import { balanceOf, debitStatements, debitsOf, refundStatements } from "../worker/features/credits/repo";
import { Mutex } from "./lib/mutex";
import { notifyUser } from "./lib/notify";

/**
 * One per student: the serialization point for everything a student spends — their time and their credits.
 *
 * A student's sessions span many tutors, so no tutor's calendar can see them all; this object keeps the
 * student's reservations (time ranges) in its own SQLite and is the only writer of ledger entries that take
 * credit. Every operation runs under one mutex, so "check the balance / check for overlap, then write" cannot
 * interleave with another spend by the same student, even across the awaits on D1.
 */
const ReserveSchema = z.object({
  studentId: z.string().min(1),
  reservationId: z.string().min(1),
  sessionId: z.string().min(1),
  tutorId: z.string().min(1),
  start: z.number().int(),
  end: z.number().int(),
  cost: z.number().int().positive(),
  now: z.number().int(),
});
export type ReserveArgs = z.infer<typeof ReserveSchema>;
export type ReserveResult = { ok: true } | { ok: false; code: "student_busy" | "insufficient_credits" | "reservation_closed" };

const ReleaseSchema = z.object({
  studentId: z.string().min(1),
  reservationId: z.string().min(1),
  refund: z.boolean(),
  reason: z.string().max(200),
  now: z.number().int(),
});
export type ReleaseArgs = z.infer<typeof ReleaseSchema>;

const MoveSchema = z.object({ reservationId: z.string().min(1), start: z.number().int(), end: z.number().int() });

const TakeSchema = z.object({
  studentId: z.string().min(1),
  minutes: z.number().int().positive(),
  reason: z.string().max(500),
  actorId: z.string().min(1),
  now: z.number().int(),
});

type Reservation = { reservation_id: string; session_id: string; tutor_id: string; start_ms: number; end_ms: number; status: string };

export class StudentAccount extends DurableObject<Env> {
  private readonly lock = new Mutex();
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS reservations (
      reservation_id TEXT PRIMARY KEY,
      session_id TEXT NOT NULL,
      tutor_id TEXT NOT NULL,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('active', 'released'))
    )`);
    this.sql.exec("CREATE INDEX IF NOT EXISTS reservations_time ON reservations (status, start_ms)");
  }

  private overlapping(start: number, end: number, except?: string): Reservation | undefined {
    return this.sql
      .exec<Reservation>(
        "SELECT * FROM reservations WHERE status = 'active' AND start_ms < ? AND end_ms > ? AND reservation_id IS NOT ? LIMIT 1",
        end,
        start,
        except ?? null,
      )
      .toArray()[0];
  }

  /**
   * Claims the student's time and spends `cost` credits for one reservation. Idempotent by reservation id:
   * a repeat (a retry, or a crash after the debit) finds the debit already in the ledger and succeeds.
   */
  async reserve(input: ReserveArgs): Promise<ReserveResult> {
    const a = ReserveSchema.parse(input);
    return this.lock.run(async () => {
      const db = getDb(this.env);
      const mine = this.sql.exec<Reservation>("SELECT * FROM reservations WHERE reservation_id = ?", a.reservationId).toArray()[0];
      if (mine?.status === "active") return { ok: true } as const;
      // A released reservation is final: its id is never spent again (a new booking gets a new id).
      if (mine?.status === "released") return { ok: false, code: "reservation_closed" } as const;
      if ((await debitsOf(db, a.reservationId)).length) {
        this.upsertReservation(a);
        return { ok: true } as const;
      }
      if (this.overlapping(a.start, a.end)) return { ok: false, code: "student_busy" } as const;
      const now = new Date(a.now);
      const balance = await balanceOf(db, a.studentId, now);
      const allocation = allocate(balance, a.cost);
      if (!allocation) return { ok: false, code: "insufficient_credits" } as const;
      const [first, ...rest] = debitStatements(db, a.studentId, a.reservationId, allocation, now);
      await db.batch([first!, ...rest]);
      this.upsertReservation(a);
      await notifyUser(this.env, a.studentId, { type: "credits.changed", balanceMinutes: balance.balanceMinutes - a.cost });
      return { ok: true } as const;
    });
  }

  private upsertReservation(a: ReserveArgs) {
    this.sql.exec(
      `INSERT INTO reservations (reservation_id, session_id, tutor_id, start_ms, end_ms, status) VALUES (?, ?, ?, ?, ?, 'active')
       ON CONFLICT (reservation_id) DO UPDATE SET status = 'active', start_ms = excluded.start_ms, end_ms = excluded.end_ms`,
      a.reservationId,
      a.sessionId,
      a.tutorId,
      a.start,
      a.end,
    );
  }

  /** Frees the reservation's time and, when `refund`, gives back what it cost. Safe to repeat. */
  async release(input: ReleaseArgs): Promise<void> {
    const a = ReleaseSchema.parse(input);
    await this.lock.run(async () => {
      this.sql.exec("UPDATE reservations SET status = 'released' WHERE reservation_id = ?", a.reservationId);
      if (!a.refund) return;
      const db = getDb(this.env);
      const now = new Date(a.now);
      const statements = await refundStatements(db, a.studentId, a.reservationId, now, a.reason);
      if (!statements.length) return;
      const [first, ...rest] = statements;
      await db.batch([first!, ...rest]);
      await this.pushBalance(a.studentId, now);
    });
  }

  /** Moves a reservation to a new time; refuses (false) when the student is busy then. */
  async move(input: z.infer<typeof MoveSchema>): Promise<boolean> {
    const a = MoveSchema.parse(input);
    return this.lock.run(async () => {
      if (this.overlapping(a.start, a.end, a.reservationId)) return false;
      this.sql.exec("UPDATE reservations SET start_ms = ?, end_ms = ? WHERE reservation_id = ?", a.start, a.end, a.reservationId);
      return true;
    });
  }

  /** Takes credit out of the ledger (an admin's negative adjustment), first-expiring lots first; false when short. */
  async takeCredits(input: z.infer<typeof TakeSchema>): Promise<boolean> {
    const a = TakeSchema.parse(input);
    return this.lock.run(async () => {
      const db = getDb(this.env);
      const now = new Date(a.now);
      const allocation = allocate(await balanceOf(db, a.studentId, now), a.minutes);
      if (!allocation) return false;
      const rows = allocation.map((x) =>
        db.insert(creditLedger).values({
          id: crypto.randomUUID(),
          userId: a.studentId,
          kind: "adjust",
          minutes: -x.minutes,
          lotId: x.lotId,
          reason: a.reason,
          actorId: a.actorId,
          createdAt: now.toISOString(),
        }),
      );
      await db.batch([rows[0]!, ...rows.slice(1)]);
      await this.pushBalance(a.studentId, now);
      return true;
    });
  }

  /**
   * Takes back up to `targetMinutes` in total from one lot (the credit a refunded payment bought), counting what
   * earlier deliveries of the same refund already took, and never more than the lot still holds.
   */
  async clawBack(input: { studentId: string; lotId: string; targetMinutes: number; ref: string; now: number }): Promise<number> {
    const a = z
      .object({ studentId: z.string().min(1), lotId: z.string().min(1), targetMinutes: z.number().int().min(0), ref: z.string().min(1), now: z.number().int() })
      .parse(input);
    return this.lock.run(async () => {
      const db = getDb(this.env);
      const now = new Date(a.now);
      const rows = await db.select().from(creditLedger).where(eq(creditLedger.userId, a.studentId)).all();
      const taken = rows.filter((r) => r.kind === "adjust" && r.lotId === a.lotId && r.reservationId?.startsWith(`${a.ref}#`)).reduce((s, r) => s + -r.minutes, 0);
      const lot = (await balanceOf(db, a.studentId, now)).lots.find((l) => l.id === a.lotId);
      const take = Math.min(a.targetMinutes - taken, lot?.remainingMinutes ?? 0);
      if (take <= 0) return 0;
      await db.insert(creditLedger).values({
        id: crypto.randomUUID(),
        userId: a.studentId,
        kind: "adjust",
        minutes: -take,
        lotId: a.lotId,
        reservationId: `${a.ref}#${taken + take}`,
        reason: "payment refunded",
        createdAt: now.toISOString(),
      });
      await this.pushBalance(a.studentId, now);
      return take;
    });
  }

  /** Writes `expire` entries for lots past their expiry that still hold minutes. Returns minutes expired. */
  async expireDue(input: { studentId: string; now: number }): Promise<number> {
    const a = z.object({ studentId: z.string().min(1), now: z.number().int() }).parse(input);
    return this.lock.run(async () => {
      const db = getDb(this.env);
      const now = new Date(a.now);
      const { expiredUnrecorded } = await balanceOf(db, a.studentId, now);
      if (!expiredUnrecorded.length) return 0;
      const rows = expiredUnrecorded.map((lot) =>
        db
          .insert(creditLedger)
          .values({ id: crypto.randomUUID(), userId: a.studentId, kind: "expire", minutes: lot.remainingMinutes, lotId: lot.id, reason: "expired", createdAt: now.toISOString() })
          .onConflictDoNothing(),
      );
      await db.batch([rows[0]!, ...rows.slice(1)]);
      return expiredUnrecorded.reduce((s, l) => s + l.remainingMinutes, 0);
    });
  }

  /** Active reservations (for tests and the repair job). */
  activeReservations(): Reservation[] {
    return this.sql.exec<Reservation>("SELECT * FROM reservations WHERE status = 'active' ORDER BY start_ms").toArray();
  }

  private async pushBalance(studentId: string, now: Date) {
    const { balanceMinutes } = await balanceOf(getDb(this.env), studentId, now);
    await notifyUser(this.env, studentId, { type: "credits.changed", balanceMinutes });
  }
}
