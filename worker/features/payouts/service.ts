import { type SQL, and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { User } from "../../../domain/schemas/auth";
import { getDb, readInChunks } from "../../../platform/db/client";
import { bookingParticipants, bookings, earnings, payoutAccounts, payouts, users } from "../../../platform/db/schema";
import { isLocalPaymentMode, stripeFor } from "../../integrations/stripe/client";
import { ApiError } from "../../lib/errors";
import { log } from "../../../platform/log";
import { deliverConnect } from "./localConnect";

/** A tutor's Connect onboarding link; the account is created once (controller settings, Express dashboard). */
export async function onboardingLink(env: Env, tutor: User, origin: string): Promise<{ url: string }> {
  const db = getDb(env);
  const stripe = stripeFor(env);
  if (!stripe && !isLocalPaymentMode(env)) throw new ApiError(503, "payments_unavailable", "Payouts are not configured on this server.");
  let account = await db.select().from(payoutAccounts).where(eq(payoutAccounts.tutorId, tutor.id)).get();
  if (!account) {
    const stripeAccountId = stripe
      ? (
          await stripe.accounts.create(
            {
              email: tutor.email,
              controller: {
                fees: { payer: "application" },
                losses: { payments: "application" },
                stripe_dashboard: { type: "express" },
                requirement_collection: "stripe",
              },
              capabilities: { transfers: { requested: true } },
              metadata: { tutorId: tutor.id },
            },
            { idempotencyKey: `account:${tutor.id}` },
          )
        ).id
      : `acct_local_${tutor.id.replace(/-/g, "").slice(0, 16)}`;
    await db.insert(payoutAccounts).values({ tutorId: tutor.id, stripeAccountId, updatedAt: new Date().toISOString() }).onConflictDoNothing();
    account = (await db.select().from(payoutAccounts).where(eq(payoutAccounts.tutorId, tutor.id)).get())!;
  }
  if (!stripe) {
    // Local payment mode: onboarding "completes" at once, announced by a signed account.updated event.
    await deliverConnect(env, account.stripeAccountId);
    return { url: "/earnings?onboarded=local" };
  }
  const bucket = Math.floor(Date.now() / 60_000);
  const link = await stripe.accountLinks.create(
    { account: account.stripeAccountId, type: "account_onboarding", refresh_url: `${origin}/earnings?onboarding=refresh`, return_url: `${origin}/earnings?onboarding=done` },
    { idempotencyKey: `account-link:${tutor.id}:${bucket}` },
  );
  return { url: link.url };
}

/**
 * A tutor's Earnings page. The totals are SQL sums over every earning and payout (the same sums as the admin's
 * Payouts page), not over the lists, which show only the newest.
 */
export async function earningsOf(env: Env, tutorId: string) {
  const db = getDb(env);
  const cents = (condition: SQL) => sql<number>`coalesce(sum(CASE WHEN ${condition} THEN ${earnings.amountCents} END), 0)`.mapWith(Number);
  const [account, list, paid, totals, paidTotal] = await Promise.all([
    db.select().from(payoutAccounts).where(eq(payoutAccounts.tutorId, tutorId)).get(),
    // Each earning with its session's subject, joined in SQL (a busy tutor's list has more ids than D1 binds).
    db
      .select({ earning: earnings, subject: bookings.subject })
      .from(earnings)
      .leftJoin(bookings, eq(bookings.id, earnings.bookingId))
      .where(eq(earnings.tutorId, tutorId))
      .orderBy(desc(earnings.sessionEndAt))
      .limit(500)
      .all(),
    db.select().from(payouts).where(eq(payouts.tutorId, tutorId)).orderBy(desc(payouts.createdAt)).limit(100).all(),
    db
      .select({ unpaid: cents(sql`${earnings.payoutId} IS NULL AND ${earnings.status} = 'accrued'`), held: cents(sql`${earnings.status} = 'held'`) })
      .from(earnings)
      .where(eq(earnings.tutorId, tutorId))
      .get(),
    db
      .select({ cents: sql<number>`coalesce(sum(${payouts.amountCents}), 0)`.mapWith(Number) })
      .from(payouts)
      .where(and(eq(payouts.tutorId, tutorId), eq(payouts.status, "paid")))
      .get(),
  ]);
  // The students who were in each session, read in chunks of ids (D1 binds at most 100 values to a statement).
  const people = await readInChunks(
    list.map((r) => r.earning.bookingId),
    (ids) =>
      db
        .select({ bookingId: bookingParticipants.bookingId, name: users.name })
        .from(bookingParticipants)
        .innerJoin(users, eq(users.id, bookingParticipants.studentId))
        .where(and(inArray(bookingParticipants.bookingId, ids), eq(bookingParticipants.status, "confirmed")))
        .all(),
  );
  const namesOf = new Map<string, string[]>();
  for (const p of people) namesOf.set(p.bookingId, [...(namesOf.get(p.bookingId) ?? []), p.name]);
  return {
    account: account ? { id: account.stripeAccountId, detailsSubmitted: account.detailsSubmitted, payoutsEnabled: account.payoutsEnabled } : null,
    unpaidCents: totals?.unpaid ?? 0,
    /** Earnings held for an admin's review (tutor and student looked like one person): not paid until approved. */
    heldCents: totals?.held ?? 0,
    paidCents: paidTotal?.cents ?? 0,
    earnings: list.map(({ earning: e, subject }) => ({ ...e, subject, studentNames: namesOf.get(e.bookingId) ?? [] })),
    payouts: paid,
  };
}

export async function payoutsOverview(env: Env) {
  const db = getDb(env);
  const [recent, unpaid] = await Promise.all([
    db.select({ payout: payouts, tutorName: users.name }).from(payouts).leftJoin(users, eq(users.id, payouts.tutorId)).orderBy(desc(payouts.createdAt)).limit(200).all(),
    db
      .select({ tutorId: earnings.tutorId, tutorName: users.name, amountCents: sql<number>`sum(${earnings.amountCents})`, sessions: sql<number>`count(*)`, payoutsEnabled: payoutAccounts.payoutsEnabled })
      .from(earnings)
      .leftJoin(users, eq(users.id, earnings.tutorId))
      .leftJoin(payoutAccounts, eq(payoutAccounts.tutorId, earnings.tutorId))
      .where(and(isNull(earnings.payoutId), eq(earnings.status, "accrued")))
      .groupBy(earnings.tutorId)
      .all(),
  ]);
  return { payouts: recent.map((r) => ({ ...r.payout, tutorName: r.tutorName })), unpaid };
}

const STALE_PENDING_MS = 10 * 60_000;

/**
 * Pays every tutor's unpaid earnings as one Transfer each. The claim is a single D1 batch (insert the payout for
 * the sum of unclaimed earnings, then mark those earnings with it), so two overlapping runs can never claim the
 * same earning; the Transfer's idempotency key is the payout id, so a retry can never pay it twice.
 */
export async function runPayouts(env: Env, now = new Date()): Promise<{ paid: number; failed: number }> {
  const db = getDb(env);
  const stripe = stripeFor(env);
  if (!stripe && !isLocalPaymentMode(env)) return { paid: 0, failed: 0 };
  const ready = await db
    .selectDistinct({ tutorId: earnings.tutorId })
    .from(earnings)
    .innerJoin(payoutAccounts, and(eq(payoutAccounts.tutorId, earnings.tutorId), eq(payoutAccounts.payoutsEnabled, true)))
    .where(and(isNull(earnings.payoutId), eq(earnings.status, "accrued")))
    .all();
  for (const { tutorId } of ready) {
    const id = crypto.randomUUID();
    const at = now.toISOString();
    // One transaction: the payout takes the sum of what is unclaimed, then claims exactly those rows.
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO payouts (id, tutor_id, amount_cents, currency, status, attempts, created_at, updated_at)
         SELECT ?1, ?2, sum(amount_cents), 'usd', 'pending', 0, ?3, ?3 FROM earnings WHERE tutor_id = ?2 AND payout_id IS NULL AND status = 'accrued' HAVING count(*) > 0`,
      ).bind(id, tutorId, at),
      env.DB.prepare("UPDATE earnings SET payout_id = ?1 WHERE tutor_id = ?2 AND payout_id IS NULL AND status = 'accrued' AND EXISTS (SELECT 1 FROM payouts WHERE id = ?1)").bind(id, tutorId),
    ]);
  }
  // Transfer every payout that is claimed but not yet paid: new ones, failed ones, and pending ones a crashed
  // run left behind. Each attempt is claimed by bumping `attempts`, so concurrent runs never both try one.
  // Only to accounts that can receive payouts now: one Stripe has since restricted keeps its payout as it stands
  // (failed, or pending with its attempt's key) until `account.updated` enables it again.
  const due = await db
    .select({ payout: payouts, account: payoutAccounts.stripeAccountId })
    .from(payouts)
    .innerJoin(payoutAccounts, and(eq(payoutAccounts.tutorId, payouts.tutorId), eq(payoutAccounts.payoutsEnabled, true)))
    .where(sql`${payouts.status} = 'failed' OR (${payouts.status} = 'pending' AND (${payouts.attempts} = 0 OR ${payouts.updatedAt} < ${new Date(now.getTime() - STALE_PENDING_MS).toISOString()}))`)
    .all();
  let paid = 0;
  let failed = 0;
  for (const { payout, account } of due) {
    const claimed = await db
      .update(payouts)
      .set({ attempts: payout.attempts + 1, status: "pending", updatedAt: new Date().toISOString() })
      .where(and(eq(payouts.id, payout.id), eq(payouts.attempts, payout.attempts), sql`${payouts.status} != 'paid'`))
      .returning({ attempts: payouts.attempts });
    if (!claimed.length) continue;
    try {
      // A payout left pending by a run that stopped has an attempt whose outcome nobody saw: it may still be under way
      // at Stripe. Its key is used again, so Stripe answers that attempt (or refuses while it runs) instead of making a
      // second transfer; a payout that failed visibly gets a fresh key.
      const key = payout.status === "pending" && payout.attempts > 0 ? payout.attempts : claimed[0]!.attempts;
      const transferId = stripe ? await transferOnce(stripe, payout, account, claimed[0]!.attempts, key) : `tr_local_${payout.id.replace(/-/g, "").slice(0, 20)}`;
      await db.update(payouts).set({ status: "paid", transferId, error: null, updatedAt: new Date().toISOString() }).where(eq(payouts.id, payout.id));
      paid++;
    } catch (e) {
      failed++;
      log.error("payout transfer failed", { payoutId: payout.id, tutorId: payout.tutorId, error: String(e) });
      await db.update(payouts).set({ status: "failed", error: String((e as Error).message ?? e).slice(0, 500), updatedAt: new Date().toISOString() }).where(eq(payouts.id, payout.id));
    }
  }
  return { paid, failed };
}

/**
 * One Transfer for a payout. A retry first looks for a transfer already made for it (a lost response). After a
 * visible failure it uses a fresh idempotency key (`key`), because Stripe replays a saved error for a reused key;
 * after an attempt whose outcome was never seen, that attempt's key.
 */
async function transferOnce(stripe: NonNullable<ReturnType<typeof stripeFor>>, payout: typeof payouts.$inferSelect, account: string, attempt: number, key: number): Promise<string> {
  const group = `payout_${payout.id}`;
  if (attempt > 1) {
    const existing = await stripe.transfers.list({ transfer_group: group, limit: 1 });
    if (existing.data[0]) return existing.data[0].id;
  }
  const transfer = await stripe.transfers.create(
    { amount: payout.amountCents, currency: payout.currency, destination: account, transfer_group: group, metadata: { payoutId: payout.id, tutorId: payout.tutorId } },
    { idempotencyKey: `payout:${payout.id}:${key}` },
  );
  return transfer.id;
}
