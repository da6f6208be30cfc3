import { DurableObject } from "cloudflare:workers";
import type { z } from "zod";
import { seatPrice } from "../domain/credits/pricing";
import { AvailabilityInputSchema, type Availability } from "../domain/schemas/availability";
import { BookingSchema, type Booking } from "../domain/schemas/booking";
import type { TutorFacts } from "../domain/schemas/tutor";
import { computeSlots, isSlotAvailable } from "../domain/time";
import { commissionPercent } from "../platform/commission";
import { log } from "../platform/log";
import { notifyUser } from "../platform/notifications/live";
import {
  AvailabilityOptionsSchema,
  BookSchema,
  CanBookSchema,
  CancelSchema,
  CompleteSchema,
  FactsSchema,
  Id,
  Instant,
  JoinGroupSchema,
  MoveForTestingSchema,
  NoShowSchema,
  TutorStatusChangeSchema,
  OpenGroupSchema,
  RemoveBlockSchema,
  ReplaceBlocksSchema,
  RescheduleSchema,
  SlotsSchema,
  UpsertBlockSchema,
} from "./calendar/args";
import { BLOCKS_DDL, BlockSourceSchema, type Conflict, blockCounts, dismissConflict, listBlocks, openConflicts } from "./calendar/blocks";
import { CancelForStudentSchema, SessionChanges } from "./calendar/changes";
import { type EffectRunner, effectRunner } from "./calendar/effectRunner";
import { TutorFactsStore, refuseBooking } from "./calendar/facts";
import { GroupSeats } from "./calendar/groups";
import { OneOnOneBookings } from "./calendar/oneOnOne";
import { KEY_REUSED, MESSAGES, NOT_FOUND, type Outcome, fail, replay } from "./calendar/outcome";
import { Outbox } from "./calendar/outbox";
import { OutsideBlocks } from "./calendar/outside";
import { Reminders } from "./calendar/reminders";
import { RequestKeys } from "./calendar/requests";
import { type AvailabilityOutcome, TutorRules } from "./calendar/rules";
import { SessionSettlement } from "./calendar/settlement";
import { CALENDAR_DDL, SEAT_COLUMNS, SESSION_COLUMNS, type SeatRow, type SessionRow, legacySeatsUnpaid, migrateSeatColumns, payLegacySeats } from "./calendar/storage";
import { CalendarStore } from "./calendar/store";
import { bookingView } from "./calendar/view";
import { Viewers } from "./calendar/viewers";
import { paySeat } from "./calendar/wallet";
import { BookSeriesSchema, CancelSeriesSchema, MoveSeriesSchema, SERIES_DDL, SeriesQuerySchema, SeriesStore, SkipPausedSchema } from "./calendar/series";
import { WeeklySeries } from "./calendar/weekly";
import { type Series, type SeriesMove, SeriesMoveSchema } from "../domain/schemas/series";
import { AlarmClock } from "./lib/alarmClock";
import { Presence, PresenceSchema } from "./lib/presence";
import { addColumns, migrateOnce, schemaVersion } from "./lib/migrate";
import { WAITLIST_DDL, Waitlist, WaitlistArgsSchema } from "./calendar/waitlist";
import type { WaitlistPlace, WaitlistSession } from "../domain/waitlist";

export type { Failure, Outcome } from "./calendar/outcome";
export type { AvailabilityOutcome } from "./calendar/rules";
export type { Actor } from "./calendar/args";

const MINUTE = 60_000;
/** A tutor's feed is rendered again at most this often while their sessions keep changing. */
const FEED_EVERY_MS = 10_000;
const iso = (ms: number) => new Date(ms).toISOString();
const SCHEMA_VERSION = schemaVersion(CALENDAR_DDL, BLOCKS_DDL, SERIES_DDL, WAITLIST_DDL, SESSION_COLUMNS, SEAT_COLUMNS);

/** An open group session as a student browsing a tutor sees it. */
export type GroupOffer = { id: string; start: string; end: string; subject: string; seats: number; seatsTaken: number; creditsMinutes: number };

/**
 * One per tutor: the only writer of that tutor's time — availability, holds, bookings, group sessions and outside
 * blocks — and the holder of what booking needs to know about the tutor (approval, subjects, rate, name). Every
 * write checks the invariants against this object's own SQLite with no `await` between the check and the write, so
 * two requests can never both take the same time. A booking is held here before anything outside is awaited (the
 * student's wallet), so concurrent requests see the hold. Nothing here reads or writes D1 before answering: the
 * projection, notices and live pushes drain after the answer through the outbox, which the alarm retries.
 */
export class TutorCalendar extends DurableObject<Env> {
  private readonly store: CalendarStore;
  private readonly clock = new AlarmClock(this.ctx.storage);
  private readonly facts: TutorFactsStore;
  private readonly outbox: Outbox;
  private readonly viewers: Viewers;
  /** Whether the tutor has a Tutorly tab open (their inbox says), so their live events skip it when not. */
  private readonly presence: Presence;
  private readonly reminders: Reminders;
  private readonly requests: RequestKeys<Booking>;
  /** Keyed moves of the rest of a series (their answers are the series and the weeks kept). */
  private readonly seriesMoves: RequestKeys<SeriesMove>;
  private readonly effects: EffectRunner;
  private readonly weekly: WeeklySeries;
  private readonly waitlist: Waitlist;
  private readonly oneOnOne: OneOnOneBookings;
  private readonly groups: GroupSeats;
  private readonly changes: SessionChanges;
  private readonly outside: OutsideBlocks;
  private readonly rules: TutorRules;
  /** Series being booked right now, by id: a concurrent retry waits for the first attempt. */
  private readonly seriesInflight = new Map<string, { hash: string | null; answer: Promise<Outcome<Series>> }>();
  /** Bookings and seats being paid for right now, by id: a concurrent retry waits for the first attempt. */
  private readonly inflight = new Map<string, { hash: string | null; answer: Promise<Outcome<Booking>> }>();
  /** When the last feed render was queued for (in memory: after a restart the first change renders at once). */
  private feedRenderedAt = 0;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrateOnce(sql, SCHEMA_VERSION, () => {
      for (const ddl of [...CALENDAR_DDL, ...BLOCKS_DDL, ...SERIES_DDL, ...WAITLIST_DDL]) sql.exec(ddl);
      addColumns(sql, "sessions", SESSION_COLUMNS);
      migrateSeatColumns(sql);
    });
    this.store = new CalendarStore(sql);
    this.facts = new TutorFactsStore(this.store);
    this.viewers = new Viewers(ctx);
    this.requests = new RequestKeys(sql, BookingSchema);
    this.seriesMoves = new RequestKeys(sql, SeriesMoveSchema);
    this.outbox = new Outbox(sql, ctx, { one: (effect) => this.effects.one(effect), together: (effects) => this.effects.together(effects) }, (at) => this.wakeAt(at), () => ({ tutorId: this.store.tutorId }));
    const settlement = new SessionSettlement(env, this.store, this.outbox);
    this.presence = new Presence((userId, message) => notifyUser(env, userId, message), { read: () => this.store.meta("tabs"), write: (v) => this.store.setMeta("tabs", v) });
    this.effects = effectRunner({ env, store: this.store, settlement, availability: () => this.availability(), presence: this.presence });
    this.reminders = new Reminders(this.store, this.outbox);
    this.waitlist = new Waitlist(sql);
    // What the operation modules share: the storage, the outbox, the viewers and the calendar's own steps.
    const parts = {
      env,
      store: this.store,
      outbox: this.outbox,
      viewers: this.viewers,
      waitlist: this.waitlist,
      transact: <T>(fn: () => T): T => ctx.storage.transactionSync(fn),
      view: (s: SessionRow, seats?: SeatRow[]) => this.view(s, seats),
      announce: (...args: Parameters<typeof this.announce>) => this.announce(...args),
      wakeAt: (at: number) => this.wakeAt(at),
      remindAt: (start: number, now: number) => this.remindAt(start, now),
      isFree: (start: number, minutes: number, now: number, exceptSessionId?: string) => this.isFree(start, minutes, now, exceptSessionId),
      availability: () => this.availability(),
    };
    // What taking a seat needs, 1:1 or in a group: the tutor's facts, one in-flight map and the wallet's payment.
    const paying = {
      facts: this.facts,
      inflight: this.inflight,
      once: (id: string, hash: string | null, attempt: () => Promise<Outcome<Booking>>) => this.once(id, hash, attempt),
      pay: (...args: Parameters<typeof this.pay>) => this.pay(...args),
      refundLateSeat: (...args: Parameters<typeof this.refundLateSeat>) => this.refundLateSeat(...args),
    };
    this.oneOnOne = new OneOnOneBookings({ ...parts, ...paying });
    this.groups = new GroupSeats({ ...parts, ...paying });
    this.weekly = new WeeklySeries({
      ...parts,
      series: new SeriesStore(sql),
      changed: () => this.viewers.changed(this.store.tutorId),
      tutorName: () => this.facts.get()?.name,
      groups: this.groups,
    });
    this.changes = new SessionChanges({ ...parts, weekly: this.weekly, offerFreed: (sessionId, now) => this.groups.offerFreed(sessionId, now) });
    this.outside = new OutsideBlocks({ ...parts, weekly: this.weekly });
    this.rules = new TutorRules({ ...parts, cancelNow: (s, by, reason, now) => this.changes.cancelNow(s, by, reason, now) });
    if (legacySeatsUnpaid(sql)) void ctx.blockConcurrencyWhile(() => this.payLegacySeats());
  }

  /**
   * Fixes the earning of seats booked before earnings were fixed per seat (storage.ts `payLegacySeats`), at the
   * tutor's rate as the calendar holds it, before any request runs; their sessions are projected again, so the
   * tutor's Sessions page shows it. A failure (D1 down while the facts load) is retried at the next start.
   */
  private async payLegacySeats(): Promise<void> {
    try {
      const facts = this.facts.get() ?? (await this.facts.load(this.env, this.store.tutorId));
      if (!facts) return;
      for (const sessionId of payLegacySeats(this.ctx.storage.sql, facts.hourlyRateCents, commissionPercent(this.env), Date.now())) this.outbox.enqueue({ kind: "project", sessionId });
      this.outbox.afterAnswer();
    } catch (e) {
      log.error("legacy seats not paid yet", { tutorId: this.store.tutorId, error: String(e) });
    }
  }

  // ───────────────────────── the tutor ─────────────────────────

  /** Takes the tutor's booking facts (pushed by the Worker on every change); older versions are ignored. */
  setFacts(input: z.input<typeof FactsSchema>): boolean {
    const facts = FactsSchema.parse(input);
    this.store.bindTutor(facts.tutorId);
    return this.facts.put(facts);
  }

  tutorFacts(): TutorFacts | null {
    return this.facts.get();
  }

  /**
   * The tutor's account is closing (suspended or deleted): from this step on the calendar takes no booking (its facts
   * say unlisted until the Worker pushes newer ones), holds still being paid are let go (their payment, when it lands,
   * is refunded as a lapsed hold's), and it answers the sessions it holds from `now` on. No await lies between, so the
   * answer is exact: the caller cancels these as well as what D1 lists (whose projection follows each booking).
   * `version` is the closing's place among the account's status changes: facts read after a newer one (a restore that
   * got here first) are kept, and the close does nothing and answers null, so two admins racing cannot leave a restored
   * tutor unlisted. Facts read before the close, arriving after it, are older by their status version and not taken.
   */
  async closeBookings(input: z.input<typeof TutorStatusChangeSchema>): Promise<{ sessionId: string; tutorId: string; start: number }[] | null> {
    const a = this.bound(TutorStatusChangeSchema, input);
    const facts = this.facts.get() ?? (await this.facts.load(this.env, a.tutorId));
    if (facts && facts.statusVersion > a.version) return null;
    if (facts) this.facts.put({ ...facts, listed: false, suspended: true, statusVersion: a.version });
    const ahead = this.store.ahead(a.now);
    for (const s of ahead) {
      if (s.status === "held") this.store.releaseHeldSession(s.id, "tutor_not_found");
      else for (const seat of this.store.seatsOf(s.id)) if (seat.status === "held") this.store.releaseSeat(seat.reservation_id);
    }
    if (ahead.length) this.viewers.changed(a.tutorId);
    return ahead.filter((s) => s.status === "confirmed").map((s) => ({ sessionId: s.id, tutorId: a.tutorId, start: s.start_ms }));
  }

  /** The tutor's rules (calendar/rules.ts). */
  availability(): Availability | null {
    return this.rules.get();
  }

  /** Replaces the tutor's rules; sessions they would cover are named, or cancelled by the tutor when `confirm`. */
  async setAvailability(tutorId: string, input: unknown, options: z.input<typeof AvailabilityOptionsSchema> = {}): Promise<AvailabilityOutcome> {
    const availability = AvailabilityInputSchema.parse(input);
    const o = AvailabilityOptionsSchema.parse(options);
    this.store.bindTutor(Id.parse(tutorId));
    return this.rules.replace(availability, o);
  }

  // ───────────────────────── reads ─────────────────────────

  /** A session as the API shows it (the tutor's side included), for authorization checks in the Worker. */
  getSession(id: string): { booking: Booking } | null {
    const s = this.store.session(Id.parse(id));
    return s ? { booking: this.view(s) } : null;
  }

  /** Free 1:1 slots and joinable group sessions of this tutor in [from, to), with the price of the asked duration. */
  slots(input: z.input<typeof SlotsSchema>): { slots: { start: string; end: string }[]; groups: GroupOffer[]; price: { creditMinutes: number } | null } {
    const a = this.bound(SlotsSchema, input);
    const availability = this.availability();
    const free = availability ? computeSlots({ availability, busy: this.store.busy(a.from, a.to), from: a.from, to: a.to, now: a.now, durationMinutes: a.durationMinutes }) : [];
    const facts = this.facts.get();
    return {
      slots: free.map((s) => ({ start: iso(s.start), end: iso(s.end) })),
      // Full ones too (a student can join the waitlist); a seat held for someone in line counts as taken.
      groups: this.store.openGroups(a.from, a.to, a.now).map((s) => ({ id: s.id, start: iso(s.start_ms), end: iso(s.end_ms), subject: s.subject, seats: s.seats, seatsTaken: Math.min(s.seats, s.taken + this.waitlist.heldFor(s.id, a.now, null)), creditsMinutes: s.credits })),
      price: facts ? { creditMinutes: seatPrice({ kind: "one_on_one", hourlyRateCents: facts.hourlyRateCents, durationMinutes: a.durationMinutes }) } : null,
    };
  }

  /** Whether a 1:1 of this length could be booked at `start` right now (replacement offers ask this). */
  canBook(input: z.input<typeof CanBookSchema>): boolean {
    const a = this.bound(CanBookSchema, input);
    return this.isFree(a.start, a.durationMinutes, a.now);
  }

  /**
   * Whether this tutor's trial is still open to `studentId`: the very check a trial booking makes (no lesson held,
   * booked or had here), asked by the tutor page so it offers only a trial the booking would take.
   */
  trialOpenTo(studentId: string): boolean {
    return !this.store.hasLessonWith(Id.parse(studentId));
  }

  // ───────────────────────── outside blocks (Calendly, ICS) ─────────────────────────

  /** Makes `blocks` the whole busy time of `source` (one sync of an outside calendar), atomically. */
  async replaceBlocks(input: z.input<typeof ReplaceBlocksSchema>): Promise<{ count: number; conflicts: number }> {
    return this.outside.replace(this.bound(ReplaceBlocksSchema, input));
  }

  /** Adds or moves one block (idempotent by its external id); `ignored` when it was removed for good before. */
  async upsertBlock(input: z.input<typeof UpsertBlockSchema>): Promise<{ status: "stored" | "ignored"; conflicts: number }> {
    return this.outside.upsert(this.bound(UpsertBlockSchema, input));
  }

  /** Removes one block; `forever` also refuses it from then on (a cancellation that may arrive before its creation). */
  async removeBlock(input: z.input<typeof RemoveBlockSchema>): Promise<{ removed: boolean }> {
    return this.outside.remove(this.bound(RemoveBlockSchema, input));
  }

  /** Outside blocks per source, e.g. `{ calendly: 2, "ics:abc": 14 }`. */
  blockCounts(): Record<string, number> {
    return blockCounts(this.store.sql);
  }

  /** Outside blocks of one source in [from, to) (the tutor's own view and tests). */
  blocks(source: string, from = 0, to = Number.MAX_SAFE_INTEGER): { externalId: string; start: string; end: string; title: string }[] {
    return listBlocks(this.store.sql, BlockSourceSchema.parse(source), from, to);
  }

  /** Overlaps of outside blocks with live sessions that the tutor has not resolved. */
  conflicts(): Conflict[] {
    return openConflicts(this.store.sql);
  }

  dismissConflict(id: string, now: number): boolean {
    return dismissConflict(this.store.sql, Id.parse(id), Instant.parse(now));
  }

  // ───────────────────────── 1:1 booking ─────────────────────────

  /** Books a 1:1 session: hold → pay (the student's wallet) → confirm, idempotent by `sessionId` (calendar/oneOnOne.ts). */
  async book(input: z.input<typeof BookSchema>): Promise<Outcome<Booking>> {
    return this.oneOnOne.book(this.bound(BookSchema, input));
  }

  // ───────────────────────── weekly lessons ─────────────────────────

  /**
   * Books a weekly series: every week reserved at once in this calendar, fixed at the tutor's wall-clock time; each
   * week's credits are taken later by the alarm (calendar/weekly.ts). Idempotent by `seriesId` like a booking.
   */
  async bookSeries(input: z.input<typeof BookSeriesSchema>): Promise<Outcome<Series>> {
    const a = this.bound(BookSeriesSchema, input);
    const facts = this.facts.get() ?? (await this.facts.load(this.env, a.tutorId));
    const hash = a.request?.hash ?? null;
    const pending = this.seriesInflight.get(a.seriesId);
    if (pending) return pending.hash === hash ? replay(pending.answer) : KEY_REUSED;
    const earlier = this.weekly.repeat(a.seriesId, a.studentId, hash);
    if (earlier) return earlier;
    const refused = refuseBooking(facts, a.subject);
    if (refused || !facts) return refused ?? NOT_FOUND;
    const availability = this.availability();
    if (!availability) return fail("slot_unavailable", MESSAGES.slot_unavailable);
    const answer = this.weekly.book(a, facts.hourlyRateCents, availability).finally(() => this.seriesInflight.delete(a.seriesId));
    this.seriesInflight.set(a.seriesId, { hash, answer });
    return answer;
  }

  getSeries(input: z.input<typeof SeriesQuerySchema>): Outcome<Series> {
    const a = this.bound(SeriesQuerySchema, input);
    return this.weekly.get(a.seriesId, a.actor);
  }

  /** Cancels the rest of a series (from an occurrence on, or every one still to come), each under the normal policy. */
  async cancelSeries(input: z.input<typeof CancelSeriesSchema>): Promise<Outcome<Series>> {
    const a = this.bound(CancelSeriesSchema, input);
    return this.weekly.cancelRest(a, (w) =>
      // A week in a group is the student's seat: it is given up (the group goes on), whoever cancels the series.
      w.group ? this.changes.leaveGroup(w.session, w.seat, a.reason ?? null, a.now, a.actor) : this.cancel({ tutorId: a.tutorId, sessionId: w.session.id, actor: a.actor, reason: a.reason, now: a.now }),
    );
  }

  /**
   * Moves the rest of a 1:1 series from a week on, each week under the normal reschedule policy (calendar/weekly.ts).
   * A retry of its Idempotency-Key gets the first answer; without one, repeating the same move changes nothing more.
   */
  async moveSeries(input: z.input<typeof MoveSeriesSchema>): Promise<Outcome<SeriesMove>> {
    const a = this.bound(MoveSeriesSchema, input);
    return this.seriesMoves.once(`move series ${a.seriesId}`, a.request, a.now, () => this.weekly.moveRest(a, this.availability()));
  }

  /** The student paused their plan: their weekly lessons in the pause are skipped (released, refunded if paid, both told). */
  skipPausedWeeks(input: z.input<typeof SkipPausedSchema>): { skipped: string[] } {
    const a = this.bound(SkipPausedSchema, input);
    return { skipped: this.weekly.skipPaused(a.studentId, a.from, a.until, a.now) };
  }

  /** Takes the credits of the weekly lessons due by `now` (the alarm runs it with the clock; tests with any instant). */
  async chargeDueSeries(now: number): Promise<void> {
    await this.weekly.chargeDue(Instant.parse(now));
    const next = this.weekly.nextDue();
    if (next !== null) await this.wakeAt(Math.max(next, Date.now() + 100));
  }

  // ───────────────────────── group sessions and their waitlists (calendar/groups.ts) ─────────────────────────

  /** A tutor opens a group session on one of their free slots; the seat price is fixed now, from the tutor's rate. */
  async openGroup(input: z.input<typeof OpenGroupSchema>): Promise<Outcome<Booking>> {
    return this.groups.open(this.bound(OpenGroupSchema, input));
  }

  /** A student takes a seat: seat hold → pay → confirm (idempotent by the reservation id). */
  async joinGroup(input: z.input<typeof JoinGroupSchema>): Promise<Outcome<Booking>> {
    return this.groups.join(this.bound(JoinGroupSchema, input));
  }

  /** A group session and where the student stands in its waitlist. */
  waitlistView(input: z.input<typeof WaitlistArgsSchema>): Outcome<{ session: WaitlistSession; waitlist: WaitlistPlace }> {
    return this.groups.waitlistView(this.bound(WaitlistArgsSchema, input));
  }

  /** Puts a student in line for a full group session. */
  joinWaitlist(input: z.input<typeof WaitlistArgsSchema>): Outcome<WaitlistPlace> {
    return this.groups.joinWaitlist(this.bound(WaitlistArgsSchema, input));
  }

  /** Takes a student out of the line; a seat held for them passes to the next in line at once. */
  async leaveWaitlist(input: z.input<typeof WaitlistArgsSchema>): Promise<Outcome<WaitlistPlace>> {
    return this.groups.leaveWaitlist(this.bound(WaitlistArgsSchema, input));
  }

  /** Offers whose 30 minutes ran out by `now` lapse, and their seats pass on (the alarm runs it; tests with any instant). */
  async passOnLapsedOffers(now: number): Promise<void> {
    await this.groups.passOnLapsedOffers(Instant.parse(now));
  }

  /** A seat came free: held for the first in line in the same step; when that hold ends, or null. */
  private offerFreed(sessionId: string, now: number): number | null {
    return this.groups.offerFreed(sessionId, now);
  }

  // ───────────────────────── cancel, reschedule, complete (calendar/changes.ts) ─────────────────────────

  /** Cancels a session, or one student's seat in a group; a retry of its Idempotency-Key gets the first answer. */
  async cancel(input: z.input<typeof CancelSchema>): Promise<Outcome<Booking>> {
    const a = this.bound(CancelSchema, input);
    return this.requests.once(`cancel ${a.sessionId}`, a.request, a.now, () => this.changes.cancel(a));
  }

  /**
   * A student's account goes (suspended, deleted): their seat in a group is given up (the group goes on), a 1:1 cancelled.
   * A seat of theirs still being paid for (their wallet said yes before it closed, the answer not here yet) is waited
   * for first, so the booking is cancelled once confirmed rather than missed while held.
   */
  async cancelForStudent(input: z.input<typeof CancelForStudentSchema>): Promise<Outcome<Booking>> {
    const a = this.bound(CancelForStudentSchema, input);
    for (const seat of this.store.seatsOf(a.sessionId)) {
      if (seat.student_id === a.studentId) await this.inflight.get(seat.reservation_id)?.answer.catch(() => undefined);
    }
    return this.changes.cancelForStudent(a);
  }

  /** Moves a 1:1 session (held at the new time while the wallet is asked); a retry of its key gets the first answer. */
  async reschedule(input: z.input<typeof RescheduleSchema>): Promise<Outcome<Booking>> {
    const a = this.bound(RescheduleSchema, input);
    return this.requests.once(`reschedule ${a.sessionId}`, a.request, a.now, () => this.changes.reschedule(a));
  }

  /** Marks a session completed (its tutor once it started, the system once it is over); it settles after the answer. */
  async complete(input: z.input<typeof CompleteSchema>): Promise<Outcome<Booking>> {
    return this.changes.complete(this.bound(CompleteSchema, input));
  }

  /** The tutor never came: the session is cancelled after the fact, every student refunded, a no-show counted. */
  async tutorNoShow(input: z.input<typeof NoShowSchema>): Promise<Outcome<Booking>> {
    return this.changes.tutorNoShow(this.bound(NoShowSchema, input));
  }

  /** Development and tests only (refused elsewhere): moves a session to any times, skipping every rule. */
  async moveSessionForTesting(input: z.input<typeof MoveForTestingSchema>): Promise<Outcome<Booking>> {
    return this.changes.moveForTesting(MoveForTestingSchema.parse(input));
  }

  // ───────────────────────── outbox, alarm, viewers ─────────────────────────

  /** Effects still waiting (for tests and the admin health page). */
  pendingEffects(): number {
    return this.outbox.pending();
  }

  /** Runs whatever is due now (tests call this instead of waiting for the alarm). */
  async settle(): Promise<void> {
    await this.alarm();
  }

  /**
   * Expires holds and pending moves that outlived their time, queues due reminders and the weekly hours' projection
   * after a clock change of the tutor's zone, then drains the outbox.
   */
  override async alarm(): Promise<void> {
    this.clock.fired();
    const now = Date.now();
    for (const s of this.store.expiredHolds(now)) {
      for (const seat of this.store.seatsOf(s.id)) this.outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "hold expired", now });
      if (this.store.releaseHeldSession(s.id, "slot_unavailable")) this.viewers.changed(this.store.tutorId);
    }
    for (const seat of this.store.expiredSeatHolds(now)) {
      this.store.releaseSeat(seat.reservation_id);
      this.outbox.enqueue({ kind: "release", studentId: seat.student_id, reservationId: seat.reservation_id, refund: true, reason: "seat hold expired", now });
      this.offerFreed(seat.session_id, now);
    }
    await this.passOnLapsedOffers(now);
    this.store.dropExpiredMoves(now);
    this.reminders.queueDue(now);
    this.rules.queueReprojection(now);
    this.requests.forget(now);
    await this.weekly.chargeDue(now);
    await this.outbox.drainAll();
    const next = [this.store.nextHoldExpiry(), this.outbox.nextDue(), this.reminders.nextDue(now), this.weekly.nextDue(), this.waitlist.nextExpiry(), this.rules.nextReprojection()].filter((t): t is number => t !== null);
    if (next.length) await this.wakeAt(Math.max(Math.min(...next), Date.now() + 100));
  }

  /** The tutor's inbox says they opened a tab, or closed their last one. */
  setPresence(open: boolean): void {
    this.presence.set(PresenceSchema.parse(open));
  }

  /** Whether the tutor is known to have a tab open (tests, the health view). */
  presenceState(): "open" | "closed" {
    return this.presence.state;
  }

  /** Viewers of the tutor's page connect here; they are told the moment time is taken or freed. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    return this.viewers.accept(request);
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    this.viewers.onMessage(ws, raw);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.viewers.onClose(ws, code);
  }

  // ───────────────────────── helpers ─────────────────────────

  /** Parses an RPC's arguments and binds the calendar to their tutor (the first call tells the object whose it is). */
  private bound<S extends z.ZodType<{ tutorId: string }>>(schema: S, input: unknown): z.infer<S> {
    const a = schema.parse(input);
    this.store.bindTutor(a.tutorId);
    return a;
  }

  private view(s: SessionRow, seats = this.store.seatsOf(s.id)): Booking {
    return bookingView(s, seats, { id: this.store.tutorId, name: this.facts.get()?.name }, commissionPercent(this.env));
  }

  /** Whether `minutes` from `start` are bookable now: within the rules and clear of every busy interval. */
  private isFree(start: number, minutes: number, now: number, exceptSessionId?: string): boolean {
    const availability = this.availability();
    const end = start + minutes * MINUTE;
    return !!availability && isSlotAvailable({ availability, busy: this.store.busy(start, end, exceptSessionId), now, durationMinutes: minutes }, start);
  }

  /**
   * Pays a held seat through the student's wallet. A thrown error (the network) may have left a spend behind, so it
   * is compensated by a refund (a no-op when nothing was spent) and the hold let go.
   */
  private async pay(seat: Parameters<typeof paySeat>[1], how: Parameters<typeof paySeat>[2], letGo: () => void): Promise<Awaited<ReturnType<typeof paySeat>>> {
    try {
      return await paySeat(this.env, seat, how);
    } catch (e) {
      this.outbox.enqueue({ kind: "release", studentId: seat.studentId, reservationId: seat.reservationId, refund: true, reason: "booking failed", now: seat.now });
      letGo();
      this.outbox.afterAnswer();
      throw e;
    }
  }

  /** The seat was paid but its hold had expired meanwhile: give the credits back and say the time is gone. */
  private async refundLateSeat(seat: { studentId: string; reservationId: string; now: number }, reason: string): Promise<Outcome<Booking>> {
    this.outbox.enqueue({ kind: "release", studentId: seat.studentId, reservationId: seat.reservationId, refund: true, reason, now: seat.now });
    await this.outbox.settleBeforeAnswer();
    return fail("slot_unavailable", MESSAGES.slot_unavailable);
  }

  /** A change the people it is about (and the D1 projection, and the tutor's feed) learn of after the answer. */
  private announce(booking: Booking, change: "booked" | "cancelled" | "rescheduled" | "joined" | "left" | "completed", userIds: string[]) {
    this.outbox.enqueue({ kind: "project", sessionId: booking.id });
    // A subscribed feed is rendered again once the projection has the change, at most every FEED_EVERY_MS.
    const at = Math.max(Date.now(), this.feedRenderedAt + FEED_EVERY_MS);
    if (this.outbox.enqueueOnce({ kind: "feed" }, at)) this.feedRenderedAt = at;
    const ref = { id: booking.id, tutorId: booking.tutorId, start: booking.start, end: booking.end, status: booking.status, subject: booking.subject, kind: booking.kind, seats: booking.seats, seatsTaken: booking.seatsTaken };
    // The tutor hears it only with a tab open (their calendar knows; a student's account decides for its student).
    for (const userId of new Set(userIds)) {
      if (userId === this.store.tutorId && this.presence.state === "closed") continue;
      this.outbox.enqueue({ kind: "notify", userId, message: { type: "booking.changed", booking: ref, change } });
    }
  }

  /** Runs `attempt` once per id while it is in flight; a concurrent repeat with the same request waits for it. */
  private once(id: string, hash: string | null, attempt: () => Promise<Outcome<Booking>>): Promise<Outcome<Booking>> {
    const answer = attempt().finally(() => this.inflight.delete(id));
    this.inflight.set(id, { hash, answer });
    return answer;
  }

  private async remindAt(start: number, now: number) {
    for (const t of Reminders.times(start, now)) await this.wakeAt(t);
  }

  private wakeAt(at: number): Promise<void> {
    return this.clock.wakeAt(at);
  }
}

