import { DurableObject } from "cloudflare:workers";
import type { z } from "zod";
import { type Allocation, POLICY, freeTrialMonth } from "../domain/credits";
import { FREE_PLAN_ID } from "../domain/billing/catalog";
import type { ServerMessage } from "../domain/protocol";
import { readStudentPlan } from "../platform/billing/subscriptions";
import { getDb } from "../platform/db/client";
import { log } from "../platform/log";
import { notifyUser } from "../platform/notifications/live";
import { AlarmClock } from "./lib/alarmClock";
import { Mutex } from "./lib/mutex";
import { LiveArgsSchema, Presence, PresenceSchema } from "./lib/presence";
import {
  CloseDisputeSchema,
  FaultSchema,
  GrantSchema,
  HeldBetweenSchema,
  HistorySchema,
  MoveExpiriesSchema,
  ClaimSchema,
  MoveSchema,
  OpenDisputeSchema,
  PlanSchema,
  RefundPurchaseSchema,
  type ReleaseArgs,
  ReleaseSchema,
  type ReserveArgs,
  type ReserveResult,
  type ClaimResult,
  type HeldLesson,
  ReserveSchema,
  RefundSeatSchema,
  type SeatRefund,
  StoredPlanSchema,
  StatusChangeSchema,
  StudentNow,
  TakeSchema,
  TransferSchema,
  type WalletView,
} from "./student/args";
import { History, type HistoryPage, type PaidLot, paidLots } from "./student/history";
import { LegacyImport } from "./student/legacyImport";
import { AcceptOfferSchema, DeclineOfferSchema, type OfferRefund, Offers, OpenOfferSchema } from "./student/offers";
import { OUTBOX_FAULTS_KEY, Outbox } from "./student/outbox";
import { type DisputeOutcome, Purchases } from "./student/purchases";
import { RequestKeys } from "./student/requestKeys";
import { Reservations } from "./student/reservations";
import { Meta, migrateStudentStorage } from "./student/storage";
import { Wallet } from "./student/wallet";
import { FreeTrials } from "./student/freeTrials";

export { OFFER_CUTOFF_BEFORE_START_MS, OFFER_MIN_DECISION_MS, type OfferView } from "./student/offers";
export type { HeldLesson, ReleaseArgs, ReserveArgs, ReserveResult, SeatRefund, WalletView } from "./student/args";
export type { HistoryEntry, HistoryPage, PaidLot } from "./student/history";

/** How long a plan the Worker told is trusted before D1 is read again (trial bookings and the balance ask for it). */
const PLAN_FRESH_MS = 24 * 3_600_000;
/** Meta key present while the account is closed (suspended or deleted): its value is when it was closed. */
const CLOSED_KEY = "closed";
/** Meta key: the newest status change applied (users.status_version); absent is 0, as in D1 before any change. */
const STATUS_VERSION_KEY = "status_version";

/**
 * One per student: the serialization point for everything a student spends, and the owner of their wallet.
 *
 * It keeps the student's reservations (a student's sessions span many tutors, so no tutor's calendar sees them all)
 * and their credit ledger in its own SQLite, the source of truth for balances and spends. Every operation runs under
 * one lock and writes in one storage transaction, so "check the balance / check for overlap, then write" never
 * interleaves; the ledger reaches D1 afterwards, through the outbox. A spend is idempotent by reservation id, a
 * grant by grant id, a refund or dispute by its Stripe id: every retry is answered from here, without D1.
 */
export class StudentAccount extends DurableObject<Env> {
  private readonly lock = new Mutex();
  private readonly clock = new AlarmClock(this.ctx.storage);
  private readonly meta: Meta;
  private readonly outbox: Outbox;
  private readonly wallet: Wallet;
  private readonly purchases: Purchases;
  private readonly reservations: Reservations;
  private readonly requestKeys: RequestKeys;
  private readonly offerBook: Offers;
  private readonly legacy: LegacyImport;
  private readonly history: History;
  private readonly freeTrials: FreeTrials;
  /** Whether the student has a Tutorly tab open (their inbox says), so their live events skip it when not. */
  private readonly presence: Presence;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    migrateStudentStorage(sql);
    const scheduleAlarm = (at: number) => this.scheduleAlarm(at);
    this.meta = new Meta(sql);
    this.presence = new Presence((userId, message) => notifyUser(env, userId, message), { read: () => this.meta.get("tabs"), write: (v) => this.meta.set("tabs", v) });
    this.outbox = new Outbox(env, sql, this.meta, scheduleAlarm, () => this.studentId());
    this.wallet = new Wallet(sql, this.outbox);
    this.purchases = new Purchases(sql, this.wallet);
    this.reservations = new Reservations(sql);
    this.requestKeys = new RequestKeys(sql);
    this.offerBook = new Offers(env, sql, scheduleAlarm, (studentId, reservationId, now) => this.refundOffer(studentId, reservationId, now), (reservationId) => ({ minutes: this.wallet.heldBy(reservationId), freeTrial: this.freeTrials.paid(reservationId) }), (userId, message) => this.presence.push(userId, message));
    this.legacy = new LegacyImport(env, ctx.storage, this.meta, this.wallet);
    this.history = new History(sql);
    this.freeTrials = new FreeTrials(this.wallet);
  }

  // ───────────────────────── spending: reservations ─────────────────────────

  /**
   * Claims the student's time and spends `cost` credits for one reservation, answering the allocation (which lots
   * paid, with their value). Idempotent by reservation id: a repeat answers the first allocation.
   */
  async reserve(input: ReserveArgs): Promise<ReserveResult> {
    const a = ReserveSchema.parse(input);
    const freePlan = a.trial ? (await this.planOf(a.studentId)) === FREE_PLAN_ID : false;
    return this.operation("reserve", a.studentId, a.now, (now): ReserveResult => {
      if (a.request && !this.requestKeys.admit(a.request, a.now)) return { ok: false, code: "idempotency_key_reused" };
      const mine = this.reservations.get(a.reservationId);
      const tabs = this.presence.state === "open";
      // The same seat asked again (the calendar repeating its call) gets its first answer; another session under the
      // same id (an Idempotency-Key reused elsewhere) is no replay of it and is refused, nothing spent.
      if (mine && (mine.session_id !== a.sessionId || mine.tutor_id !== a.tutorId)) return { ok: false, code: "reservation_closed" };
      if (mine?.status === "active") return { ok: true, allocation: this.wallet.allocationOf(a.reservationId), tabs, ...(this.freeTrials.paid(a.reservationId) ? { freeTrial: true } : {}) };
      // A released reservation is final: its id is never spent again (a new booking gets a new id).
      if (mine?.status === "released") return { ok: false, code: "reservation_closed" };
      if (this.isClosed()) return { ok: false, code: "account_closed" };
      // A week of a series claimed its time at booking: paying it turns the claim active.
      if (this.reservations.overlapping(a.start, a.end, mine?.status === "claimed" ? a.reservationId : undefined)) return { ok: false, code: "student_busy" };
      const free = freePlan ? this.freeTrials.spend(a.reservationId, a.cost, now) : null;
      const allocation = free ?? this.wallet.spend(a.reservationId, a.cost, now);
      if (!allocation) return { ok: false, code: "insufficient_credits" };
      this.reservations.hold(a);
      return { ok: true, allocation, tabs, ...(free ? { freeTrial: true } : {}) };
    });
  }

  /**
   * Claims the student's time for the weeks of a weekly series, nothing spent (each is paid later by `reserve`).
   * Answers the weeks refused because the student is busy then. Idempotent: a week claimed before stays claimed.
   * A new series is refused (`short`) when the spendable balance is below `cover` (its first week's price).
   */
  async claim(input: z.input<typeof ClaimSchema>): Promise<ClaimResult> {
    const a = ClaimSchema.parse(input);
    return this.operation("claim", a.studentId, a.now, (now): ClaimResult => {
      if (a.request && !this.requestKeys.admit(a.request, a.now)) return { busy: [], reused: true };
      if (this.isClosed()) return { busy: [], closed: true };
      // A new series holds the tutor's hour for weeks before any is paid: only for a student whose credit covers a week.
      const fresh = a.claims.some((c) => !this.reservations.get(c.reservationId));
      if (a.cover && fresh && this.wallet.balance(now).balanceMinutes < a.cover) return { busy: [], short: true };
      const busy: string[] = [];
      for (const c of a.claims) {
        const mine = this.reservations.get(c.reservationId);
        if (mine?.status === "active" || mine?.status === "claimed") continue;
        if (mine || this.reservations.overlapping(c.start, c.end)) busy.push(c.reservationId);
        else this.reservations.claim(c);
      }
      return { busy };
    });
  }

  /**
   * Frees the reservation's time and, when `refund`, gives back what it still holds (or `refundMinutes` of it in all,
   * the lots taken last first), to the lots it came from. Safe to repeat: a repeat gives nothing more.
   */
  async release(input: ReleaseArgs): Promise<{ refunded: Allocation }> {
    const a = ReleaseSchema.parse(input);
    return this.operation("release", a.studentId, a.now, (now) => {
      this.reservations.release(a.reservationId);
      if (!a.refund) return { refunded: [] };
      const refunded = this.wallet.refund(a.reservationId, now, a.reason, { upToMinutes: a.refundMinutes });
      this.freeTrials.lapse(refunded, a.reservationId, now);
      // Credit that came back to a refunded or disputed purchase is taken back at once.
      this.purchases.settle(now);
      return { refunded };
    });
  }

  /**
   * An admin gives back what a seat still holds, and says what really happened: how much came back and how much of
   * it was taken again at once (its purchase was refunded through Stripe or lost a dispute) or is on hold (a dispute
   * is open); or, when nothing was left, whether it was refunded before or paid for a replacement booking. A seat a
   * tutor cancelled whose replacement offer is still open has nothing left to offer with: the offer closes as refunded.
   */
  async refundSeat(input: z.input<typeof RefundSeatSchema>): Promise<SeatRefund> {
    const a = RefundSeatSchema.parse(input);
    return this.operation("refundSeat", a.studentId, a.now, (now): SeatRefund => {
      this.reservations.release(a.reservationId);
      const before = this.wallet.entries().length;
      const refunded = this.wallet.refund(a.reservationId, now, a.reason);
      if (!refunded.length) return this.history.whyNothing(a.reservationId);
      this.offerBook.closeRefunded(a.reservationId);
      this.freeTrials.lapse(refunded, a.reservationId, now);
      this.purchases.settle(now);
      const lots = new Set(refunded.map((s) => s.lotId));
      const takenBackMinutes = this.wallet
        .entries()
        .slice(before)
        .reduce((sum, e) => sum + (e.kind === "clawback" && e.lotId && lots.has(e.lotId) ? e.minutes : 0), 0);
      const frozen = new Set(this.wallet.balance(now).frozen.map((l) => l.id));
      const onHoldMinutes = refunded.reduce((sum, s) => sum + (frozen.has(s.lotId) ? s.minutes : 0), 0);
      return { outcome: "refunded", minutes: refunded.reduce((sum, s) => sum + s.minutes, 0), takenBackMinutes, onHoldMinutes };
    });
  }

  /** Moves a reservation to a new time; refuses (false) when the student is busy then. */
  async move(input: z.input<typeof MoveSchema>): Promise<boolean> {
    const a = MoveSchema.parse(input);
    return this.lock.run(async () => {
      if (this.reservations.overlapping(a.start, a.end, a.reservationId)) return false;
      this.reservations.move(a.reservationId, a.start, a.end);
      return true;
    });
  }

  /**
   * Pays a replacement booking with a cancelled reservation's credit (its offer being accepted), at the replacement's
   * own price (`cost`): that much moves from the old reservation to the new one slice for slice, keeping lots and
   * value; a cheaper replacement's difference comes back to the student in the same step (a free trial's lapses, as
   * any credit coming back to it does). Never more than the old one held, nor than its offer showed for that tutor
   * (`insufficient_credits`, which the offer answers as `price_changed`). Answers the new
   * reservation's allocation, and `freeTrial` when the month's free trial still pays it.
   */
  async transferReservation(input: z.input<typeof TransferSchema>): Promise<ReserveResult> {
    const a = TransferSchema.parse(input);
    return this.operation("transferReservation", a.studentId, a.now, (now): ReserveResult => {
      const freeTrial = () => (this.freeTrials.paid(a.toReservationId) ? { freeTrial: true as const } : {});
      if (this.reservations.get(a.toReservationId)?.status === "active") return { ok: true, allocation: this.wallet.allocationOf(a.toReservationId), ...freeTrial() };
      if (this.isClosed()) return { ok: false, code: "account_closed" };
      const from = this.reservations.get(a.fromReservationId);
      if (!from || from.status !== "active" || !this.offerBook.isAccepting(a.fromReservationId) || from.start_ms !== a.start || from.end_ms !== a.end) {
        return { ok: false, code: "reservation_closed" };
      }
      if (this.reservations.overlapping(a.start, a.end, a.fromReservationId)) return { ok: false, code: "student_busy" };
      // Never more than the offer showed for this tutor (their price rose since): the offer tells the student so.
      const shown = this.offerBook.offeredCost(a.fromReservationId, a.tutorId);
      if (shown !== null && a.cost > shown) return { ok: false, code: "insufficient_credits" };
      const paid = this.wallet.transfer(a.fromReservationId, a.toReservationId, a.cost, now);
      if (!paid) return { ok: false, code: "insufficient_credits" };
      if (paid.refunded.length) {
        this.freeTrials.lapse(paid.refunded, a.fromReservationId, now);
        this.purchases.settle(now);
      }
      this.reservations.release(a.fromReservationId);
      this.reservations.hold({ ...a, reservationId: a.toReservationId });
      return { ok: true, allocation: paid.moved, ...freeTrial() };
    });
  }

  /** Active reservations (for tests and the repair job). */
  activeReservations() {
    return this.reservations.active();
  }

  /**
   * The student's lessons starting in [from, until), paid or (a weekly week) claimed, each with its tutor: the source
   * of truth for which calendars hold them (a pause asks those tutors to skip its weeks; D1 may not have them yet).
   */
  heldBetween(input: z.input<typeof HeldBetweenSchema>): HeldLesson[] {
    const a = HeldBetweenSchema.parse(input);
    return this.heldFrom(a.from, a.until);
  }

  private heldFrom(from: number, until: number): HeldLesson[] {
    return this.reservations.holdingBetween(from, until).map((r) => ({ reservationId: r.reservation_id, sessionId: r.session_id, tutorId: r.tutor_id, start: r.start_ms }));
  }

  // ───────────────────────── a suspended or deleted account ─────────────────────────

  /**
   * The account was suspended or deleted: from now on nothing new is spent or claimed (`reserve`, `claim` and
   * `transferReservation` answer `account_closed`), while grants, refunds, expiry and Stripe's claims go on — what is
   * owed back still comes back. Its signed credential stays valid for up to a minute, so this, not D1, is what stops
   * a booking made with it. Answers the lessons the student still holds from `now` on: run under the same lock as
   * every spend, this is exact — a spend that got in before the close is in it, any later one is refused — so the
   * caller cancels these as well as what D1 lists (whose projection follows each booking, and may not have it yet).
   * `version` is the closing's place among the account's status changes: after a newer one (a restore that got here
   * first) it does nothing and answers null, so two admins racing cannot leave a restored student's wallet closed.
   */
  async closeAccount(input: z.input<typeof StatusChangeSchema>): Promise<HeldLesson[] | null> {
    const a = StatusChangeSchema.parse(input);
    const held = await this.operation("closeAccount", a.studentId, a.now, () => {
      if (!this.takeStatusChange(a.version)) return null;
      if (!this.isClosed()) this.meta.set(CLOSED_KEY, String(a.now));
      // A reservation waiting on replacement offers belongs to a session its tutor already cancelled: not a lesson held.
      return this.heldFrom(a.now + 1, Number.MAX_SAFE_INTEGER).filter((h) => !this.offerBook.get(h.reservationId));
    });
    // Those offers can no longer be accepted: their credits come back now, not at their cut-off.
    if (held) await this.offerBook.withdrawAll(a.studentId, a.now);
    return held;
  }

  /**
   * A suspended account was restored: it spends again. After a newer status change (a suspension since, or the
   * account's deletion) it does nothing and answers false: a late restore never reopens a deleted account's wallet.
   */
  async reopenAccount(input: z.input<typeof StatusChangeSchema>): Promise<boolean> {
    const a = StatusChangeSchema.parse(input);
    return this.operation("reopenAccount", a.studentId, a.now, () => {
      if (!this.takeStatusChange(a.version)) return false;
      this.meta.delete(CLOSED_KEY);
      return true;
    });
  }

  private isClosed(): boolean {
    return this.meta.get(CLOSED_KEY) !== undefined;
  }

  /**
   * Records `version` as the newest status change applied, unless a newer one was: true when the change is to be
   * applied. The same version again (the Worker retrying its call) is applied again, which changes nothing.
   */
  private takeStatusChange(version: number): boolean {
    if (version < Number(this.meta.get(STATUS_VERSION_KEY) ?? 0)) return false;
    this.meta.set(STATUS_VERSION_KEY, String(version));
    return true;
  }

  // ───────────────────────── the wallet: grants, adjustments, expiry ─────────────────────────

  /**
   * Adds credit once per grant id (a Stripe invoice or payment, an admin request, a welcome credit). A Stripe refund or
   * dispute of the purchase that arrived before it is applied in the same step; `disputes` answers those disputes.
   */
  async grant(input: z.input<typeof GrantSchema>) {
    const a = GrantSchema.parse(input);
    return this.operation("grant", a.studentId, a.now, (now) => {
      const granted = this.wallet.grant(a, now);
      if (!granted.ok) return granted;
      return { ...granted, disputes: a.purchaseRef ? this.purchases.claimPending(a.purchaseRef, now) : [] };
    });
  }

  /** Takes credit out (an admin's negative adjustment), first-expiring lots first, once per `takeId`; false when short. */
  async takeCredits(input: z.input<typeof TakeSchema>): Promise<boolean> {
    const a = TakeSchema.parse(input);
    return this.operation("takeCredits", a.studentId, a.now, (now) => !!this.wallet.take(a.minutes, now, a.reason, a.actorId, a.takeId));
  }

  /**
   * A paused plan: the expiry of every lot still usable at `from` moves by `byMs` (once per `ref`), recorded as
   * `extend` entries that reach D1 through the outbox like every other entry.
   */
  async moveExpiries(input: z.input<typeof MoveExpiriesSchema>) {
    const a = MoveExpiriesSchema.parse(input);
    return this.operation("moveExpiries", a.studentId, a.now, (now) => this.wallet.moveExpiries(a.ref, a.from, a.byMs, now, a.sameLotsAs));
  }

  /** Records `expire` entries for lapsed lots (every operation does this first; the daily job reaches idle wallets). */
  async expireDue(input: z.input<typeof StudentNow>): Promise<number> {
    const a = StudentNow.parse(input);
    return this.operation("expireDue", a.studentId, a.now, (_, expired) => expired);
  }

  /** The balance and lots (spendable and frozen), as the student and admins see them. */
  async credits(input: z.input<typeof StudentNow>): Promise<WalletView> {
    const a = StudentNow.parse(input);
    const freePlan = (await this.planOf(a.studentId)) === FREE_PLAN_ID;
    return this.operation("credits", a.studentId, a.now, (now) => {
      const { all: _, expiredUnrecorded: __, ...view } = this.wallet.balance(now);
      return { ...view, promoCapMinutes: POLICY.promoCapMinutes, freeTrial: { month: freeTrialMonth(now.getTime()), available: freePlan && this.freeTrials.available(now) } };
    });
  }

  /**
   * The student's ledger, newest first, a page at a time: every grant, spend, refund, expiry, adjustment, clawback and
   * freeze, with the session seat or lot each concerns. Lapsed lots are recorded as expired first, so it is exact now.
   */
  async ledgerHistory(input: z.input<typeof HistorySchema>): Promise<HistoryPage> {
    const a = HistorySchema.parse(input);
    return this.operation("ledgerHistory", a.studentId, a.now, () => this.history.page(a.before ?? null, a.limit));
  }

  /** What the student paid for, newest first: one lot per purchase, as granted. */
  async purchasesMade(input: z.input<typeof StudentNow>): Promise<PaidLot[]> {
    const a = StudentNow.parse(input);
    return this.operation("purchasesMade", a.studentId, a.now, () => paidLots(this.ctx.storage.sql));
  }

  // ───────────────────────── the student's plan ─────────────────────────

  /** Takes the student's plan (pushed by the Worker on every subscription change); older versions are ignored. */
  async setPlan(input: z.input<typeof PlanSchema>): Promise<boolean> {
    const a = PlanSchema.parse(input);
    return this.lock.run(async () => {
      this.bindStudent(a.studentId);
      const held = this.heldPlan();
      if (held && held.version > a.version) return false;
      this.meta.set("plan", JSON.stringify({ planId: a.planId, version: a.version }));
      return true;
    });
  }

  /**
   * The student's plan id: as pushed, or read from D1 by an object that predates the push — or whose plan was last
   * told more than PLAN_FRESH_MS ago (a push is best effort; see worker/features/billing/stripeEvents.ts).
   */
  private async planOf(studentId: string): Promise<string> {
    const held = this.heldPlan();
    if (held && held.version > Date.now() - PLAN_FRESH_MS) return held.planId;
    const read = await readStudentPlan(getDb(this.env), studentId);
    await this.setPlan({ studentId, ...read });
    return this.heldPlan()?.planId ?? read.planId;
  }

  private heldPlan() {
    const raw = this.meta.get("plan");
    const parsed = raw ? StoredPlanSchema.safeParse(JSON.parse(raw)) : null;
    return parsed?.success ? parsed.data : null;
  }

  /** Imports the student's old D1 ledger if it has not been (the wallet migration walks every student through this). */
  async importLegacyLedger(input: z.input<typeof StudentNow>): Promise<{ imported: boolean }> {
    const a = StudentNow.parse(input);
    const before = this.legacy.done();
    await this.operation("importLegacyLedger", a.studentId, a.now, () => undefined);
    return { imported: !before };
  }

  // ───────────────────────── after a purchase: Stripe refunds and disputes ─────────────────────────

  /**
   * A Stripe refund of a purchase: takes back the refunded share of its credit, as far as unspent (held for the
   * purchase's grant when it has not arrived). Idempotent by `ref`.
   */
  async refundPurchase(input: z.input<typeof RefundPurchaseSchema>) {
    const a = RefundPurchaseSchema.parse(input);
    return this.operation("refundPurchase", a.studentId, a.now, (now) => this.purchases.refund(a.ref, a.purchaseRefs, a.refundedCents, a.amountCents, now));
  }

  /**
   * A dispute opened: the purchase's credit is frozen while it is open (or once its grant arrives). Idempotent by `ref`.
   * Credit of the purchase already spent on lessons still to come is not left paying for them: `lessons` names those
   * lessons, for the caller to cancel in their tutors' calendars (their refunds come back to the frozen lots); a seat
   * a tutor cancelled whose replacement offers are open is refunded here, its offers closed. Every call answers what
   * is still to cancel, so a repeat after the cancellations names nothing.
   */
  async openDispute(input: z.input<typeof OpenDisputeSchema>): Promise<DisputeOutcome & { lessons?: HeldLesson[] }> {
    const a = OpenDisputeSchema.parse(input);
    return this.operation("openDispute", a.studentId, a.now, (now) => {
      const opened = this.purchases.openDispute(a.ref, a.purchaseRefs, now);
      return opened.ok && !opened.held ? { ...opened, lessons: this.paidByDispute(a.ref, now) } : opened;
    });
  }

  /**
   * The lessons still to come that a dispute's lots pay for (none once it is won). Seats waiting on replacement offers
   * give their credit back at once instead: no replacement is booked with disputed credit.
   */
  private paidByDispute(ref: string, now: Date): HeldLesson[] {
    const lots = this.purchases.disputedLots(ref, now);
    if (!lots) return [];
    const lessons: HeldLesson[] = [];
    for (const reservationId of this.wallet.paidFrom(lots)) {
      const r = this.reservations.get(reservationId);
      if (r?.status !== "active" || r.start_ms <= now.getTime()) continue;
      const offer = this.offerBook.get(reservationId);
      if (!offer) {
        lessons.push({ reservationId, sessionId: r.session_id, tutorId: r.tutor_id, start: r.start_ms });
        continue;
      }
      if (!["preparing", "open", "accepting"].includes(offer.status)) continue;
      this.offerBook.closeRefunded(reservationId);
      this.reservations.release(reservationId);
      this.freeTrials.lapse(this.wallet.refund(reservationId, now, "payment disputed"), reservationId, now);
    }
    this.purchases.settle(now);
    return lessons;
  }

  /** A dispute closed: won releases the credit, lost takes back the disputed share of what is unspent. Idempotent by `ref`. */
  async closeDispute(input: z.input<typeof CloseDisputeSchema>) {
    const a = CloseDisputeSchema.parse(input);
    return this.operation("closeDispute", a.studentId, a.now, (now) => this.purchases.closeDispute(a.ref, a.outcome, { disputedCents: a.disputedCents, amountCents: a.amountCents }, now));
  }

  // ───────────────────────── a tutor cancelled: replacement offers ─────────────────────────

  async openOffer(input: z.input<typeof OpenOfferSchema>): Promise<void> {
    const a = OpenOfferSchema.parse(input);
    this.bindStudent(a.studentId);
    await this.offerBook.open(a);
    // A tutor's cancellation that crossed the account's closing: nothing on offer for an account that cannot accept.
    if (this.isClosed()) await this.offerBook.withdrawAll(a.studentId, a.now);
  }

  offers() {
    return this.offerBook.list();
  }

  async acceptOffer(input: z.input<typeof AcceptOfferSchema>) {
    return this.offerBook.accept(AcceptOfferSchema.parse(input));
  }

  async declineOffer(input: z.input<typeof DeclineOfferSchema>) {
    return this.offerBook.decline(DeclineOfferSchema.parse(input));
  }

  /**
   * Gives back what a closing offer's reservation still holds; answers what really came back (nothing when it had gone
   * already, an admin having refunded the seat) and whether a free trial paid it (then it lapsed: the trial is back).
   */
  private async refundOffer(studentId: string, reservationId: string, now: number): Promise<OfferRefund> {
    const { refunded } = await this.release({ studentId, reservationId, refund: true, reason: "tutor cancelled", now });
    return { minutes: refunded.reduce((s, x) => s + x.minutes, 0), freeTrial: this.freeTrials.paid(reservationId) };
  }

  // ───────────────────────── the alarm, the outbox, tests ─────────────────────────

  /** Refunds offers whose cut-off passed and retries the D1 projection; then sleeps until the next of either. */
  override async alarm(): Promise<void> {
    this.clock.fired();
    const now = Date.now();
    await this.offerBook.expireDue(this.studentId(), now);
    await this.outbox.drain();
    await this.clock.settle(() => this.nextWake());
  }

  /** When the object must wake next: an offer's cutoff, or the ledger's next retry to D1 (null: nothing to do). */
  private nextWake(): number | null {
    const next = [this.offerBook.nextCutoff(), this.outbox.nextDue()].filter((t): t is number => t !== null);
    return next.length ? Math.max(Math.min(...next), Date.now() + 1000) : null;
  }

  /** Writes everything still queued to D1 now, retries included (tests; the wallet migration before it moves on). */
  async flush(): Promise<{ pending: number }> {
    await this.outbox.drain(true);
    return { pending: this.outbox.pending() };
  }

  /** The ledger as the object holds it (tests compare it with the D1 projection). */
  ledger() {
    return this.wallet.entries();
  }

  // ───────────────────────── live events ─────────────────────────

  /** The student's inbox says they opened a tab, or closed their last one. */
  setPresence(open: boolean): void {
    this.presence.set(PresenceSchema.parse(open));
  }

  /** Whether the student is known to have a tab open (tests, the health view). */
  presenceState(): "open" | "closed" {
    return this.presence.state;
  }

  /** A live event for the student (from a tutor's calendar): sent to their tabs if they may have one open. */
  async live(userId: string, message: ServerMessage): Promise<void> {
    const a = LiveArgsSchema.parse({ userId, message });
    await this.presence.push(a.userId, a.message);
  }

  /** Test-only fault switches: fail every outbox step once, or the next call of one operation before or after it applies. */
  setFaults(input: z.input<typeof FaultSchema>) {
    if (this.env.ENVIRONMENT !== "test") throw new Error("Fault switches exist only in tests.");
    const a = FaultSchema.parse(input);
    if (a.outbox) this.meta.set(OUTBOX_FAULTS_KEY, a.outbox);
    if (a.next) this.meta.set(`fault:${a.next.op}`, a.next.when);
  }

  /**
   * One wallet operation: under the lock, with the old ledger imported first, lapsed lots expired, and `apply`
   * written in one storage transaction (all or nothing); then the outbox drains and the student's tabs hear the new
   * balance, neither holding up the answer.
   */
  private operation<T>(name: string, studentId: string, nowMs: number, apply: (now: Date, expiredMinutes: number) => T): Promise<T> {
    return this.lock.run(async () => {
      const now = new Date(nowMs);
      this.bindStudent(studentId);
      await this.legacy.ensure(studentId, now);
      this.injectFault(name, "before");
      const before = this.wallet.entries().length;
      let result: T;
      try {
        result = this.ctx.storage.transactionSync(() => apply(now, this.wallet.settleExpiries(now)));
      } catch (e) {
        this.wallet.reload();
        throw e;
      }
      if (this.wallet.entries().length !== before) this.afterWrite(studentId, now);
      this.injectFault(name, "after");
      return result;
    });
  }

  private afterWrite(studentId: string, now: Date) {
    const balanceMinutes = this.wallet.balance(now).balanceMinutes;
    this.ctx.waitUntil(
      (async () => {
        // A safety net: if this drain dies with the request, the alarm picks the entries up.
        await this.scheduleAlarm(Date.now() + 10_000);
        await this.outbox.drain();
        // Drained: the safety net goes, and the alarm keeps only what is still due (a retry, an offer's cutoff).
        await this.clock.settle(() => this.nextWake());
        await this.presence.push(studentId, { type: "credits.changed", balanceMinutes });
      })().catch((e) => log.warn("wallet follow-up failed", { studentId, error: String(e) })),
    );
  }

  /** Objects are addressed by the student's id, which they cannot read back: remember it for alarms and the outbox. */
  private bindStudent(studentId: string) {
    if (!this.studentId()) this.meta.set("student_id", studentId);
  }

  /** The student's id as stored by the first operation: read from storage until found, then kept (it never changes). */
  private studentId(): string | undefined {
    this.boundStudent ??= this.meta.get("student_id");
    return this.boundStudent;
  }
  private boundStudent: string | undefined;

  private injectFault(op: string, when: "before" | "after") {
    if (this.env.ENVIRONMENT !== "test" || this.meta.get(`fault:${op}`) !== when) return;
    this.meta.delete(`fault:${op}`);
    throw new Error(`injected fault: ${op} (${when} applying)`);
  }

  private scheduleAlarm(at: number): Promise<void> {
    return this.clock.wakeAt(at);
  }
}
