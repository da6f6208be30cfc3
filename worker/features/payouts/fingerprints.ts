import { eq } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { cardFingerprints, payoutAccounts } from "../../../platform/db/schema";

type Statement = Parameters<Db["batch"]>[0][number];

/**
 * Remembers the cards a user pays with (a student's charges) or is paid to (a tutor's payout debit card), by
 * Stripe's card fingerprint: the same card on both sides of a session holds its earning for review
 * (domain/billing/selfDealing.ts). Idempotent; part of the webhook's D1 batch.
 */
export function rememberCards(db: Db, userId: string, fingerprints: (string | null | undefined)[], now: Date): Statement[] {
  return [...new Set(fingerprints.filter((f): f is string => !!f))].map((fingerprint) =>
    db.insert(cardFingerprints).values({ userId, fingerprint, seenAt: now.toISOString() }).onConflictDoNothing(),
  );
}

/** The tutor behind a connected account, if it is one of ours. */
export const tutorOfAccount = async (db: Db, stripeAccountId: string) =>
  (await db.select({ tutorId: payoutAccounts.tutorId }).from(payoutAccounts).where(eq(payoutAccounts.stripeAccountId, stripeAccountId)).get())?.tutorId;
