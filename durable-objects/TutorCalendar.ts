import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import { POLICY, creditCost, studentCancellationRefunds } from "../domain/credits";
import { LIVE_CLOSE, type ServerMessage } from "../domain/protocol";
import { AvailabilityInputSchema, type Availability, DurationSchema } from "../domain/schemas/availability";
import type { Booking } from "../domain/schemas/booking";
import { type Interval, computeSlots, isSlotAvailable } from "../domain/time";
import { joinWindow } from "../domain/video/window";
import { log } from "../platform/log";
import { BLOCKS_DDL, type BlockChange, BlockInputSchema, BlockSourceSchema, type Conflict, blockCounts, dismissConflict, openConflicts, removeBlock, replaceBlocks, upsertBlock } from "./calendar/blocks";
import { type Effect, EffectSchema } from "./calendar/effects";
import { accrueEarning, projectSession, projectWeekly } from "./calendar/projection";
import { type BlockRow, CALENDAR_DDL, SESSION_COLUMNS_V2, type SeatRow, type SessionRow } from "./calendar/storage";
import { addColumns } from "./lib/migrate";
import { SOCKET_CAPS, acceptSocket, admitMessage, closeOldest, openSockets, safeSend } from "./lib/socketLimits";
import { notifyUser } from "../platform/notifications/live";
import { sendNotice } from "./calendar/notices";
import { recordReliability } from "../platform/reliability";

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far outside a query window busy time is loaded: buffers and long sessions reach across its edges. */
const BUSY_MARGIN = DAY;
const EFFECT_RETRY_MS = [1_000, 5_000, 30_000, 120_000, 600_000];
const REMIND_24H = 24 * 3_600_000;
/** Effects a request waits for: what the caller reads right after (bookings list, balance, offers, earnings). */
const URGENT_EFFECTS = ["project", "project_weekly", "release", "offer", "earn", "reliability", "seat_lost"] as const;
type Lane = "urgent" | "background";
const REMIND_1H = 3_600_000;

const Id = z.string().min(1).max(100);
const Instant = z.number().int().positive();
const ActorSchema = z.object({ id: Id, role: z.enum(["student", "tutor", "admin"]) });
export type Actor = z.infer<typeof ActorSchema>;

const BookSchema = z.object({
  tutorId: Id,
  sessionId: Id,
  studentId: Id,
  start: Instant,
  durationMinutes: DurationSchema,
  subject: z.string().min(1).max(60),
  now: Instant,
  /** A replacement booking: paid by moving this (cancelled) reservation's credits instead of spending new ones. */
  transferFrom: Id.optional(),
});
const CanBookSchema = z.object({ tutorId: Id, start: Instant, durationMinutes: DurationSchema, now: Instant });
const OpenGroupSchema = z.object({
  tutorId: Id,
  sessionId: Id,
  start: Instant,
  durationMinutes: DurationSchema,
  subject: z.string().min(1).max(60),
  seats: z.number().int().min(POLICY.groupMinSeats).max(POLICY.groupMaxSeats),
  now: Instant,
});
const JoinGroupSchema = z.object({
  tutorId: Id,
  sessionId: Id.optional(),
  /** Alternatively, the group session of this tutor that starts at `start` teaching `subject`. */
  start: Instant.optional(),
  subject: z.string().min(1).max(60).optional(),
  studentId: Id,
  reservationId: Id,
  now: Instant,
});
const CancelSchema = z.object({ tutorId: Id, sessionId: Id, actor: ActorSchema, reason: z.string().max(500).optional(), now: Instant });
const RescheduleSchema = z.object({ tutorId: Id, sessionId: Id, actor: ActorSchema, start: Instant, now: Instant });
const ReplaceBlocksSchema = z.object({ tutorId: Id, source: BlockSourceSchema, blocks: z.array(z.unknown()).max(5_000).transform((xs) => xs.map((x) => BlockInputSchema.parse(x))), now: Instant });
const UpsertBlockSchema = z.object({ tutorId: Id, source: BlockSourceSchema, block: BlockInputSchema, now: Instant });
const RemoveBlockSchema = z.object({ tutorId: Id, source: BlockSourceSchema, externalId: z.string().min(1).max(500), now: Instant, forever: z.boolean().default(false) });
const CompleteSchema = z.object({ tutorId: Id, sessionId: Id, actor: ActorSchema.or(z.literal("system")), now: Instant });
const SlotsSchema = z.object({ tutorId: Id, from: Instant, to: Instant, durationMinutes: DurationSchema, now: Instant });
const MoveForTestingSchema = z.object({ tutorId: Id, sessionId: Id, start: Instant, end: Instant, now: Instant });

export type Failure = { ok: false; code: string; message: string };
export type Outcome<T> = { ok: true; value: T } | Failure;
const fail = (code: string, message: string): Failure => ({ ok: false, code, message });
/** Unknown bookings and other people's look the same: nothing says which exists. */
const NOT_FOUND = fail("not_found", "That booking was not found.");

const MESSAGES = {
  slot_unavailable: "That time is no longer available. Pick another slot.",
  student_busy: "You already have a session at that time.",
  insufficient_credits: "You do not have enough credits for this session.",
  reservation_closed: "That booking attempt has already been closed. Try again.",
} as const;

/** An open group session as a student browsing a tutor sees it. */
export type GroupOffer = { id: string; start: string; end: string; subject: string; seats: number; seatsTaken: number; creditsMinutes: number };

/**
 * One per tutor: the only writer of that tutor's time — availability, holds, bookings, group sessions and
 * outside blocks. Every write checks the invariants against this object's own SQLite with no `await` between
 * the check and the write, so two requests can never both take the same time. A booking is held here before
 * anything outside is awaited (the student's credits), so concurrent requests see the hold; the alarm expires
 * holds that were never confirmed and retries the outbox of effects (refunds, the D1 projection, live events).
 */
export class TutorCalendar extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly inflight = new Map<string, Promise<Outcome<Booking>>>();
  private readonly lanes = new Map<Lane, Promise<void>>();
  private cachedAvailability: Availability | null | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const ddl of [...CALENDAR_DDL, ...BLOCKS_DDL]) this.sql.exec(ddl);
    addColumns(this.sql, "sessions", SESSION_COLUMNS_V2);
  }

  // ───────────────────────── reads ─────────────────────────

  private meta(key: string): string | undefined {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0]?.value;
  }
  private setMeta(key: string, value: string) {
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value);
  }

  /** The tutor this object belongs to (objects are addressed by name, which they cannot read back). */
  private bindTutor(tutorId: string) {
    const known = this.meta("tutor_id");
    if (!known) this.setMeta("tutor_id", tutorId);
    else if (known !== tutorId) throw new Error(`Calendar of ${known} addressed as ${tutorId}`);
  }
  private get tutorId(): string {
    return this.meta("tutor_id") ?? "";
  }

  /** The tutor's rules, parsed once and kept until they change (every booking and slot query reads them). */
  availability(): Availability | null {
    if (this.cachedAvailability === undefined) {
      const raw = this.meta("availability");
      this.cachedAvailability = raw ? AvailabilityInputSchema.parse(JSON.parse(raw)) : null;
    }
    return this.cachedAvailability;
  }

  private session(id: string): SessionRow | undefined {
    return this.sql.exec<SessionRow>("SELECT * FROM sessions WHERE id = ?", id).toArray()[0];
  }
  private seatsOf(sessionId: string): SeatRow[] {
    return this.sql.exec<SeatRow>("SELECT * FROM seats WHERE session_id = ? ORDER BY rowid", sessionId).toArray();
  }
  private takenSeats(sessionId: string): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM seats WHERE session_id = ? AND status IN ('held', 'confirmed')", sessionId).one().n;
  }

  /** Time the tutor is not free in [from, to): live sessions (and their pending moves) and outside blocks. */
  private busy(from: number, to: number, exceptSessionId?: string): Interval[] {
    const lo = from - BUSY_MARGIN;
    const hi = to + BUSY_MARGIN;
    const out: Interval[] = [];
    for (const s of this.sql.exec<SessionRow>(
      "SELECT * FROM sessions WHERE status IN ('held', 'confirmed', 'completed') AND start_ms < ? AND (end_ms > ? OR pending_end_ms > ?)",
      hi,
      lo,
      lo,
    )) {
      if (s.id === exceptSessionId) continue;
      out.push({ start: s.start_ms, end: s.end_ms });
      if (s.pending_start_ms !== null && s.pending_end_ms !== null) out.push({ start: s.pending_start_ms, end: s.pending_end_ms });
    }
    for (const b of this.sql.exec<BlockRow>("SELECT * FROM blocks WHERE start_ms < ? AND end_ms > ?", hi, lo)) {
      out.push({ start: b.start_ms, end: b.end_ms });
    }
    return out;
  }

  /** The API shape of a session. */
  private view(s: SessionRow): Booking {
    const seats = this.seatsOf(s.id);
    const live = seats.filter((x) => x.status === "confirmed");
    return {
      id: s.id,
      tutorId: this.tutorId,
      studentIds: live.map((x) => x.student_id),
      start: new Date(s.start_ms).toISOString(),
      end: new Date(s.end_ms).toISOString(),
      subject: s.subject,
      kind: s.kind,
      status: s.status === "held" || s.status === "released" ? "cancelled" : s.status,
      source: s.source,
      creditsMinutes: s.credits,
      seats: s.seats,
      seatsTaken: live.length,
    };
  }

  /** A session with its seats, for the projection and for authorization checks in the Worker. */
  getSession(id: string): { session: SessionRow; seats: SeatRow[]; booking: Booking } | null {
    const s = this.session(Id.parse(id));
    return s ? { session: s, seats: this.seatsOf(s.id), booking: this.view(s) } : null;
  }

  /** Free 1:1 slots and joinable group sessions of this tutor in [from, to). */
  slots(input: z.input<typeof SlotsSchema>): { slots: { start: string; end: string }[]; groups: GroupOffer[] } {
    const a = SlotsSchema.parse(input);
    this.bindTutor(a.tutorId);
    const availability = this.availability();
    const slots = availability
      ? computeSlots({ availability, busy: this.busy(a.from, a.to), from: a.from, to: a.to, now: a.now, durationMinutes: a.durationMinutes })
      : [];
    return {
      slots: slots.map((s) => ({ start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString() })),
      groups: this.openGroups(a.from, a.to, a.now),
    };
  }

  private openGroups(from: number, to: number, now: number): GroupOffer[] {
    return this.sql
      .exec<SessionRow>("SELECT * FROM sessions WHERE kind = 'group' AND status = 'confirmed' AND start_ms >= ? AND start_ms < ? AND start_ms > ? ORDER BY start_ms", from, to, now)
      .toArray()
      .map((s) => ({ ...s, taken: this.takenSeats(s.id) }))
      .filter((s) => s.taken < s.seats)
      .map((s) => ({
        id: s.id,
        start: new Date(s.start_ms).toISOString(),
        end: new Date(s.end_ms).toISOString(),
        subject: s.subject,
        seats: s.seats,
        seatsTaken: s.taken,
        creditsMinutes: s.credits,
      }));
  }

  // ───────────────────────── availability ─────────────────────────

  async setAvailability(tutorId: string, input: unknown): Promise<Availability> {
    const availability = AvailabilityInputSchema.parse(input);
    this.bindTutor(Id.parse(tutorId));
    this.setMeta("availability", JSON.stringify(availability));
    this.cachedAvailability = availability;
    this.enqueue({ kind: "project_weekly" });
    this.broadcast({ type: "slots.changed", tutorId, taken: [] });
    await this.drain();
    return availability;
  }

  // ───────────────────────── outside blocks (Calendly, ICS) ─────────────────────────

  /** Makes `blocks` the whole busy time of `source` (one sync of an outside calendar), atomically. */
  async replaceBlocks(input: z.input<typeof ReplaceBlocksSchema>): Promise<{ count: number; conflicts: number }> {
    const a = ReplaceBlocksSchema.parse(input);
    this.bindTutor(a.tutorId);
    const change = this.ctx.storage.transactionSync(() => this.afterBlocks(replaceBlocks(this.sql, a.source, a.blocks, a.now)));
    await this.drain();
    return { count: a.blocks.length, conflicts: change.newConflicts.length };
  }

  /** Adds or moves one block (idempotent by its external id); `ignored` when it was removed for good before. */
  async upsertBlock(input: z.input<typeof UpsertBlockSchema>): Promise<{ status: "stored" | "ignored"; conflicts: number }> {
    const a = UpsertBlockSchema.parse(input);
    this.bindTutor(a.tutorId);
    const change = this.ctx.storage.transactionSync(() => {
      const c = upsertBlock(this.sql, a.source, a.block, a.now);
      return c && this.afterBlocks(c);
    });
    await this.drain();
    return change ? { status: "stored", conflicts: change.newConflicts.length } : { status: "ignored", conflicts: 0 };
  }

  /** Removes one block; `forever` also refuses it from then on (a cancellation that may arrive before its creation). */
  async removeBlock(input: z.input<typeof RemoveBlockSchema>): Promise<{ removed: boolean }> {
    const a = RemoveBlockSchema.parse(input);
    this.bindTutor(a.tutorId);
    const change = this.ctx.storage.transactionSync(() => this.afterBlocks(removeBlock(this.sql, a.source, a.externalId, a.now, a.forever)));
    await this.drain();
    return { removed: change.freed.length > 0 };
  }

  /** Outside blocks per source, e.g. `{ calendly: 2, "ics:abc": 14 }`. */
  blockCounts(): Record<string, number> {
    return blockCounts(this.sql);
  }

  /** Outside blocks of one source in [from, to) (the tutor's own view and tests). */
  blocks(source: string, from = 0, to = Number.MAX_SAFE_INTEGER): { externalId: string; start: string; end: string; title: string }[] {
    return this.sql
      .exec<BlockRow>("SELECT * FROM blocks WHERE source = ? AND start_ms < ? AND end_ms > ? ORDER BY start_ms", BlockSourceSchema.parse(source), to, from)
      .toArray()
      .map((b) => ({ externalId: b.external_id, start: new Date(b.start_ms).toISOString(), end: new Date(b.end_ms).toISOString(), title: b.title }));
  }

  /** Overlaps of outside blocks with live sessions that the tutor has not resolved. */
  conflicts(): Conflict[] {
    return openConflicts(this.sql);
  }

  dismissConflict(id: string, now: number): boolean {
    return dismissConflict(this.sql, Id.parse(id), Instant.parse(now));
  }

  /**
   * Tells viewers about changed time and the tutor about new conflicts (a notice: inbox, live push and email,
   * once per conflict), in the same transaction as the change.
   */
  private afterBlocks(change: BlockChange): BlockChange {
    for (const c of change.newConflicts) {
      this.enqueue({
        kind: "notice",
        userId: this.tutorId,
        nameOf: null,
        template: { kind: "calendar_conflict", subject: c.subject, start: c.sessionStart, title: c.title, source: c.source === "calendly" ? "Calendly" : "your outside calendar" },
        dedupeKey: `calendar-conflict:${c.id}`,
        link: "/calendar-sync",
      });
    }
    if (change.taken.length || change.freed.length) {
      const iso = (ms: number) => new Date(ms).toISOString();
      this.broadcast({ type: "slots.changed", tutorId: this.tutorId, taken: change.taken.slice(0, 200).map((t) => ({ start: iso(t.start), end: iso(t.end) })) });
    }
    return change;
  }

  // ───────────────────────── 1:1 booking ─────────────────────────

  /**
   * Books a 1:1 session: hold → spend the student's credits → confirm. Idempotent by `sessionId` (the Worker
   * derives it from the Idempotency-Key): a repeat, even a concurrent one, gets the first attempt's outcome.
   */
  async book(input: z.input<typeof BookSchema>): Promise<Outcome<Booking>> {
    const a = BookSchema.parse(input);
    this.bindTutor(a.tutorId);
    const pending = this.inflight.get(a.sessionId);
    if (pending) return pending;
    const existing = this.session(a.sessionId);
    if (existing) return this.repeatOutcome(existing, a.studentId);
    const attempt = this.bookNew(a).finally(() => this.inflight.delete(a.sessionId));
    this.inflight.set(a.sessionId, attempt);
    return attempt;
  }

  private repeatOutcome(s: SessionRow, studentId: string): Outcome<Booking> {
    const seat = this.seatsOf(s.id).find((x) => x.student_id === studentId);
    if (!seat) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    if (s.status === "held") return fail("booking_in_progress", "This booking is still being made. Try again in a moment.");
    if (s.status === "released" || seat.status === "released") {
      return fail(s.cancel_reason ?? "slot_unavailable", MESSAGES[(s.cancel_reason ?? "slot_unavailable") as keyof typeof MESSAGES] ?? MESSAGES.slot_unavailable);
    }
    return { ok: true, value: this.view(s) };
  }

  private async bookNew(a: z.infer<typeof BookSchema>): Promise<Outcome<Booking>> {
    // Check and hold with no await in between: this is what makes double-booking impossible.
    const availability = this.availability();
    const end = a.start + a.durationMinutes * MINUTE;
    if (!availability || !isSlotAvailable({ availability, busy: this.busy(a.start, end), now: a.now, durationMinutes: a.durationMinutes }, a.start)) {
      return fail("slot_unavailable", MESSAGES.slot_unavailable);
    }
    const cost = creditCost("one_on_one", a.durationMinutes);
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    this.sql.exec(
      `INSERT INTO sessions (id, kind, status, subject, start_ms, end_ms, seats, credits, hold_expires_ms, created_ms, updated_ms)
       VALUES (?, 'one_on_one', 'held', ?, ?, ?, 1, ?, ?, ?, ?)`,
      a.sessionId,
      a.subject,
      a.start,
      end,
      cost,
      holdUntil,
      a.now,
      a.now,
    );
    this.sql.exec(
      "INSERT INTO seats (session_id, student_id, reservation_id, status, credits, hold_expires_ms) VALUES (?, ?, ?, 'held', ?, ?)",
      a.sessionId,
      a.studentId,
      a.sessionId,
      cost,
      holdUntil,
    );
    await this.scheduleAlarm(holdUntil);
    this.broadcastTaken(a.start, end);

    let spent: Outcome<null>;
    try {
      spent = a.transferFrom
        ? await this.transfer(a.studentId, a.transferFrom, a.sessionId, a.start, end, a.now)
        : await this.spend(a.studentId, a.sessionId, a.sessionId, a.start, end, cost, a.now);
    } catch (e) {
      this.releaseHeldSession(a.sessionId, "slot_unavailable");
      throw e;
    }
    if (!spent.ok) {
      this.releaseHeldSession(a.sessionId, spent.code);
      await this.drain();
      return spent;
    }
    // Confirm, unless the alarm released the hold while the credits were being spent.
    const s = this.session(a.sessionId)!;
    if (s.status !== "held") {
      this.enqueue({ kind: "release", studentId: a.studentId, reservationId: a.sessionId, refund: true, reason: "hold expired", now: a.now });
      await this.drain();
      return fail("slot_unavailable", MESSAGES.slot_unavailable);
    }
    this.sql.exec("UPDATE sessions SET status = 'confirmed', hold_expires_ms = NULL, sequence = sequence + 1, updated_ms = ? WHERE id = ?", a.now, a.sessionId);
    this.sql.exec("UPDATE seats SET status = 'confirmed', hold_expires_ms = NULL WHERE reservation_id = ?", a.sessionId);
    const booking = this.view(this.session(a.sessionId)!);
    this.afterChange(booking, "booked", [a.studentId, this.tutorId]);
    this.enqueue({
      kind: "notice",
      userId: this.tutorId,
      nameOf: a.studentId,
      template: { kind: "booked", subject: a.subject, start: booking.start, withName: "" },
      dedupeKey: `booked:${a.sessionId}`,
      link: `/sessions/${a.sessionId}`,
    });
    this.confirmToStudent(this.session(a.sessionId)!, a.studentId, a.transferFrom ? 0 : cost);
    await this.scheduleReminders(a.start, a.now);
    await this.drain();
    return { ok: true, value: booking };
  }

  /**
   * Claims the student's time and credits through their StudentAccount. A thrown error (D1 or the network)
   * may have left a debit behind, so it is compensated by a refund (a no-op when nothing was spent).
   */
  private async spend(studentId: string, sessionId: string, reservationId: string, start: number, end: number, cost: number, now: number): Promise<Outcome<null>> {
    try {
      const r = await this.student(studentId).reserve({ studentId, reservationId, sessionId, tutorId: this.tutorId, start, end, cost, now });
      return r.ok ? { ok: true, value: null } : fail(r.code, MESSAGES[r.code]);
    } catch (e) {
      log.error("spending credits failed", { sessionId, reservationId, error: String(e) });
      this.enqueue({ kind: "release", studentId, reservationId, refund: true, reason: "booking failed", now });
      throw e;
    }
  }

  /** Pays a replacement booking with the credits of the student's cancelled reservation. */
  private async transfer(studentId: string, fromReservationId: string, reservationId: string, start: number, end: number, now: number): Promise<Outcome<null>> {
    const r = await this.student(studentId).transferReservation({ studentId, fromReservationId, toReservationId: reservationId, sessionId: reservationId, tutorId: this.tutorId, start, end, now });
    return r.ok ? { ok: true, value: null } : fail(r.code, MESSAGES[r.code]);
  }

  /** Whether a 1:1 of this length could be booked at `start` right now (replacement offers ask this). */
  canBook(input: z.input<typeof CanBookSchema>): boolean {
    const a = CanBookSchema.parse(input);
    this.bindTutor(a.tutorId);
    const availability = this.availability();
    const end = a.start + a.durationMinutes * MINUTE;
    return !!availability && isSlotAvailable({ availability, busy: this.busy(a.start, end), now: a.now, durationMinutes: a.durationMinutes }, a.start);
  }

  private student(studentId: string) {
    return this.env.STUDENT_ACCOUNT.get(this.env.STUDENT_ACCOUNT.idFromName(studentId));
  }

  /** Drops a hold that never became a booking; the reason is kept so an idempotent repeat gets the same answer. */
  private releaseHeldSession(sessionId: string, reason: string) {
    const s = this.session(sessionId);
    if (!s || s.status !== "held") return;
    this.sql.exec("UPDATE sessions SET status = 'released', hold_expires_ms = NULL, cancel_reason = ? WHERE id = ?", reason, sessionId);
    this.sql.exec("UPDATE seats SET status = 'released', hold_expires_ms = NULL WHERE session_id = ?", sessionId);
    this.broadcastChanged();
  }

  // ───────────────────────── group sessions ─────────────────────────

  /** A tutor opens a group session on one of their free slots. */
  async openGroup(input: z.input<typeof OpenGroupSchema>): Promise<Outcome<Booking>> {
    const a = OpenGroupSchema.parse(input);
    this.bindTutor(a.tutorId);
    const existing = this.session(a.sessionId);
    if (existing) return existing.kind === "group" ? { ok: true, value: this.view(existing) } : fail("conflict", "That id is taken.");
    const availability = this.availability();
    const end = a.start + a.durationMinutes * MINUTE;
    if (!availability || !isSlotAvailable({ availability, busy: this.busy(a.start, end), now: a.now, durationMinutes: a.durationMinutes }, a.start)) {
      return fail("slot_unavailable", "That time is not free in your calendar.");
    }
    const cost = creditCost("group", a.durationMinutes, a.seats);
    this.sql.exec(
      `INSERT INTO sessions (id, kind, status, subject, start_ms, end_ms, seats, credits, sequence, created_ms, updated_ms)
       VALUES (?, 'group', 'confirmed', ?, ?, ?, ?, ?, 1, ?, ?)`,
      a.sessionId,
      a.subject,
      a.start,
      end,
      a.seats,
      cost,
      a.now,
      a.now,
    );
    const booking = this.view(this.session(a.sessionId)!);
    this.afterChange(booking, "booked", [this.tutorId]);
    this.broadcastTaken(a.start, end);
    await this.scheduleReminders(a.start, a.now);
    await this.drain();
    return { ok: true, value: booking };
  }

  /** A student takes a seat: seat hold → spend → confirm. Seats can never be oversold: the count is checked and the hold written without an await. */
  async joinGroup(input: z.input<typeof JoinGroupSchema>): Promise<Outcome<Booking>> {
    const a = JoinGroupSchema.parse(input);
    this.bindTutor(a.tutorId);
    const s = a.sessionId
      ? this.session(a.sessionId)
      : this.sql
          .exec<SessionRow>("SELECT * FROM sessions WHERE kind = 'group' AND status = 'confirmed' AND start_ms = ? AND subject = ? LIMIT 1", a.start ?? 0, a.subject ?? "")
          .toArray()[0];
    if (!s || s.kind !== "group" || s.status !== "confirmed") return fail("slot_unavailable", "There is no open group session at that time.");
    const mine = this.seatsOf(s.id).find((x) => x.student_id === a.studentId && (x.status === "confirmed" || x.status === "held"));
    if (mine?.status === "confirmed") return { ok: true, value: this.view(s) };
    if (mine) return this.inflight.get(mine.reservation_id) ?? fail("slot_unavailable", "Your seat is being booked already.");
    if (s.start_ms <= a.now) return fail("slot_unavailable", "This group session has already started.");
    if (this.takenSeats(s.id) >= s.seats) return fail("slot_unavailable", "This group session is full.");
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    this.sql.exec(
      `INSERT INTO seats (session_id, student_id, reservation_id, status, credits, hold_expires_ms) VALUES (?, ?, ?, 'held', ?, ?)
       ON CONFLICT (session_id, student_id) DO UPDATE SET reservation_id = excluded.reservation_id, status = 'held', credits = excluded.credits, hold_expires_ms = excluded.hold_expires_ms, refunded = 0`,
      s.id,
      a.studentId,
      a.reservationId,
      s.credits,
      holdUntil,
    );
    await this.scheduleAlarm(holdUntil);
    const attempt = this.confirmSeat(s, a.studentId, a.reservationId, a.now).finally(() => this.inflight.delete(a.reservationId));
    this.inflight.set(a.reservationId, attempt);
    return attempt;
  }

  private async confirmSeat(s: SessionRow, studentId: string, reservationId: string, now: number): Promise<Outcome<Booking>> {
    const spent = await this.spend(studentId, s.id, reservationId, s.start_ms, s.end_ms, s.credits, now);
    const seat = this.sql.exec<SeatRow>("SELECT * FROM seats WHERE reservation_id = ?", reservationId).toArray()[0];
    if (!spent.ok) {
      if (seat?.status === "held") this.sql.exec("UPDATE seats SET status = 'released', hold_expires_ms = NULL WHERE reservation_id = ?", reservationId);
      return spent;
    }
    const current = this.session(s.id)!;
    if (seat?.status !== "held" || current.status !== "confirmed") {
      this.enqueue({ kind: "release", studentId, reservationId, refund: true, reason: "seat hold expired", now });
      await this.drain();
      return fail("slot_unavailable", "This group session is no longer available.");
    }
    this.sql.exec("UPDATE seats SET status = 'confirmed', hold_expires_ms = NULL WHERE reservation_id = ?", reservationId);
    this.sql.exec("UPDATE sessions SET sequence = sequence + 1, updated_ms = ? WHERE id = ?", now, s.id);
    const booking = this.view(this.session(s.id)!);
    this.afterChange(booking, "joined", [studentId, this.tutorId]);
    this.confirmToStudent(this.session(s.id)!, studentId, s.credits);
    this.broadcastChanged();
    await this.drain();
    return { ok: true, value: booking };
  }

  // ───────────────────────── cancel and reschedule ─────────────────────────

  /**
   * Cancels a session (its tutor, an admin, or the student of a 1:1) or one student's seat (a student in a
   * group). Students are refunded when they cancel at least 24 h ahead; a tutor or admin cancelling always
   * refunds everyone. Repeating a cancellation changes nothing.
   */
  async cancel(input: z.input<typeof CancelSchema>): Promise<Outcome<Booking>> {
    const a = CancelSchema.parse(input);
    this.bindTutor(a.tutorId);
    const s = this.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const seats = this.seatsOf(s.id);
    const isTutor = a.actor.role === "tutor" && a.actor.id === this.tutorId;
    const isAdmin = a.actor.role === "admin";
    const mySeat = seats.find((x) => x.student_id === a.actor.id && a.actor.role === "student");
    if (!isTutor && !isAdmin && !mySeat) return NOT_FOUND;
    if (s.status === "cancelled" || (mySeat && !isTutor && !isAdmin && mySeat.status === "cancelled")) return { ok: true, value: this.view(s) };
    if (s.status === "completed") return fail("already_completed", "This session has already taken place.");
    if (s.start_ms <= a.now) return fail("already_started", "This session has already started and can no longer be cancelled.");

    const reason = a.reason ?? null;
    if (mySeat && s.kind === "group") {
      if (mySeat.status !== "confirmed") return NOT_FOUND;
      const refund = studentCancellationRefunds(s.start_ms, a.now);
      this.sql.exec("UPDATE seats SET status = 'cancelled', refunded = ? WHERE reservation_id = ?", refund ? 1 : 0, mySeat.reservation_id);
      this.sql.exec("UPDATE sessions SET sequence = sequence + 1, updated_ms = ? WHERE id = ?", a.now, s.id);
      this.enqueue({ kind: "release", studentId: mySeat.student_id, reservationId: mySeat.reservation_id, refund, reason: "student left group", now: a.now });
      this.leaveRoom(s, mySeat.student_id, a.now);
      const booking = this.view(this.session(s.id)!);
      const start = new Date(s.start_ms).toISOString();
      this.enqueue({
        kind: "notice",
        userId: this.tutorId,
        nameOf: mySeat.student_id,
        template: { kind: "left_group", subject: s.subject, start, studentName: "", seatsTaken: booking.seatsTaken, seats: booking.seats, reason: a.reason ?? null },
        dedupeKey: `left:${s.id}:${mySeat.student_id}`,
        link: `/sessions/${s.id}`,
      });
      this.cancelledToStudent(s, mySeat, refund);
      this.afterChange({ ...booking, status: "cancelled" }, "left", [mySeat.student_id]);
      this.afterChange(booking, "left", [this.tutorId]);
      this.broadcastChanged();
      await this.drain();
      return { ok: true, value: { ...booking, status: "cancelled" } };
    }

    const refund = isTutor || isAdmin || studentCancellationRefunds(s.start_ms, a.now);
    this.sql.exec(
      "UPDATE sessions SET status = 'cancelled', cancelled_by = ?, cancel_reason = ?, sequence = sequence + 1, updated_ms = ?, pending_start_ms = NULL, pending_end_ms = NULL WHERE id = ?",
      a.actor.id,
      reason,
      a.now,
      s.id,
    );
    const live = seats.filter((x) => x.status === "confirmed");
    const start = new Date(s.start_ms).toISOString();
    for (const seat of live) {
      this.sql.exec("UPDATE seats SET status = 'cancelled', refunded = ? WHERE reservation_id = ?", refund ? 1 : 0, seat.reservation_id);
      this.leaveRoom(s, seat.student_id, a.now);
      if (isTutor && !isAdmin) {
        // The tutor cancelled: the student is offered other tutors free at that time before the credits go back.
        this.enqueue({
          kind: "offer",
          studentId: seat.student_id,
          reservationId: seat.reservation_id,
          sessionId: s.id,
          tutorId: this.tutorId,
          subject: s.subject,
          start: s.start_ms,
          end: s.end_ms,
          now: a.now,
          reason,
          invite: this.invite(s, "CANCEL"),
        });
      } else {
        this.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund, reason: `cancelled by ${a.actor.role}`, now: a.now });
        if (seat.student_id === a.actor.id) this.cancelledToStudent(s, seat, refund);
        else
          this.enqueue({
            kind: "notice",
            userId: seat.student_id,
            nameOf: isAdmin ? null : a.actor.id,
            template: { kind: "cancelled", subject: s.subject, start, byName: "", byRole: a.actor.role, reason, refunded: refund },
            dedupeKey: `cancelled:${s.id}:${seat.student_id}`,
            link: `/sessions/${s.id}`,
            invite: this.invite(s, "CANCEL"),
          });
      }
    }
    if (!isTutor) {
      this.enqueue({
        kind: "notice",
        userId: this.tutorId,
        nameOf: isAdmin ? null : a.actor.id,
        template: { kind: "cancelled", subject: s.subject, start, byName: "", byRole: a.actor.role, reason, refunded: false },
        dedupeKey: `cancelled:${s.id}:${this.tutorId}`,
        link: `/sessions/${s.id}`,
      });
    }
    if (isTutor) this.enqueue({ kind: "reliability", tutorId: this.tutorId, bookingId: s.id, event: "tutor_cancelled", start: s.start_ms, at: a.now });
    const booking = this.view(this.session(s.id)!);
    this.afterChange(booking, "cancelled", [this.tutorId, ...live.map((x) => x.student_id)]);
    this.broadcastChanged();
    await this.drain();
    return { ok: true, value: booking };
  }

  /**
   * Moves a 1:1 session. The new time is held (as a pending move that counts as busy) before the student's
   * calendar is asked, and the old time is only released once the move is confirmed.
   */
  async reschedule(input: z.input<typeof RescheduleSchema>): Promise<Outcome<Booking>> {
    const a = RescheduleSchema.parse(input);
    this.bindTutor(a.tutorId);
    const s = this.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const seat = this.seatsOf(s.id).find((x) => x.status === "confirmed");
    const isTutor = a.actor.role === "tutor" && a.actor.id === this.tutorId;
    const isStudent = a.actor.role === "student" && seat?.student_id === a.actor.id;
    if (!isTutor && !isStudent) return NOT_FOUND;
    if (s.kind !== "one_on_one") return fail("not_reschedulable", "Group sessions cannot be moved; cancel it and open a new one.");
    if (s.status !== "confirmed" || !seat) return fail("not_reschedulable", "Only confirmed sessions can be moved.");
    if (s.start_ms <= a.now) return fail("already_started", "This session has already started.");
    if (isStudent && s.start_ms - a.now < POLICY.rescheduleCutoffHours * 3_600_000) {
      return fail("too_late_to_reschedule", `Sessions can be moved up to ${POLICY.rescheduleCutoffHours} hours before they start.`);
    }
    if (s.pending_start_ms !== null && (s.pending_expires_ms ?? 0) > a.now) return fail("conflict", "This booking is being moved already.");
    const duration = (s.end_ms - s.start_ms) / MINUTE;
    const end = a.start + (s.end_ms - s.start_ms);
    const availability = this.availability();
    if (!availability || !isSlotAvailable({ availability, busy: this.busy(a.start, end, s.id), now: a.now, durationMinutes: duration }, a.start)) {
      return fail("slot_unavailable", MESSAGES.slot_unavailable);
    }
    const holdUntil = a.now + POLICY.holdSeconds * 1000;
    this.sql.exec("UPDATE sessions SET pending_start_ms = ?, pending_end_ms = ?, pending_expires_ms = ? WHERE id = ?", a.start, end, holdUntil, s.id);
    await this.scheduleAlarm(holdUntil);
    this.broadcastTaken(a.start, end);

    let moved = false;
    try {
      moved = await this.student(seat.student_id).move({ reservationId: seat.reservation_id, start: a.start, end });
    } finally {
      if (!moved) this.sql.exec("UPDATE sessions SET pending_start_ms = NULL, pending_end_ms = NULL, pending_expires_ms = NULL WHERE id = ?", s.id);
    }
    if (!moved) {
      this.broadcastChanged();
      return fail("student_busy", isStudent ? MESSAGES.student_busy : "The student already has a session at that time.");
    }
    this.sql.exec(
      `UPDATE sessions SET start_ms = ?, end_ms = ?, pending_start_ms = NULL, pending_end_ms = NULL, pending_expires_ms = NULL,
       sequence = sequence + 1, updated_ms = ? WHERE id = ?`,
      a.start,
      end,
      a.now,
      s.id,
    );
    const booking = this.view(this.session(s.id)!);
    this.afterChange(booking, "rescheduled", [this.tutorId, seat.student_id]);
    const other = isTutor ? seat.student_id : this.tutorId;
    const previousStart = new Date(s.start_ms).toISOString();
    this.enqueue({
      kind: "notice",
      userId: other,
      nameOf: a.actor.id,
      template: { kind: "rescheduled", subject: s.subject, start: booking.start, previousStart, byName: "" },
      dedupeKey: `rescheduled:${s.id}:${a.start}:${other}`,
      link: `/sessions/${s.id}`,
      ...(isTutor ? { invite: this.invite(s, "REQUEST") } : {}),
    });
    // The student moved it: their calendar gets the updated invitation by email (nothing in their inbox).
    if (!isTutor)
      this.enqueue({
        kind: "notice",
        userId: seat.student_id,
        nameOf: this.tutorId,
        template: { kind: "you_rescheduled", subject: s.subject, start: booking.start, previousStart, tutorName: "" },
        dedupeKey: `you-rescheduled:${s.id}:${a.start}`,
        link: `/sessions/${s.id}`,
        inbox: false,
        invite: this.invite(s, "REQUEST"),
      });
    await this.scheduleReminders(a.start, a.now);
    this.broadcastChanged();
    await this.drain();
    return { ok: true, value: booking };
  }

  /**
   * Marks a session completed: by its tutor once it has started (ending the lesson), or by the system once it is
   * over. Completion accrues the tutor's earnings (once per session).
   */
  async complete(input: z.input<typeof CompleteSchema>): Promise<Outcome<Booking>> {
    const a = CompleteSchema.parse(input);
    this.bindTutor(a.tutorId);
    const s = this.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    const actor = a.actor === "system" ? null : a.actor;
    const system = actor === null;
    const isTutor = actor?.role === "tutor" && actor.id === this.tutorId;
    const isAdmin = actor?.role === "admin";
    if (!system && !isTutor && !isAdmin) return NOT_FOUND;
    if (s.status === "completed") return { ok: true, value: this.view(s) };
    if (s.status !== "confirmed") return fail("not_completable", "Only confirmed sessions can be completed.");
    if (a.now < s.start_ms || (system && a.now < s.end_ms)) return fail("not_started", "This session has not taken place yet.");
    this.sql.exec("UPDATE sessions SET status = 'completed', sequence = sequence + 1, updated_ms = ? WHERE id = ?", a.now, s.id);
    const booking = this.view(this.session(s.id)!);
    this.enqueue({ kind: "earn", sessionId: s.id });
    this.afterChange(booking, "completed", [this.tutorId, ...booking.studentIds]);
    await this.drain();
    return { ok: true, value: booking };
  }

  /**
   * Development and tests only (refused elsewhere): moves a session to any times, skipping every rule, so that
   * "now" can be inside a session that could only be booked ahead of the tutor's notice.
   */
  async moveSessionForTesting(input: z.input<typeof MoveForTestingSchema>): Promise<Outcome<Booking>> {
    const a = MoveForTestingSchema.parse(input);
    if (this.env.ENVIRONMENT !== "development" && this.env.ENVIRONMENT !== "test") return NOT_FOUND;
    this.bindTutor(a.tutorId);
    const s = this.session(a.sessionId);
    if (!s || s.status === "held" || s.status === "released") return NOT_FOUND;
    this.sql.exec("UPDATE sessions SET start_ms = ?, end_ms = ?, sequence = sequence + 1, updated_ms = ? WHERE id = ?", a.start, a.end, a.now, s.id);
    this.enqueue({ kind: "project", sessionId: s.id });
    await this.drain();
    return { ok: true, value: this.view(this.session(s.id)!) };
  }

  /**
   * The tutor never came to a session their student(s) came to: it is cancelled after the fact, every student is
   * refunded, no earnings accrue, and it counts against the tutor's reliability as a no-show.
   */
  async tutorNoShow(input: { tutorId: string; sessionId: string; now: number }): Promise<Outcome<Booking>> {
    const a = z.object({ tutorId: Id, sessionId: Id, now: Instant }).parse(input);
    this.bindTutor(a.tutorId);
    const s = this.session(a.sessionId);
    if (!s || s.status !== "confirmed") return NOT_FOUND;
    if (a.now < s.end_ms) return fail("not_started", "This session is not over yet.");
    this.sql.exec("UPDATE sessions SET status = 'cancelled', cancelled_by = 'system', cancel_reason = 'tutor_no_show', sequence = sequence + 1, updated_ms = ? WHERE id = ?", a.now, s.id);
    const live = this.seatsOf(s.id).filter((x) => x.status === "confirmed");
    const start = new Date(s.start_ms).toISOString();
    for (const seat of live) {
      this.sql.exec("UPDATE seats SET status = 'cancelled', refunded = 1 WHERE reservation_id = ?", seat.reservation_id);
      this.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "tutor did not show up", now: a.now });
      this.enqueue({
        kind: "notice",
        userId: seat.student_id,
        nameOf: this.tutorId,
        template: { kind: "tutor_no_show", subject: s.subject, start, tutorName: "" },
        dedupeKey: `no-show:${s.id}:${seat.student_id}`,
        link: `/sessions/${s.id}`,
        invite: this.invite(s, "CANCEL"),
      });
    }
    this.enqueue({ kind: "reliability", tutorId: this.tutorId, bookingId: s.id, event: "no_show", at: a.now });
    const booking = this.view(this.session(s.id)!);
    this.afterChange(booking, "cancelled", [this.tutorId, ...live.map((x) => x.student_id)]);
    await this.drain();
    return { ok: true, value: booking };
  }

  // ───────────────────────── effects, alarm, live ─────────────────────────

  /** A student's own cancellation (a 1:1 or their seat) confirmed by email, with the invitation's CANCEL. */
  private cancelledToStudent(s: SessionRow, seat: SeatRow, refunded: boolean) {
    this.enqueue({
      kind: "notice",
      userId: seat.student_id,
      nameOf: this.tutorId,
      template: { kind: "you_cancelled", subject: s.subject, start: new Date(s.start_ms).toISOString(), tutorName: "", refunded, minutes: seat.credits },
      dedupeKey: `you-cancelled:${s.id}:${seat.student_id}`,
      link: `/sessions/${s.id}`,
      inbox: false,
      invite: this.invite(s, "CANCEL"),
    });
  }

  /** The student's own booking confirmed by email (not their inbox: they just did it), with its invitation. */
  private confirmToStudent(s: SessionRow, studentId: string, minutes: number) {
    this.enqueue({
      kind: "notice",
      userId: studentId,
      nameOf: this.tutorId,
      template: { kind: "booking_confirmed", subject: s.subject, start: new Date(s.start_ms).toISOString(), tutorName: "", minutes, group: s.kind === "group" },
      dedupeKey: `confirmed:${s.id}:${studentId}`,
      link: `/sessions/${s.id}`,
      inbox: false,
      invite: this.invite(s, "REQUEST"),
    });
  }

  /** The calendar invitation of a session for one of its students (the feed's UID; sequence as it is now). */
  private invite(s: SessionRow, method: "REQUEST" | "CANCEL") {
    const now = this.session(s.id) ?? s;
    return { method, bookingId: s.id, tutorId: this.tutorId, sequence: now.sequence, start: now.start_ms, end: now.end_ms, group: s.kind === "group" };
  }

  private afterChange(booking: Booking, change: "booked" | "cancelled" | "rescheduled" | "joined" | "left" | "completed", userIds: string[]) {
    this.enqueue({ kind: "project", sessionId: booking.id });
    const ref = { id: booking.id, tutorId: booking.tutorId, start: booking.start, end: booking.end, status: booking.status, subject: booking.subject, kind: booking.kind, seats: booking.seats, seatsTaken: booking.seatsTaken };
    for (const userId of new Set(userIds)) this.enqueue({ kind: "notify", userId, message: { type: "booking.changed", booking: ref, change } });
  }

  /** Once a session's room is open, a student whose seat goes is taken out of it (sockets, RealtimeKit). */
  private leaveRoom(s: { id: string; start_ms: number; end_ms: number }, studentId: string, now: number) {
    if (now >= joinWindow({ start: s.start_ms, end: s.end_ms }).opensAt) this.enqueue({ kind: "seat_lost", sessionId: s.id, studentId, at: now });
  }

  private enqueue(effect: Effect) {
    this.sql.exec("INSERT INTO effects (kind, payload, next_ms) VALUES (?, ?, ?)", effect.kind, JSON.stringify(effect), Date.now());
  }

  /** Runs due effects in order until none is left; one drain at a time. Failures wait for the alarm. */
  /**
   * Settles what the caller relies on (the projection, refunds, offers, earnings) before answering, and leaves
   * notices and live pushes to a background lane, so a booking does not wait for emails. The alarm retries both.
   */
  private async drain(): Promise<void> {
    await this.runLane("urgent");
    this.ctx.waitUntil(this.runLane("background"));
  }

  /** One drain per lane at a time; effects run in order within a lane. */
  private runLane(lane: Lane): Promise<void> {
    let running = this.lanes.get(lane);
    if (!running) {
      running = this.runEffects(lane).finally(() => this.lanes.delete(lane));
      this.lanes.set(lane, running);
    }
    return running;
  }

  private async runEffects(lane: Lane): Promise<void> {
    const skip = new Set<number>();
    const kinds = `kind ${lane === "urgent" ? "" : "NOT "}IN (${URGENT_EFFECTS.map((k) => `'${k}'`).join(", ")})`;
    for (;;) {
      const row = this.sql
        .exec<{ id: number; payload: string; attempts: number }>(`SELECT id, payload, attempts FROM effects WHERE next_ms <= ? AND ${kinds} ORDER BY id LIMIT 20`, Date.now())
        .toArray()
        .find((r) => !skip.has(r.id));
      if (!row) break;
      try {
        await this.runEffect(EffectSchema.parse(JSON.parse(row.payload)));
        this.sql.exec("DELETE FROM effects WHERE id = ?", row.id);
      } catch (e) {
        skip.add(row.id);
        const delay = EFFECT_RETRY_MS[Math.min(row.attempts, EFFECT_RETRY_MS.length - 1)]!;
        this.sql.exec("UPDATE effects SET attempts = attempts + 1, next_ms = ?, last_error = ? WHERE id = ?", Date.now() + delay, String(e).slice(0, 500), row.id);
        log.warn("calendar effect failed; will retry", { tutorId: this.tutorId, effectId: row.id, attempts: row.attempts + 1, error: String(e) });
        await this.scheduleAlarm(Date.now() + delay);
      }
    }
  }

  private async runEffect(effect: Effect): Promise<void> {
    switch (effect.kind) {
      case "release":
        await this.student(effect.studentId).release(effect);
        return;
      case "project": {
        const s = this.session(effect.sessionId);
        if (s) await projectSession(this.env, this.tutorId, s, this.seatsOf(s.id));
        return;
      }
      case "project_weekly":
        await projectWeekly(this.env, this.tutorId, this.availability());
        return;
      case "notify":
        await notifyUser(this.env, effect.userId, effect.message);
        return;
      case "notice":
        await sendNotice(this.env, effect);
        return;
      case "offer":
        await this.student(effect.studentId).openOffer(effect);
        return;
      case "reliability":
        await recordReliability(
          this.env,
          effect.event === "no_show"
            ? { event: "no_show", tutorId: effect.tutorId, bookingId: effect.bookingId, at: effect.at }
            : { event: "tutor_cancelled", tutorId: effect.tutorId, bookingId: effect.bookingId, start: effect.start ?? effect.at, at: effect.at },
        );
        return;
      case "seat_lost":
        await this.env.SESSION_ROOM.get(this.env.SESSION_ROOM.idFromName(effect.sessionId)).revoke({ userId: effect.studentId, reason: "seat_cancelled", now: effect.at });
        return;
      case "earn": {
        const s = this.session(effect.sessionId);
        if (s?.status === "completed") {
          await accrueEarning(this.env, this.tutorId, s, this.seatsOf(s.id));
          await recordReliability(this.env, { event: "completed", tutorId: this.tutorId, bookingId: s.id, at: s.end_ms });
        }
        return;
      }
    }
  }

  /** Effects still waiting (for tests and the admin health page). */
  pendingEffects(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM effects").one().n;
  }

  /** Runs whatever is due now (tests call this instead of waiting for the alarm). */
  async settle(): Promise<void> {
    await this.alarm();
  }

  private async scheduleAlarm(at: number) {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > at) await this.ctx.storage.setAlarm(at);
  }

  /** Expires holds and pending moves that outlived their time, then retries due effects. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const s of this.sql.exec<SessionRow>("SELECT * FROM sessions WHERE status = 'held' AND hold_expires_ms <= ?", now).toArray()) {
      for (const seat of this.seatsOf(s.id)) {
        this.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "hold expired", now });
      }
      this.releaseHeldSession(s.id, "slot_unavailable");
    }
    for (const seat of this.sql.exec<SeatRow>("SELECT * FROM seats WHERE status = 'held' AND hold_expires_ms <= ?", now).toArray()) {
      this.sql.exec("UPDATE seats SET status = 'released', hold_expires_ms = NULL WHERE reservation_id = ?", seat.reservation_id);
      this.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "seat hold expired", now });
    }
    this.sql.exec("UPDATE sessions SET pending_start_ms = NULL, pending_end_ms = NULL, pending_expires_ms = NULL WHERE pending_expires_ms <= ?", now);
    this.queueDueReminders(now);
    await Promise.all([this.runLane("urgent"), this.runLane("background")]);
    const next = this.sql
      .exec<{ t: number | null }>(
        `SELECT min(t) AS t FROM (
           SELECT min(hold_expires_ms) AS t FROM sessions WHERE status = 'held'
           UNION ALL SELECT min(hold_expires_ms) FROM seats WHERE status = 'held'
           UNION ALL SELECT min(pending_expires_ms) FROM sessions WHERE pending_expires_ms IS NOT NULL
           UNION ALL SELECT min(next_ms) FROM effects
           UNION ALL SELECT min(CASE WHEN start_ms - ${REMIND_24H} > ? AND created_ms < start_ms - ${REMIND_24H} AND reminded_24h_for IS NOT start_ms THEN start_ms - ${REMIND_24H}
                                     WHEN start_ms - ${REMIND_1H} > ? AND created_ms < start_ms - ${REMIND_1H} AND reminded_1h_for IS NOT start_ms THEN start_ms - ${REMIND_1H} END)
             FROM sessions WHERE status = 'confirmed' AND start_ms > ?)`,
        now,
        now,
        now,
      )
      .one().t;
    if (next !== null) await this.ctx.storage.setAlarm(Math.max(next, Date.now() + 100));
  }

  /** Reminders are due 24 h and 1 h before a session, except for sessions booked after that moment. */
  private async scheduleReminders(start: number, now: number) {
    for (const lead of [REMIND_24H, REMIND_1H]) if (start - lead > now) await this.scheduleAlarm(start - lead);
  }

  /** Queues the reminders that are due for confirmed sessions (once per participant per start time). */
  private queueDueReminders(now: number) {
    const due = this.sql
      .exec<SessionRow & { reminded_24h_for: number | null; reminded_1h_for: number | null }>(
        "SELECT * FROM sessions WHERE status = 'confirmed' AND start_ms > ? AND start_ms - ? <= ?",
        now,
        REMIND_24H,
        now,
      )
      .toArray();
    for (const s of due) {
      const lead = s.start_ms - REMIND_1H <= now ? "1h" : "24h";
      const leadMs = lead === "1h" ? REMIND_1H : REMIND_24H;
      const column = lead === "1h" ? "reminded_1h_for" : "reminded_24h_for";
      if ((lead === "1h" ? s.reminded_1h_for : s.reminded_24h_for) === s.start_ms || s.created_ms >= s.start_ms - leadMs) continue;
      this.sql.exec(`UPDATE sessions SET ${column} = start_ms, reminded_24h_for = CASE WHEN ? = '1h' THEN start_ms ELSE reminded_24h_for END WHERE id = ?`, lead, s.id);
      const people = this.seatsOf(s.id).filter((x) => x.status === "confirmed").map((x) => x.student_id);
      const start = new Date(s.start_ms).toISOString();
      for (const userId of [this.tutorId, ...people]) {
        this.enqueue({
          kind: "notice",
          userId,
          nameOf: userId === this.tutorId ? (people.length === 1 ? people[0]! : null) : this.tutorId,
          template: { kind: "reminder", subject: s.subject, start, withName: userId === this.tutorId && people.length !== 1 ? `${people.length} students` : "", lead },
          dedupeKey: `reminder:${lead}:${s.id}:${s.start_ms}:${userId}`,
          link: `/sessions/${s.id}`,
        });
      }
    }
  }

  /**
   * Viewers of the tutor's page connect here; they are told the moment time is taken or freed. One address's
   * viewers beyond its cap close its oldest; beyond the page's cap newcomers are refused (the page still works,
   * without live updates).
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const address = `ip:${(request.headers.get("CF-Connecting-IP") ?? "unknown").slice(0, 64)}`;
    closeOldest(this.ctx, address, SOCKET_CAPS.viewersPerAddress, LIVE_CLOSE.superseded, "Open in too many tabs");
    if (openSockets(this.ctx, "viewer") >= SOCKET_CAPS.viewersPerTutor) {
      return Response.json({ error: { code: "too_many_viewers", message: "Too many people are watching this page; live updates are paused. Reload in a minute." } }, { status: 503, headers: { "Retry-After": "60" } });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    acceptSocket(this.ctx, server, ["viewer", address], null);
    server.send(JSON.stringify({ type: "hello", at: new Date().toISOString() } satisfies ServerMessage));
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    // Viewers only listen; a ping keeps intermediaries from closing an idle socket.
    if (!admitMessage(ws, raw)) return;
    if (raw.length < 100 && raw.includes('"ping"')) safeSend(ws, JSON.stringify({ type: "pong", at: new Date().toISOString() } satisfies ServerMessage));
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
  }

  /** Time was freed or changed: viewers refetch their slots. */
  private broadcastChanged() {
    this.broadcast({ type: "slots.changed", tutorId: this.tutorId, taken: [] });
  }

  private broadcastTaken(start: number, end: number) {
    this.broadcast({ type: "slots.changed", tutorId: this.tutorId, taken: [{ start: new Date(start).toISOString(), end: new Date(end).toISOString() }] });
  }

  private broadcast(message: ServerMessage) {
    const text = JSON.stringify(message);
    for (const ws of this.ctx.getWebSockets("viewer")) {
      try {
        ws.send(text);
      } catch {
        /* closing */
      }
    }
  }
}
