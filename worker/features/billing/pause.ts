import { and, desc, eq, gte, inArray, lt } from "drizzle-orm";
import { type PauseWindow, pauseWindow, resumeShift } from "../../../domain/billing/pause";
import { seriesOfBookingId } from "../../../domain/bookingIds";
import { POLICY } from "../../../domain/credits";
import type { User } from "../../../domain/schemas/auth";
import { type Db, getDb } from "../../../platform/db/client";
import { bookingParticipants, bookings, subscriptionPauses, subscriptions } from "../../../platform/db/schema";
import { ApiError } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { accountOf, calendarOf } from "../../lib/stubs";
import { mode, requireSubscription, subscriptionOf } from "./service";

type Sub = typeof subscriptions.$inferSelect;
type PauseRow = typeof subscriptionPauses.$inferSelect;

export type PauseView = { id: string; weeks: number; startsAt: string; endsAt: string; endedAt: string | null; status: "starting" | "active" | "ended"; renewalBefore: string };
/** A weekly lesson in the pause that stays booked (it starts too soon to skip): `id` is the booking the student sees. */
export type KeptWeek = { id: string; start: string; seriesId: string; tutorId: string };

const iso = (ms: number) => new Date(ms).toISOString();
const sec = (ms: number) => Math.floor(ms / 1000);
const HOUR = 3_600_000;
/** A claim left "starting" this long by a request that died is taken over by the next request for that period. */
const STALE_CLAIM_MS = 2 * 60_000;

/**
 * The billing period a pause taken now counts against, as the key of "once per period". Stripe answers a pause's
 * `trial_end` with a `customer.subscription.updated` that starts a new period at once, so the subscription's
 * `currentPeriodStart` cannot say it: our own record does. Until the renewal a pause moved has come, we are still
 * in the period that pause was taken in; after it, in the subscription's current one.
 */
const periodOf = (s: Sub, pauses: PauseRow[], now: number) =>
  pauses.find((p) => Date.parse(p.renewalBefore) + p.shiftMs > now)?.periodStart ?? s.currentPeriodStart ?? "unknown";
/** The pause as planned (its full length), whatever a resume did since. */
const windowOf = (p: PauseRow): PauseWindow => ({ from: Date.parse(p.startsAt), until: Date.parse(p.endsAt), shiftMs: Date.parse(p.endsAt) - Date.parse(p.startsAt) });
const viewOf = (p: PauseRow): PauseView => ({ id: p.id, weeks: p.weeks, startsAt: p.startsAt, endsAt: p.endedAt ?? p.endsAt, endedAt: p.endedAt, status: p.status, renewalBefore: p.renewalBefore });

/** The pause a subscriber is in now (or the one taken this period), and whether they may pause. */
export async function pauseStateOf(db: Db, s: Sub, now: number): Promise<{ pause: PauseView | null; canPause: boolean }> {
  const { pause, canPause } = await pauseRecord(db, s, now);
  return { pause, canPause };
}

/** `pauseStateOf`, with the billing period a pause taken now would count against. */
async function pauseRecord(db: Db, s: Sub, now: number): Promise<{ pause: PauseView | null; canPause: boolean; period: string }> {
  const rows = await db.select().from(subscriptionPauses).where(eq(subscriptionPauses.subscriptionId, s.id)).orderBy(desc(subscriptionPauses.createdAt)).limit(3).all();
  const period = periodOf(s, rows, now);
  const running = rows.find((p) => p.status !== "ended" && Date.parse(p.endsAt) > now);
  const thisPeriod = rows.find((p) => p.periodStart === period);
  const shown = running ?? thisPeriod ?? null;
  return { pause: shown ? viewOf(shown) : null, canPause: !running && !thisPeriod && !s.pendingPlanId && !s.cancelAtPeriodEnd, period };
}

/**
 * Pauses a subscriber's plan for `weeks` whole weeks from now, at most once per billing period. Of two concurrent
 * requests the one that inserts the period's row goes on; the other is refused (or, with the same Idempotency-Key,
 * answered the same). Then, each step idempotent by the pause's id: billing is paused (Stripe or the local mode),
 * the renewal moves by the pause, the expiries of the credit still usable move by the same instant (the wallet
 * records them; D1 learns through its outbox), and the weekly lessons falling in the pause are skipped, except those
 * starting within the student-refund notice of the request, which stay booked and are named in the answer (`keptWeeks`).
 */
export async function pausePlan(env: Env, user: User, weeks: number, idempotencyKey: string | undefined) {
  const db = getDb(env);
  const sub = await requireSubscription(db, user.id, "Only a plan can be paused, and you have none. Packs do not renew, so there is nothing to pause.");
  const now = Date.now();
  if (sub.pendingPlanId || sub.cancelAtPeriodEnd) throw new ApiError(409, "plan_changing", "Your plan changes or ends at the end of this period, so it cannot be paused. Undo that change first.");
  if (!sub.currentPeriodEnd) throw new ApiError(409, "no_renewal", "This plan has no renewal date yet, so it cannot be paused.");
  const state = await pauseRecord(db, sub, now);
  const id = `pause_${(await idFor(user.id, idempotencyKey, `pause:${sub.id}:${state.period}`)).replace(/-/g, "")}`;
  if (state.pause?.id === id && state.pause.status !== "starting") return replayed(env, db, user.id, id);
  const w = pauseWindow(now, weeks);
  const row: PauseRow = {
    id,
    userId: user.id,
    subscriptionId: sub.id,
    periodStart: state.period,
    weeks,
    startsAt: iso(w.from),
    endsAt: iso(w.until),
    renewalBefore: sub.currentPeriodEnd,
    shiftMs: w.shiftMs,
    status: "starting",
    endedAt: null,
    createdAt: iso(now),
  };
  const running = state.pause && state.pause.status !== "ended" && Date.parse(state.pause.endsAt) > now;
  let claim: PauseRow | undefined = running ? undefined : (await db.insert(subscriptionPauses).values(row).onConflictDoNothing().returning().all())[0];
  if (!claim) {
    const held = await db.select().from(subscriptionPauses).where(and(eq(subscriptionPauses.subscriptionId, sub.id), eq(subscriptionPauses.periodStart, state.period))).get();
    // The same request again (its Idempotency-Key), or a claim whose request died half way: finish that pause.
    if (held && held.status === "starting" && (held.id === id || now - Date.parse(held.createdAt) > STALE_CLAIM_MS)) claim = held;
    else if (held?.id === id) return replayed(env, db, user.id, id);
    else throw alreadyPaused(state.pause);
  }
  const keptWeeks = await applyPause(env, db, sub, claim);
  return { ...(await answer(env, user.id)), keptWeeks };
}

/**
 * The answer to a retry (same Idempotency-Key) of a pause already made, when the middleware no longer holds the
 * first answer (its retention ended, or the first request stopped before it was stored, or the two ran at once): the
 * same shape as the first, the kept weeks read again from the wallet, where the pause left them booked.
 */
async function replayed(env: Env, db: Db, userId: string, pauseId: string) {
  const p = await db.select().from(subscriptionPauses).where(eq(subscriptionPauses.id, pauseId)).get();
  const w = p ? windowOf(p) : null;
  const keptWeeks = w ? keptWeeksOf(await heldIn(env, userId, w), w) : [];
  return { ...(await answer(env, userId)), keptWeeks };
}

function alreadyPaused(p: PauseView | null) {
  const until = p ? ` It runs until ${p.endsAt}.` : "";
  return new ApiError(409, "already_paused", `Your plan can be paused once per billing period, and it has been paused this period.${until}`);
}

async function applyPause(env: Env, db: Db, sub: Sub, p: PauseRow): Promise<KeptWeek[]> {
  const w = windowOf(p);
  const renewal = Date.parse(p.renewalBefore) + w.shiftMs;
  const m = mode(env);
  if ("stripe" in m) {
    // pause_collection marks the subscription paused (any invoice in the window is voided); trial_end moves the
    // next renewal to the exact instant, with no proration, so the paused weeks are not billed.
    await m.stripe.subscriptions.update(
      sub.id,
      { pause_collection: { behavior: "void", resumes_at: sec(w.until) }, trial_end: sec(renewal), proration_behavior: "none", metadata: { pauseId: p.id } },
      { idempotencyKey: `pause:${p.id}` },
    );
  }
  await db.update(subscriptions).set({ currentPeriodEnd: iso(renewal), updatedAt: iso(Date.now()) }).where(eq(subscriptions.id, sub.id));
  await accountOf(env, p.userId).moveExpiries({ studentId: p.userId, ref: p.id, from: w.from, byMs: w.shiftMs, now: Date.now() });
  const kept = await skipWeeks(env, db, p.userId, p.id, w);
  await db.update(subscriptionPauses).set({ status: "active" }).where(eq(subscriptionPauses.id, p.id));
  return kept;
}

/**
 * Where a pause's skipping starts: weeks starting at least the student-refund notice after it was asked are skipped
 * with a full refund; a nearer week stays booked, as a cancellation then would not be refunded either (the tutor
 * keeps a lesson they were about to give; the student can still cancel it under the usual policy).
 */
const skipsFrom = (w: PauseWindow) => w.from + POLICY.studentRefundHours * HOUR;

/**
 * The weekly lessons in the pause are skipped in each tutor's calendar. The tutors are found from the student's wallet,
 * the source of truth for their lessons (paid, or a weekly week claimed), whose tutor each reservation names; D1's
 * projection may not have a series' weeks yet (it runs after the answer, with retries), and is read only for weeks
 * booked before weeks claimed the student's time. Answers the weeks kept because they start too soon.
 */
async function skipWeeks(env: Env, db: Db, studentId: string, pauseId: string, w: PauseWindow): Promise<KeptWeek[]> {
  const from = skipsFrom(w);
  const held = await heldIn(env, studentId, w);
  const projected = await db
    .select({ tutorId: bookings.tutorId })
    .from(bookingParticipants)
    .innerJoin(bookings, eq(bookings.id, bookingParticipants.bookingId))
    .where(and(eq(bookingParticipants.studentId, studentId), inArray(bookings.status, ["confirmed"]), gte(bookings.startAt, iso(from)), lt(bookings.startAt, iso(w.until))))
    .all();
  // A weekly group seat is in a group session whose id names no series, so every tutor with a lesson in the pause is
  // asked (their calendar skips only weeks of series).
  const tutors = new Set([...held.filter((r) => r.start >= from), ...projected].map((r) => r.tutorId));
  for (const tutorId of tutors) await calendarOf(env, tutorId).skipPausedWeeks({ tutorId, studentId, pauseId, from, until: w.until, now: Date.now() });
  return keptWeeksOf(held, w);
}

/** The student's lessons in the pause, from their wallet. */
const heldIn = (env: Env, studentId: string, w: PauseWindow) => accountOf(env, studentId).heldBetween({ studentId, from: w.from, until: w.until });

/** Of the lessons held in a pause, the weekly ones it keeps: those starting before its skipping starts. */
function keptWeeksOf(held: Awaited<ReturnType<typeof heldIn>>, w: PauseWindow): KeptWeek[] {
  const from = skipsFrom(w);
  return held.flatMap((r) => {
    // A week's reservation id names its series (a 1:1 week's is its booking's id; a group seat's is its own).
    const seriesId = seriesOfBookingId(r.reservationId);
    return r.start < from && seriesId ? [{ id: r.sessionId, start: iso(r.start), seriesId, tutorId: r.tutorId }] : [];
  });
}

/**
 * Ends a running pause now: billing resumes, and the renewal and the moved expiries move back so that in all they
 * moved only by the time actually paused. Weeks already skipped stay skipped (their time was given back to the
 * tutor); the student books them again if they want. Of two concurrent resumes one applies; the other is refused.
 */
export async function resumePlan(env: Env, user: User) {
  const db = getDb(env);
  const sub = await requireSubscription(db, user.id, "You have no plan, so there is nothing to resume.");
  const now = Date.now();
  const { pause } = await pauseStateOf(db, sub, now);
  if (!pause || pause.status !== "active" || Date.parse(pause.endsAt) <= now) throw new ApiError(409, "not_paused", "Your plan is not paused.");
  const row = (await db.update(subscriptionPauses).set({ status: "ended", endedAt: iso(now) }).where(and(eq(subscriptionPauses.id, pause.id), eq(subscriptionPauses.status, "active"))).returning().all())[0];
  if (!row) throw new ApiError(409, "not_paused", "Your plan is not paused.");
  const w = windowOf(row);
  const { shiftMs, correctionMs } = resumeShift(w, now);
  const renewal = Date.parse(row.renewalBefore) + shiftMs;
  const m = mode(env);
  if ("stripe" in m) {
    await m.stripe.subscriptions.update(sub.id, { pause_collection: "", trial_end: sec(renewal), proration_behavior: "none" }, { idempotencyKey: `resume:${row.id}` });
  }
  await db.update(subscriptionPauses).set({ shiftMs }).where(eq(subscriptionPauses.id, row.id));
  await db.update(subscriptions).set({ currentPeriodEnd: iso(renewal), updatedAt: iso(Date.now()) }).where(eq(subscriptions.id, sub.id));
  await accountOf(env, user.id).moveExpiries({ studentId: user.id, ref: `${row.id}:resume`, from: w.from, byMs: correctionMs, sameLotsAs: row.id, now: Date.now() });
  return answer(env, user.id);
}

async function answer(env: Env, userId: string) {
  return { subscription: await subscriptionOf(env, userId) };
}
