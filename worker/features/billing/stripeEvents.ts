import { and, eq, lte, sql } from "drizzle-orm";
import Stripe from "stripe";
import { ZodError } from "zod";
import { FREE_PLAN_ID, PACK_EXPIRY_DAYS, packById, proratedMinutes } from "../../../domain/billing";
import { POLICY } from "../../../domain/credits";
import { type WebhookNote, storedWebhookNote } from "../../../domain/schemas/webhookNotes";
import { type Db, getDb } from "../../../platform/db/client";
import { isUniqueViolation } from "../../../platform/db/errors";
import { creditDisputes, payoutAccounts, subscriptions, users, webhookEvents } from "../../../platform/db/schema";
import { serverText } from "../../../domain/i18n/server";
import { formatCredits } from "../../../domain/format/amounts";
import { itemForPrice } from "../../integrations/stripe/prices";
import { stripeFor } from "../../integrations/stripe/client";
import type { DisputeState } from "../../../durable-objects/student/purchases";
import type { HeldLesson } from "../../../durable-objects/StudentAccount";
import { causeReason } from "../../../domain/notifications/messages";
import {
  AccountSchema,
  ChargeSchema,
  CheckoutSessionSchema,
  DisputeSchema,
  ExternalAccountSchema,
  InvoiceSchema,
  type StripeEventEnvelope,
  SubscriptionSchema,
  invoiceSubscriptionId,
  lineIsProration,
  linePriceId,
  refId,
  subscriptionFacts,
} from "../../integrations/stripe/shapes";
import { ApiError } from "../../lib/errors";
import { accountOf, calendarOf } from "../../lib/stubs";
import { rememberCards, tutorOfAccount } from "../payouts/fingerprints";
import { type Notice, notify } from "../../../platform/notifications/service";
import { readStudentPlan } from "../../../platform/billing/subscriptions";
import { log } from "../../../platform/log";
import { holdAgain } from "./hold";
import { purchaseOf } from "./purchases";
import { completeCheckout, setCustomer, setStatusFromPayment, studentByCustomer, upsertSubscription } from "./repo";

type Statement = Parameters<Db["batch"]>[0][number];
/** `planOf`: a student whose plan this event may have changed (their wallet is told the plan once D1 holds it). */
type Outcome = { status: "processed" | "ignored"; detail?: WebhookNote; statements: Statement[]; planOf?: string };

const DAY = 86_400_000;
/** How the wallet names a dispute (its claims and freezes); the admin console's row is keyed by Stripe's id alone. */
const DISPUTE_PREFIX = "dispute:";
const iso = (seconds: number | null | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);
const ignored = (detail: WebhookNote): Outcome => ({ status: "ignored", detail, statements: [] });

/**
 * Applies one verified Stripe event exactly once. What it changes in a student's wallet is applied first, by the
 * wallet itself, which dedupes by the grant, refund or dispute id; then its D1 effect and its `webhook_events` row
 * go in one batch. A failure in between leaves the event not processed (recorded as failed, below): Stripe delivers
 * it again (local payment mode repeats it on the next attempt), the wallet answers "already applied", and the record
 * is written. So an effect and its "processed" mark never diverge, and nothing is applied twice. A duplicate delivery
 * finds the row: "duplicate".
 *
 * A delivery whose handling throws (Stripe's API down while a lost dispute is read, the wallet or D1 failing) is
 * recorded as "failed" with its payload and the error, then thrown again (the route answers 500, so Stripe delivers
 * it again): the admin console lists it and can replay it. A failed row is not done: the next delivery or a replay
 * runs the event and overwrites it.
 */
export async function applyStripeEvent(env: Env, event: StripeEventEnvelope, now = new Date(), opts: { replay?: boolean } = {}): Promise<"processed" | "ignored" | "duplicate"> {
  const db = getDb(env);
  const eventId = `stripe:${event.id}`;
  const stored = await db.select({ status: webhookEvents.status }).from(webhookEvents).where(eq(webhookEvents.id, eventId)).get();
  if (!opts.replay && stored && stored.status !== "failed") return "duplicate";
  try {
    return await applyOnce(env, db, event, now, { overwrite: opts.replay === true || stored?.status === "failed" });
  } catch (e) {
    const failure = e instanceof ZodError ? unreadable(event, e) : e;
    await recordFailure(db, event, now, failure);
    throw failure;
  }
}

/**
 * An event whose object does not read as its type says (a field missing or of another kind): no retry changes that,
 * so it is a 400 naming the fields, not a 500. It is kept as failed all the same, with its payload: once the code reads
 * that shape, a replay applies it.
 */
function unreadable(event: StripeEventEnvelope, e: ZodError): ApiError {
  const fields = [...new Set(e.issues.map((i) => i.path.join(".") || "(the object)"))].slice(0, 8).join(", ");
  return new ApiError(400, "invalid_event", `The ${event.type} event ${event.id} does not read as one: ${fields}. It is kept as failed; once that shape is read, it can be replayed.`);
}

/** The event's effect and its record (see applyStripeEvent); `overwrite` replaces a row already there (a replay, a failed one). */
async function applyOnce(env: Env, db: Db, event: StripeEventEnvelope, now: Date, opts: { overwrite: boolean }): Promise<"processed" | "ignored" | "duplicate"> {
  const eventId = `stripe:${event.id}`;
  const outcome = await effectOf(env, db, event, now);
  const values = {
    id: eventId,
    provider: "stripe" as const,
    type: event.type,
    createdAt: new Date(event.created * 1000).toISOString(),
    receivedAt: now.toISOString(),
    status: outcome.status,
    detail: outcome.detail ? storedWebhookNote(outcome.detail) : null,
    payload: JSON.stringify(event),
  };
  // A replay (an admin re-running a stored event) or a redelivery of a failed one updates the record; every effect
  // is idempotent on its own.
  const record = opts.overwrite
    ? db.insert(webhookEvents).values(values).onConflictDoUpdate({ target: webhookEvents.id, set: { status: values.status, detail: values.detail, receivedAt: values.receivedAt } })
    : db.insert(webhookEvents).values(values);
  try {
    await db.batch([record, ...outcome.statements]);
  } catch (e) {
    if (isUniqueViolation(e, "webhook_events.id")) return "duplicate";
    throw e;
  }
  if (outcome.planOf) await pushStudentPlan(env, outcome.planOf);
  return outcome.status;
}

/**
 * Keeps a delivery that failed as "failed", with its payload (what a replay runs) and the error; a row already
 * processed or ignored stays as it is (a replay that fails does not undo what was applied). Best effort: when D1 is
 * what failed, the error is only logged, and Stripe's redelivery is what remains.
 */
async function recordFailure(db: Db, event: StripeEventEnvelope, now: Date, error: unknown): Promise<void> {
  const detail = storedWebhookNote({ code: "failed", error: String(error).slice(0, 300) });
  try {
    await db
      .insert(webhookEvents)
      .values({ id: `stripe:${event.id}`, provider: "stripe", type: event.type, createdAt: new Date(event.created * 1000).toISOString(), receivedAt: now.toISOString(), status: "failed", detail, payload: JSON.stringify(event) })
      .onConflictDoUpdate({ target: webhookEvents.id, set: { detail, receivedAt: now.toISOString() }, setWhere: sql`${webhookEvents.status} = 'failed'` });
  } catch (e) {
    log.error("stripe event failed and could not be recorded", { eventId: event.id, type: event.type, error: String(e) });
  }
}

async function effectOf(env: Env, db: Db, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const object = event.data.object;
  switch (event.type) {
    case "checkout.session.completed":
    // A delayed payment method (a bank debit): the session completed unpaid, and this says the money arrived.
    case "checkout.session.async_payment_succeeded":
      return checkoutCompleted(env, db, CheckoutSessionSchema.parse(object), event, now);
    case "checkout.session.async_payment_failed":
      return checkoutPaymentFailed(env, db, CheckoutSessionSchema.parse(object));
    case "invoice.paid":
      return invoicePaid(env, db, InvoiceSchema.parse(object), event, now);
    case "invoice.payment_failed":
      return invoiceFailed(env, db, InvoiceSchema.parse(object), event, now);
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
      return subscriptionChanged(env, db, SubscriptionSchema.parse(object), event, now);
    case "charge.succeeded":
      return chargeSucceeded(db, ChargeSchema.parse(object), now);
    case "charge.refunded":
      return chargeRefunded(env, db, ChargeSchema.parse(object), now);
    case "charge.dispute.created":
    case "charge.dispute.updated":
    case "charge.dispute.closed":
      return disputeChanged(env, db, DisputeSchema.parse(object), event, now);
    case "account.updated":
      return accountUpdated(db, AccountSchema.parse(object), event, now);
    case "account.external_account.created":
    case "account.external_account.updated":
      return payoutCardAdded(db, ExternalAccountSchema.parse(object), event, now);
    default:
      return ignored({ code: "unhandled_type", type: event.type });
  }
}

/**
 * Tells the student's wallet their plan as D1 now holds it (it decides the free plan's monthly trial). Best effort: the
 * event is recorded already, and a wallet whose plan is a day old reads it again.
 */
async function pushStudentPlan(env: Env, userId: string) {
  try {
    await accountOf(env, userId).setPlan({ studentId: userId, ...(await readStudentPlan(getDb(env), userId)) });
  } catch (e) {
    log.warn("student plan not pushed", { userId, error: String(e) });
  }
}

async function userFor(db: Db, customer: string | null, metadataUser?: string | null) {
  return (await studentByCustomer(db, customer)) ?? metadataUser ?? undefined;
}

async function checkoutCompleted(env: Env, db: Db, s: ReturnType<typeof CheckoutSessionSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const userId = await userFor(db, refId(s.customer), s.metadata?.userId ?? s.client_reference_id);
  if (!userId) return ignored({ code: "no_student" });
  const statements: Statement[] = [completeCheckout(db, s.id)];
  const customer = refId(s.customer);
  if (customer) statements.push(setCustomer(db, userId, customer));
  if (s.mode === "payment") {
    if (s.payment_status !== "paid") return { status: "ignored", detail: { code: "payment_status", status: String(s.payment_status) }, statements };
    const item = s.metadata?.packId ? packById(s.metadata.packId) : undefined;
    if (!item) return { status: "ignored", detail: { code: "no_pack" }, statements };
    const purchaseRef = `pi:${refId(s.payment_intent) ?? s.id}`;
    const paidCents = s.amount_total != null ? s.amount_total - (s.total_details?.amount_tax ?? 0) : item.priceCents;
    const granted = await accountOf(env, userId).grant({
      studentId: userId,
      grantId: purchaseRef,
      kind: "grant",
      minutes: item.minutes,
      funding: "paid",
      paidCents,
      purchaseRef,
      expiresAt: new Date(now.getTime() + PACK_EXPIRY_DAYS * DAY).toISOString(),
      reason: `pack ${item.id}`,
      now: now.getTime(),
    });
    statements.push(...heldDisputesApplied(db, granted));
    return { status: "processed", detail: granted.ok && granted.duplicate ? { code: "already_granted" } : { code: "granted", minutes: item.minutes }, statements };
  }
  if (s.mode === "subscription") {
    const subId = refId(s.subscription);
    const planId = s.metadata?.planId;
    if (!subId || !planId || !customer) return { status: "ignored", detail: { code: "subscription_details_missing" }, statements };
    statements.push(upsertSubscription(db, { id: subId, userId, customerId: customer, planId, status: "active", lastEventAt: event.created }, now));
    return { status: "processed", statements, planOf: userId };
  }
  return { status: "ignored", detail: { code: "checkout_mode", mode: String(s.mode) }, statements };
}

/**
 * A pack's delayed payment (a bank debit) failed. Nothing was granted for the unpaid session, so nothing is undone,
 * but the student is told. Told before the event is recorded, like a wallet's effect: the notice is keyed by the
 * session, so Stripe's redeliveries (under any event id) and an admin's replay find it delivered and say nothing
 * again. A plan's failed first payment is told by its own `invoice.payment_failed`.
 */
async function checkoutPaymentFailed(env: Env, db: Db, s: ReturnType<typeof CheckoutSessionSchema.parse>): Promise<Outcome> {
  const failed: WebhookNote = { code: "payment_status", status: "failed" };
  if (s.mode !== "payment") return ignored(failed);
  const userId = await userFor(db, refId(s.customer), s.metadata?.userId ?? s.client_reference_id);
  if (!userId) return ignored({ code: "no_student" });
  const pack = s.metadata?.packId ? packById(s.metadata.packId) : undefined;
  if (!pack) return ignored({ code: "no_pack" });
  await tellStudent(env, db, userId, (t, locale) => ({
    kind: "pack_payment_failed",
    dedupeKey: `pack-payment-failed:${s.id}`,
    title: t("notice.packPaymentFailed.title"),
    body: t("notice.packPaymentFailed.body", { credits: formatCredits(pack.minutes, locale) }),
  }));
  return { status: "processed", detail: failed, statements: [] };
}

/** A billing notice to a student, in their language (inbox, push and email alike), pointing at their billing page. */
async function tellStudent(env: Env, db: Db, userId: string, words: (t: ReturnType<typeof serverText>, locale: string | undefined) => Pick<Notice, "kind" | "dedupeKey" | "title" | "body">) {
  const locale = (await db.select({ locale: users.locale }).from(users).where(eq(users.id, userId)).get())?.locale ?? undefined;
  await notify(env, { userId, ...words(serverText(locale), locale), link: "/billing" });
}

async function invoicePaid(env: Env, db: Db, inv: ReturnType<typeof InvoiceSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const subId = invoiceSubscriptionId(inv);
  if (!subId) return ignored({ code: "not_subscription_invoice" });
  const userId = await userFor(db, refId(inv.customer));
  if (!userId) return ignored({ code: "no_student" });
  const sub = await db.select().from(subscriptions).where(eq(subscriptions.id, subId)).get();
  // A renewal Stripe charged although the student's suspension holds the plan: paused again, so the next is not.
  await holdAgain(env, db, sub, inv.id);
  // A paid invoice brings a past-due plan back, unless a newer event already said otherwise.
  const recovered = setStatusFromPayment(db, subId, "active", event.created, now);
  const lines = inv.lines.data;
  const prorations = lines.filter(lineIsProration);
  // A mid-cycle change bills proration lines (for the rest of the old period); a renewal may carry them too, beside
  // the new month's plan line. Each part grants its own minutes: one lot for the invoice.
  const months = lines
    .filter((l) => !lineIsProration(l))
    .map((l) => itemForPrice(env, linePriceId(l)))
    .flatMap((x) => (x?.kind === "plan" ? [x.plan] : []));
  if (!prorations.length && !months.length) return { status: "ignored", detail: { code: "no_plan_price" }, statements: [recovered], planOf: userId };
  const prorated = prorations.length ? proratedMinutesOf(env, prorations, sub) : 0;
  const minutes = prorated + months.reduce((sum, p) => sum + p.monthlyMinutes, 0);
  const reason = [...months.map((p) => `${p.name} (${inv.billing_reason ?? "invoice"})`), ...(prorated > 0 ? ["upgrade (prorated)"] : [])].join(" + ");
  if (minutes <= 0) return { status: "ignored", detail: { code: "nothing_to_grant" }, statements: [recovered], planOf: userId };
  const purchaseRef = `invoice:${inv.id}`;
  const lineTotal = Math.max(0, lines.reduce((sum, l) => sum + l.amount, 0));
  const paidCents = Math.min(inv.amount_paid ?? lineTotal, inv.total_excluding_tax ?? Number.MAX_SAFE_INTEGER);
  const granted = await accountOf(env, userId).grant({
    studentId: userId,
    grantId: purchaseRef,
    kind: "grant",
    minutes,
    funding: "paid",
    paidCents,
    purchaseRef,
    expiresAt: new Date(now.getTime() + POLICY.grantExpiryDays * DAY).toISOString(),
    reason,
    now: now.getTime(),
  });
  return {
    status: "processed",
    detail: granted.ok && granted.duplicate ? { code: "already_granted_minutes", minutes: granted.minutes } : { code: "granted", minutes },
    statements: [recovered, ...heldDisputesApplied(db, granted)],
    planOf: userId,
  };
}

/**
 * The minutes of an invoice's proration lines, prorated over the billing period they belong to: the subscription's
 * current period when it ends where they do, else the 30 days before their end (a renewal's own month, billed on the
 * same invoice, is not their period).
 */
function proratedMinutesOf(env: Env, prorations: ReturnType<typeof InvoiceSchema.parse>["lines"]["data"], sub: { currentPeriodStart: string | null; currentPeriodEnd: string | null } | undefined) {
  const periodEnd = Math.max(...prorations.map((l) => l.period.end)) * 1000;
  const periodStart = sub?.currentPeriodStart && sub.currentPeriodEnd && Date.parse(sub.currentPeriodEnd) === periodEnd ? Date.parse(sub.currentPeriodStart) : periodEnd - 30 * DAY;
  const lines = prorations.flatMap((l) => {
    const item = itemForPrice(env, linePriceId(l));
    return item?.kind === "plan" ? [{ monthlyMinutes: item.plan.monthlyMinutes, amountCents: l.amount, periodStart: l.period.start * 1000, periodEnd: l.period.end * 1000 }] : [];
  });
  return proratedMinutes(lines, periodStart, periodEnd);
}

/**
 * Disputes Stripe delivered before the purchase's grant were recorded for the admin console with nothing on hold;
 * the grant applied them in the wallet, so their rows now say what it froze and took, against the purchase's name.
 */
function heldDisputesApplied(db: Db, granted: { ok: boolean; disputes?: DisputeState[] }): Statement[] {
  return (granted.ok ? (granted.disputes ?? []) : []).map((d) =>
    db
      .update(creditDisputes)
      .set({ purchaseRef: d.purchaseRef, frozenMinutes: d.frozenMinutes, clawedBackMinutes: d.clawedBackMinutes })
      .where(eq(creditDisputes.id, d.ref.slice(DISPUTE_PREFIX.length))),
  );
}

async function invoiceFailed(env: Env, db: Db, inv: ReturnType<typeof InvoiceSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const subId = invoiceSubscriptionId(inv);
  const userId = await userFor(db, refId(inv.customer));
  if (!subId || !userId) return ignored({ code: "unknown_subscription" });
  // An older failure (say, delivered after the retry that paid) must not mark a paid plan past due, nor tell
  // the student their payment failed. The guard is repeated in SQL for concurrent deliveries.
  const sub = await db.select({ statusEventAt: subscriptions.statusEventAt }).from(subscriptions).where(eq(subscriptions.id, subId)).get();
  if (sub && sub.statusEventAt > event.created) return ignored({ code: "stale_status" });
  // Told before the event is recorded (keyed by the invoice, so a redelivery or replay says nothing again): told
  // after, a passing failure would leave the event recorded as handled and the student never told.
  await tellStudent(env, db, userId, (t) => ({
    kind: "payment_failed",
    dedupeKey: `payment-failed:${inv.id}`,
    title: t("notice.paymentFailed.title"),
    body: t("notice.paymentFailed.body"),
  }));
  return { status: "processed", statements: [setStatusFromPayment(db, subId, "past_due", event.created, now)], planOf: userId };
}

async function subscriptionChanged(env: Env, db: Db, sub: ReturnType<typeof SubscriptionSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const customer = refId(sub.customer);
  const userId = await userFor(db, customer, sub.metadata?.userId);
  if (!userId || !customer) return ignored({ code: "no_student" });
  const facts = subscriptionFacts(sub);
  const item = itemForPrice(env, facts.priceId);
  const deleted = event.type === "customer.subscription.deleted" || sub.status === "canceled";
  const planId = deleted ? FREE_PLAN_ID : item?.kind === "plan" ? item.plan.id : undefined;
  if (!planId) return ignored({ code: "unknown_price" });
  const existing = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)).get();
  const pendingPlanId = existing?.pendingPlanId && existing.pendingPlanId !== planId && !deleted ? existing.pendingPlanId : null;
  return {
    status: "processed",
    statements: [
      upsertSubscription(
        db,
        {
          id: sub.id,
          userId,
          customerId: customer,
          planId,
          status: deleted ? "canceled" : sub.status,
          itemId: facts.itemId,
          currentPeriodStart: iso(facts.periodStart),
          currentPeriodEnd: iso(facts.periodEnd),
          cancelAtPeriodEnd: !!sub.cancel_at_period_end,
          scheduleId: refId(sub.schedule),
          pendingPlanId,
          lastEventAt: event.created,
        },
        now,
      ),
    ],
    planOf: userId,
  };
}

async function chargeRefunded(env: Env, db: Db, charge: ReturnType<typeof ChargeSchema.parse>, now: Date): Promise<Outcome> {
  if (charge.amount <= 0) return ignored({ code: "nothing_charged" });
  const purchase = await purchaseOf(env, db, { paymentIntent: refId(charge.payment_intent), invoice: refId(charge.invoice), charge: charge.id, customer: refId(charge.customer) });
  if (!purchase) return ignored({ code: "no_purchase_for_charge" });
  // Take back the refunded share of the credit that payment bought, as far as it is unspent (and later, as it returns).
  const taken = await accountOf(env, purchase.userId).refundPurchase({
    studentId: purchase.userId,
    ref: `charge:${charge.id}`,
    purchaseRefs: purchase.refs,
    refundedCents: charge.amount_refunded,
    amountCents: charge.amount,
    now: now.getTime(),
  });
  // The payment's grant has not arrived (Stripe delivers out of order): the wallet holds the refund for it.
  if (taken.held) return { status: "processed", detail: { code: "held_for_grant", purchase: taken.waitingFor.join(" ") }, statements: [] };
  return { status: "processed", detail: { code: "took_back", taken: taken.takenMinutes, target: taken.targetMinutes, purchase: taken.purchaseRef }, statements: [] };
}

/**
 * A chargeback: while it is open the disputed purchase's credit is frozen; when it closes, won releases it and lost
 * takes back what is unspent. The admin console's projection (`credit_disputes`) only moves forward in event time.
 */
async function disputeChanged(env: Env, db: Db, d: ReturnType<typeof DisputeSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const purchase = await purchaseOf(env, db, { paymentIntent: refId(d.payment_intent), invoice: null, charge: refId(d.charge) });
  if (!purchase) return ignored({ code: "no_purchase_for_dispute" });
  const account = accountOf(env, purchase.userId);
  const ref = `${DISPUTE_PREFIX}${d.id}`;
  const base = { studentId: purchase.userId, ref, now: now.getTime() };
  // Opening first is a no-op for a known dispute, and lets a "closed" that overtook its "created" close something.
  // A dispute of a purchase whose grant has not arrived is held by the wallet for it.
  let opened = await account.openDispute({ ...base, purchaseRefs: purchase.refs });
  if (!opened.ok) return ignored({ code: "no_purchase_for_dispute" });
  const lost = event.type === "charge.dispute.closed" && d.status === "lost";
  const won = event.type === "charge.dispute.closed" && !lost;
  // The lessons still to come that the disputed credit pays for are cancelled (by Tutorly, as an admin would: no
  // penalty for the tutor, both told why); their credit comes back to the frozen lots, and the wallet's state is read
  // again. Not when the dispute is already won (a close that overtook its opening): the lessons stay booked.
  if (!won && opened.lessons?.length) {
    await cancelDisputedLessons(env, purchase.userId, opened.lessons, now.getTime());
    opened = await account.openDispute({ ...base, purchaseRefs: purchase.refs });
    if (!opened.ok) return ignored({ code: "no_purchase_for_dispute" });
  }
  // A lost dispute takes back the disputed share of the payment, as a refund of that amount would.
  const share = lost ? { disputedCents: d.amount, amountCents: await chargedCents(env, refId(d.charge)) } : {};
  const closed = event.type === "charge.dispute.closed" ? await account.closeDispute({ ...base, outcome: lost ? "lost" : "won", ...share }) : null;
  const state = closed?.ok ? closed.dispute : opened.dispute;
  // Held for the purchase's grant: nothing is frozen or taken yet, and the note says what it waits for.
  const held = closed?.ok ? closed.held : opened.held;
  const row = {
    id: d.id,
    userId: purchase.userId,
    chargeId: refId(d.charge),
    purchaseRef: state.purchaseRef,
    amountCents: d.amount,
    currency: d.currency ?? "usd",
    reason: d.reason ?? null,
    status: d.status,
    frozenMinutes: state.frozenMinutes,
    clawedBackMinutes: state.clawedBackMinutes,
    openedAt: new Date(event.created * 1000).toISOString(),
    closedAt: closed ? now.toISOString() : null,
    lastEventAt: event.created,
  };
  const { id: _, openedAt: __, ...changes } = row;
  return {
    status: "processed",
    detail: held
      ? { code: "dispute_held_for_grant", status: d.status, purchase: purchase.refs.join(" ") }
      : { code: "dispute", status: d.status, frozen: state.frozenMinutes, takenBack: state.clawedBackMinutes },
    statements: [
      db
        .insert(creditDisputes)
        .values(row)
        .onConflictDoUpdate({
          target: creditDisputes.id,
          set: { ...changes, openedAt: sql`min(${creditDisputes.openedAt}, excluded.opened_at)`, closedAt: sql`coalesce(${creditDisputes.closedAt}, excluded.closed_at)` },
          setWhere: sql`${creditDisputes.lastEventAt} <= ${event.created}`,
        }),
    ],
  };
}

/**
 * Cancels lessons paid with disputed credit in their tutors' calendars, on the student's behalf as an admin would
 * (a group keeps going without their seat), the cause kept as the reason. A lesson that cannot be cancelled (it
 * started meanwhile) is logged and left: it is taught, and the platform bears it. One that fails to answer throws:
 * the event is redelivered, and the wallet then names only what is still to cancel.
 */
async function cancelDisputedLessons(env: Env, studentId: string, lessons: readonly HeldLesson[], now: number) {
  for (const l of lessons) {
    const outcome = await calendarOf(env, l.tutorId).cancelForStudent({
      tutorId: l.tutorId,
      sessionId: l.sessionId,
      studentId,
      actor: { id: "system", role: "admin" },
      reason: causeReason("payment_disputed"),
      now,
    });
    if (!outcome.ok) log.warn("a lesson paid with disputed credit could not be cancelled", { bookingId: l.sessionId, studentId, code: outcome.code });
  }
}

/**
 * What the disputed charge was for (a dispute says only the disputed amount), asked of Stripe; null when Stripe does
 * not know it (the wallet then uses what the purchase was paid). Other failures throw: Stripe delivers again.
 */
async function chargedCents(env: Env, charge: string | null): Promise<number | null> {
  const stripe = stripeFor(env);
  if (!stripe || !charge) return null;
  try {
    const amount = (await stripe.charges.retrieve(charge)).amount;
    return amount > 0 ? amount : null;
  } catch (e) {
    if (e instanceof Stripe.errors.StripeInvalidRequestError && e.code === "resource_missing") return null;
    throw e;
  }
}

/** A student paid with a card: its fingerprint is remembered (same card as a tutor's: their sessions are reviewed). */
async function chargeSucceeded(db: Db, charge: ReturnType<typeof ChargeSchema.parse>, now: Date): Promise<Outcome> {
  const userId = await studentByCustomer(db, refId(charge.customer));
  if (!userId) return ignored({ code: "no_student" });
  const statements = rememberCards(db, userId, [charge.payment_method_details?.card?.fingerprint], now);
  return statements.length ? { status: "processed", statements } : ignored({ code: "no_card_fingerprint" });
}

/** A tutor added a payout destination; a debit card's fingerprint is remembered like a student's paying card. */
async function payoutCardAdded(db: Db, external: ReturnType<typeof ExternalAccountSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const tutorId = await tutorOfAccount(db, event.account ?? external.account ?? "");
  if (!tutorId) return ignored({ code: "unknown_account" });
  const statements = external.object === "card" ? rememberCards(db, tutorId, [external.fingerprint], now) : [];
  return statements.length ? { status: "processed", statements } : ignored({ code: "not_a_card" });
}

async function accountUpdated(db: Db, acct: ReturnType<typeof AccountSchema.parse>, event: StripeEventEnvelope, now: Date): Promise<Outcome> {
  const id = event.account ?? acct.id;
  const known = await db.select().from(payoutAccounts).where(eq(payoutAccounts.stripeAccountId, id)).get();
  if (!known) return ignored({ code: "unknown_account" });
  if (known.lastEventAt > event.created) return ignored({ code: "stale_event" });
  const cards = (acct.external_accounts?.data ?? []).filter((x) => x.object === "card").map((x) => x.fingerprint);
  // The guard is repeated in SQL so two concurrent deliveries cannot apply out of order.
  return {
    status: "processed",
    statements: [
      ...rememberCards(db, known.tutorId, cards, now),
      db
        .update(payoutAccounts)
        .set({
          detailsSubmitted: !!acct.details_submitted,
          chargesEnabled: !!acct.charges_enabled,
          payoutsEnabled: !!acct.payouts_enabled,
          lastEventAt: event.created,
          updatedAt: now.toISOString(),
        })
        .where(and(eq(payoutAccounts.stripeAccountId, id), lte(payoutAccounts.lastEventAt, event.created))),
    ],
  };
}
