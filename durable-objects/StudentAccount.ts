import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { POLICY, allocate, foldLedger, refundExpiry } from "../domain/credits";
import type { Duration } from "../domain/schemas/availability";
import { sendNotice } from "./calendar/notices";
import { type Candidate, findReplacements } from "./student/candidates";
import { getDb } from "../platform/db/client";
import { creditLedger } from "../platform/db/schema";
import { eq } from "drizzle-orm";
import { balanceOf, debitStatements, debitsOf, ledgerRows, refundStatements, toEntry } from "../platform/credits/ledgerRepo";
import { Mutex } from "./lib/mutex";
import { notifyUser } from "../platform/notifications/live";

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
  /** Refund only this many of the reservation's credit-minutes (a session that ended early); absent: all of it. */
  refundMinutes: z.number().int().positive().optional(),
  reason: z.string().max(200),
  now: z.number().int(),
});
export type ReleaseArgs = z.infer<typeof ReleaseSchema>;

const OfferSchema = z.object({
  studentId: z.string().min(1),
  reservationId: z.string().min(1),
  sessionId: z.string().min(1),
  tutorId: z.string().min(1),
  subject: z.string().min(1),
  start: z.number().int(),
  end: z.number().int(),
  now: z.number().int(),
});
const TransferSchema = z.object({
  studentId: z.string().min(1),
  fromReservationId: z.string().min(1),
  toReservationId: z.string().min(1),
  sessionId: z.string().min(1),
  tutorId: z.string().min(1),
  start: z.number().int(),
  end: z.number().int(),
  now: z.number().int(),
});

/** Offers close this long before the session starts (the student must choose before), and need this long to choose. */
export const OFFER_CUTOFF_BEFORE_START_MS = 60 * 60_000;
export const OFFER_MIN_DECISION_MS = 15 * 60_000;

type OfferRow = {
  id: string;
  cancelled_session_id: string;
  tutor_id: string;
  subject: string;
  start_ms: number;
  end_ms: number;
  candidates: string;
  status: "preparing" | "open" | "accepting" | "accepted" | "declined" | "expired" | "refunded";
  cutoff_ms: number;
  accepted_session_id: string | null;
  created_ms: number;
};
export type OfferView = {
  id: string;
  cancelledSessionId: string;
  tutorId: string;
  subject: string;
  start: string;
  end: string;
  status: OfferRow["status"];
  cutoff: string;
  candidates: Candidate[];
  acceptedSessionId: string | null;
};

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
    this.sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    /** Replacement offers after a tutor cancelled; `id` is the cancelled reservation, whose credits wait here. */
    this.sql.exec(`CREATE TABLE IF NOT EXISTS offers (
      id TEXT PRIMARY KEY,
      cancelled_session_id TEXT NOT NULL,
      tutor_id TEXT NOT NULL,
      subject TEXT NOT NULL,
      start_ms INTEGER NOT NULL,
      end_ms INTEGER NOT NULL,
      candidates TEXT NOT NULL DEFAULT '[]',
      status TEXT NOT NULL CHECK (status IN ('preparing', 'open', 'accepting', 'accepted', 'declined', 'expired', 'refunded')),
      cutoff_ms INTEGER NOT NULL,
      accepted_session_id TEXT,
      created_ms INTEGER NOT NULL
    )`);
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
    this.bindStudent(a.studentId);
    return this.lock.run(async () => {
      const db = getDb(this.env);
      const mine = this.sql.exec<Reservation>("SELECT * FROM reservations WHERE reservation_id = ?", a.reservationId).toArray()[0];
      if (mine?.status === "active") return { ok: true } as const;
      // A released reservation is final: its id is never spent again (a new booking gets a new id).
      if (mine?.status === "released") return { ok: false, code: "reservation_closed" } as const;
      if (this.overlapping(a.start, a.end)) return { ok: false, code: "student_busy" } as const;
      // One read of the ledger answers both "was this reservation already paid?" and "what is left?".
      const now = new Date(a.now);
      const rows = await ledgerRows(db, a.studentId);
      if (rows.some((r) => r.kind === "debit" && r.reservationId === a.reservationId)) {
        this.upsertReservation(a);
        return { ok: true } as const;
      }
      const balance = foldLedger(rows.map(toEntry), now);
      const allocation = allocate(balance, a.cost);
      if (!allocation) return { ok: false, code: "insufficient_credits" } as const;
      const [first, ...rest] = debitStatements(db, a.studentId, a.reservationId, allocation, now);
      await db.batch([first!, ...rest]);
      this.upsertReservation(a);
      // A live push is best effort: it must not hold the booking up.
      this.ctx.waitUntil(notifyUser(this.env, a.studentId, { type: "credits.changed", balanceMinutes: balance.balanceMinutes - a.cost }));
      return { ok: true } as const;
    });
  }

  /** Objects are addressed by the student's id, which they cannot read back: remember it for alarms. */
  private bindStudent(studentId: string) {
    if (!this.meta("student_id")) this.sql.exec("INSERT INTO meta (key, value) VALUES ('student_id', ?)", studentId);
  }

  private upsertReservation(a: Pick<ReserveArgs, "reservationId" | "sessionId" | "tutorId" | "start" | "end">) {
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
      const statements = await refundStatements(db, a.studentId, a.reservationId, now, a.reason, a.refundMinutes);
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

  // ───────────────────────── a tutor cancelled: replacement offers ─────────────────────────

  /**
   * Opens the replacement offer for a reservation whose tutor cancelled (once per reservation). The credits stay
   * spent and the student's time stays held until they accept a replacement, decline, or the cut-off passes —
   * then they are refunded, exactly once. With no replacement free (or no time left to choose), refund at once.
   */
  async openOffer(input: z.input<typeof OfferSchema>): Promise<void> {
    const a = OfferSchema.parse(input);
    if (this.offer(a.reservationId)) return;
    const cutoff = a.start - OFFER_CUTOFF_BEFORE_START_MS;
    this.sql.exec(
      "INSERT INTO offers (id, cancelled_session_id, tutor_id, subject, start_ms, end_ms, status, cutoff_ms, created_ms) VALUES (?, ?, ?, ?, ?, ?, 'preparing', ?, ?)",
      a.reservationId,
      a.sessionId,
      a.tutorId,
      a.subject,
      a.start,
      a.end,
      cutoff,
      a.now,
    );
    const candidates =
      cutoff - a.now >= OFFER_MIN_DECISION_MS
        ? await findReplacements(this.env, { subject: a.subject, excludeTutorId: a.tutorId, start: a.start, durationMinutes: ((a.end - a.start) / 60_000) as Duration, now: a.now })
        : [];
    if (!candidates.length) {
      this.sql.exec("UPDATE offers SET status = 'refunded' WHERE id = ?", a.reservationId);
      await this.refundOffer(a.studentId, a.reservationId, a.now);
      return;
    }
    this.sql.exec("UPDATE offers SET status = 'open', candidates = ? WHERE id = ?", JSON.stringify(candidates), a.reservationId);
    await this.ctx.storage.setAlarm(Math.min((await this.ctx.storage.getAlarm()) ?? Infinity, cutoff));
    await sendNotice(this.env, {
      userId: a.studentId,
      nameOf: a.tutorId,
      template: { kind: "tutor_cancelled_offers", subject: a.subject, start: new Date(a.start).toISOString(), tutorName: "", offers: candidates.length },
      dedupeKey: `offers:${a.reservationId}`,
      link: "/sessions",
    });
    await notifyUser(this.env, a.studentId, { type: "notification", id: `offer:${a.reservationId}`, title: "Replacement tutors available", body: `${candidates.length} ${candidates.length === 1 ? "tutor is" : "tutors are"} free at that time.`, link: "/sessions" });
  }

  private offer(id: string): OfferRow | undefined {
    return this.sql.exec<OfferRow>("SELECT * FROM offers WHERE id = ?", id).toArray()[0];
  }

  offers(): OfferView[] {
    return this.sql
      .exec<OfferRow>("SELECT * FROM offers ORDER BY start_ms")
      .toArray()
      .map((o) => ({
        id: o.id,
        cancelledSessionId: o.cancelled_session_id,
        tutorId: o.tutor_id,
        subject: o.subject,
        start: new Date(o.start_ms).toISOString(),
        end: new Date(o.end_ms).toISOString(),
        status: o.status,
        cutoff: new Date(o.cutoff_ms).toISOString(),
        candidates: JSON.parse(o.candidates) as Candidate[],
        acceptedSessionId: o.accepted_session_id,
      }));
  }

  /**
   * Rebooks with one of the offered tutors at no extra cost: the offer is claimed synchronously (a second accept
   * sees it taken), then the new tutor's calendar books the same time paid by moving this reservation's credits.
   */
  async acceptOffer(input: { studentId: string; offerId: string; tutorId: string; sessionId: string; now: number }) {
    const a = z.object({ studentId: z.string().min(1), offerId: z.string().min(1), tutorId: z.string().min(1), sessionId: z.string().min(1), now: z.number().int() }).parse(input);
    const o = this.offer(a.offerId);
    if (!o) return { ok: false as const, code: "not_found", message: "That offer was not found." };
    if (o.status !== "open" || a.now >= o.cutoff_ms) return { ok: false as const, code: "offer_closed", message: "This offer is no longer open." };
    const candidates = JSON.parse(o.candidates) as Candidate[];
    if (!candidates.some((c) => c.tutorId === a.tutorId)) return { ok: false as const, code: "not_offered", message: "That tutor was not one of the offers." };
    this.sql.exec("UPDATE offers SET status = 'accepting' WHERE id = ?", a.offerId);
    let outcome;
    try {
      outcome = await this.env.TUTOR_CALENDAR.get(this.env.TUTOR_CALENDAR.idFromName(a.tutorId)).book({
        tutorId: a.tutorId,
        sessionId: a.sessionId,
        studentId: a.studentId,
        start: o.start_ms,
        durationMinutes: ((o.end_ms - o.start_ms) / 60_000) as Duration,
        subject: o.subject,
        now: a.now,
        transferFrom: a.offerId,
      });
    } catch (e) {
      this.sql.exec("UPDATE offers SET status = 'open' WHERE id = ? AND status = 'accepting'", a.offerId);
      throw e;
    }
    if (!outcome.ok) {
      // That tutor is no longer free: keep the others on offer (or refund when none is left).
      const rest = candidates.filter((c) => c.tutorId !== a.tutorId);
      this.sql.exec("UPDATE offers SET status = ?, candidates = ? WHERE id = ?", rest.length ? "open" : "refunded", JSON.stringify(rest), a.offerId);
      if (!rest.length) await this.refundOffer(a.studentId, a.offerId, a.now);
      return outcome;
    }
    this.sql.exec("UPDATE offers SET status = 'accepted', accepted_session_id = ? WHERE id = ?", outcome.value.id, a.offerId);
    await sendNotice(this.env, {
      userId: a.studentId,
      nameOf: a.tutorId,
      template: { kind: "rebooked", subject: o.subject, start: new Date(o.start_ms).toISOString(), tutorName: "" },
      dedupeKey: `rebooked:${a.offerId}`,
      link: "/sessions",
    });
    return outcome;
  }

  /** The student takes the credits back instead of a replacement. */
  async declineOffer(input: { studentId: string; offerId: string; now: number }) {
    const a = z.object({ studentId: z.string().min(1), offerId: z.string().min(1), now: z.number().int() }).parse(input);
    const o = this.offer(a.offerId);
    if (!o) return { ok: false as const, code: "not_found", message: "That offer was not found." };
    if (o.status !== "open") return { ok: false as const, code: "offer_closed", message: "This offer is no longer open." };
    this.sql.exec("UPDATE offers SET status = 'declined' WHERE id = ?", a.offerId);
    await this.refundOffer(a.studentId, a.offerId, a.now);
    return { ok: true as const, value: null };
  }

  private async refundOffer(studentId: string, reservationId: string, now: number) {
    const o = this.offer(reservationId);
    await this.release({ studentId, reservationId, refund: true, reason: "tutor cancelled", now });
    if (!o) return;
    const debits = await debitsOf(getDb(this.env), reservationId);
    await sendNotice(this.env, {
      userId: studentId,
      nameOf: null,
      template: { kind: "refunded", subject: o.subject, start: new Date(o.start_ms).toISOString(), minutes: debits.reduce((s, d) => s + d.minutes, 0) },
      dedupeKey: `refunded:${reservationId}`,
      link: "/billing",
    });
  }

  /** Offers whose cut-off passed are refunded (each once: the status changes before the refund is awaited). */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const due = this.sql.exec<OfferRow>("SELECT * FROM offers WHERE status = 'open' AND cutoff_ms <= ?", now).toArray();
    for (const o of due) this.sql.exec("UPDATE offers SET status = 'expired' WHERE id = ?", o.id);
    const studentId = this.meta("student_id");
    for (const o of due) if (studentId) await this.refundOffer(studentId, o.id, now);
    const next = this.sql.exec<{ t: number | null }>("SELECT min(cutoff_ms) AS t FROM offers WHERE status IN ('open', 'accepting')").one().t;
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, now + 1000));
  }

  /**
   * Moves a reservation's spent credits to a new reservation at the same time (a replacement booking): the old
   * one is refunded and the new one debited from exactly those refunded lots, in one D1 batch.
   */
  async transferReservation(input: z.input<typeof TransferSchema>): Promise<ReserveResult> {
    const a = TransferSchema.parse(input);
    return this.lock.run(async () => {
      const db = getDb(this.env);
      const to = this.sql.exec<Reservation>("SELECT * FROM reservations WHERE reservation_id = ?", a.toReservationId).toArray()[0];
      if (to?.status === "active") return { ok: true } as const;
      const from = this.sql.exec<Reservation>("SELECT * FROM reservations WHERE reservation_id = ?", a.fromReservationId).toArray()[0];
      const offer = this.offer(a.fromReservationId);
      if (!from || from.status !== "active" || offer?.status !== "accepting" || from.start_ms !== a.start || from.end_ms !== a.end) {
        return { ok: false, code: "reservation_closed" } as const;
      }
      if (this.overlapping(a.start, a.end, a.fromReservationId)) return { ok: false, code: "student_busy" } as const;
      if (!(await debitsOf(db, a.toReservationId)).length) {
        const debits = await debitsOf(db, a.fromReservationId);
        const lots = await balanceOf(db, a.studentId, new Date(a.now));
        const statements = debits.flatMap((d) => {
          const refundId = crypto.randomUUID();
          const expiresAt = lots.lots.find((l) => l.id === d.lotId)?.expiresAt ?? new Date(a.now + POLICY.refundMinValidityDays * 86_400_000).toISOString();
          const at = new Date(a.now).toISOString();
          return [
            db.insert(creditLedger).values({ id: refundId, userId: a.studentId, kind: "refund", minutes: d.minutes, lotId: d.lotId, expiresAt: refundExpiry(expiresAt, new Date(a.now), POLICY.refundMinValidityDays), reservationId: a.fromReservationId, reason: "moved to a replacement booking", createdAt: at }),
            db.insert(creditLedger).values({ id: crypto.randomUUID(), userId: a.studentId, kind: "debit", minutes: d.minutes, lotId: refundId, reservationId: a.toReservationId, createdAt: at }),
          ];
        });
        if (statements.length) await db.batch([statements[0]!, ...statements.slice(1)]);
      }
      this.sql.exec("UPDATE reservations SET status = 'released' WHERE reservation_id = ?", a.fromReservationId);
      this.upsertReservation({ ...a, reservationId: a.toReservationId });
      return { ok: true } as const;
    });
  }

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
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
