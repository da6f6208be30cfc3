import { desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { POLICY } from "../../../domain/credits";
import { getDb } from "../../../platform/db/client";
import { creditDisputes, creditLedger, users } from "../../../platform/db/schema";
import { importWallets } from "../../jobs/importWallets";
import { HistoryQuery, creditHistory } from "./history";
import { newApp } from "../../app";
import { ApiError, notFound } from "../../lib/errors";
import { accountOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";

const AdjustSchema = z.object({
  userId: z.string().min(1).max(64),
  minutes: z
    .number()
    .int()
    .min(-100_000)
    .max(100_000)
    .refine((m) => m !== 0, { message: "Adjust by a non-zero number of minutes" }),
  reason: z.string().trim().min(3, { message: "Say why (it goes in the ledger)" }).max(500),
  expiresInDays: z.number().int().min(1).max(730).optional(),
});

/**
 * A student's credits, asked of their wallet (the StudentAccount object, the source of truth): the balance, every
 * lot with credit left (spendable or frozen by a dispute), which are promotional, and the policy numbers.
 */
async function creditsView(env: Env, userId: string) {
  const w = await accountOf(env, userId).credits({ studentId: userId, now: Date.now() });
  const lot = (l: (typeof w.lots)[number]) => ({
    id: l.id,
    kind: l.kind,
    funding: l.funding,
    minutes: l.minutes,
    remainingMinutes: l.remainingMinutes,
    expiresAt: l.expiresAt,
    frozen: l.frozen,
  });
  return {
    balanceMinutes: w.balanceMinutes,
    promoMinutes: w.promoMinutes,
    frozenMinutes: w.frozenMinutes,
    grants: [...w.lots, ...w.frozen].map(lot),
    /** The free plan's trial lesson this month (UTC): whether it is still there to book. */
    freeTrial: w.freeTrial,
    policy: POLICY,
  };
}

/**
 * What a dispute has taken back so far: its clawbacks in the ledger projection. A lost dispute goes on taking credit
 * that returns to the purchase later (a booking paid with it is cancelled), after its last Stripe event; the figure
 * recorded with that event is the floor while the projection catches up.
 */
const clawedBack = sql<number>`max(${creditDisputes.clawedBackMinutes}, coalesce((
  SELECT sum(${creditLedger.minutes}) FROM ${creditLedger}
  WHERE ${creditLedger.userId} = ${creditDisputes.userId} AND ${creditLedger.kind} = 'clawback' AND ${creditLedger.reservationId} = 'dispute:' || ${creditDisputes.id}), 0))`.mapWith(Number);

async function requireStudent(env: Env, userId: string) {
  const target = await getDb(env).select({ role: users.role, status: users.status }).from(users).where(eq(users.id, userId)).get();
  if (target?.role !== "student" || target.status === "deleted") throw notFound("That student");
}

export const creditRoutes = newApp()
  .get("/billing/credits", requireRole("student"), async (c) => c.json(await creditsView(c.env, currentUser(c).id), 200))
  /** The student's own credit history, newest first, by cursor (`next` of the page before). */
  .get("/billing/credits/history", requireRole("student"), validate("query", HistoryQuery), async (c) =>
    c.json(await creditHistory(c.env, currentUser(c).id, c.req.valid("query")), 200),
  )
  .get("/admin/credits/:userId", requireRole("admin"), validate("param", z.object({ userId: z.string().min(1).max(64) })), async (c) => {
    const { userId } = c.req.valid("param");
    await requireStudent(c.env, userId);
    return c.json(await creditsView(c.env, userId), 200);
  })
  /**
   * An admin's adjustment: a positive one is a promotional gift (the platform's cost, held to the promotional cap),
   * a negative one takes credit back. With an Idempotency-Key, the wallet applies it once (by an id made from the
   * key), so retries past the key cache, or arriving together before it is written, change nothing more.
   */
  .post("/admin/credits", requireRole("admin"), idempotency, validate("json", AdjustSchema), async (c) => {
    const input = c.req.valid("json");
    const admin = currentUser(c);
    await requireStudent(c.env, input.userId);
    const account = accountOf(c.env, input.userId);
    const now = Date.now();
    const key = c.req.header("Idempotency-Key");
    const opId = key ? `admin:${admin.id}:${key}` : undefined;
    if (input.minutes > 0) {
      const granted = await account.grant({
        studentId: input.userId,
        grantId: opId ?? `admin:${crypto.randomUUID()}`,
        kind: "adjust",
        minutes: input.minutes,
        funding: "promo",
        paidCents: 0,
        purchaseRef: null,
        expiresAt: new Date(now + (input.expiresInDays ?? POLICY.adjustExpiryDays) * 86_400_000).toISOString(),
        reason: input.reason,
        actorId: admin.id,
        overPromoCap: "refuse",
        now,
      });
      if (!granted.ok) {
        throw new ApiError(
          409,
          "promo_cap",
          `A student can hold at most ${POLICY.promoCapMinutes} promotional minutes at once; this one can receive ${granted.roomMinutes} more now.`,
        );
      }
    } else {
      const taken = await account.takeCredits({ studentId: input.userId, takeId: opId, minutes: -input.minutes, reason: input.reason, actorId: admin.id, now });
      if (!taken) throw new ApiError(409, "insufficient_credits", "The student does not have that many credits to take.");
    }
    return c.json(await creditsView(c.env, input.userId), 201);
  })
  /** Chargebacks of credit purchases, newest first (from the D1 projection the Stripe webhook keeps). */
  .get("/admin/disputes", requireRole("admin"), validate("query", z.object({ status: z.enum(["open", "closed", "all"]).default("all") })), async (c) => {
    const { status } = c.req.valid("query");
    const disputes = await getDb(c.env)
      .select({
        id: creditDisputes.id,
        userId: creditDisputes.userId,
        studentName: users.name,
        studentEmail: users.email,
        chargeId: creditDisputes.chargeId,
        purchaseRef: creditDisputes.purchaseRef,
        amountCents: creditDisputes.amountCents,
        currency: creditDisputes.currency,
        reason: creditDisputes.reason,
        status: creditDisputes.status,
        frozenMinutes: creditDisputes.frozenMinutes,
        clawedBackMinutes: clawedBack,
        openedAt: creditDisputes.openedAt,
        closedAt: creditDisputes.closedAt,
      })
      .from(creditDisputes)
      .leftJoin(users, eq(users.id, creditDisputes.userId))
      .where(status === "open" ? isNull(creditDisputes.closedAt) : status === "closed" ? isNotNull(creditDisputes.closedAt) : undefined)
      .orderBy(desc(creditDisputes.openedAt))
      .limit(200)
      .all();
    return c.json({ disputes }, 200);
  })
  /**
   * Runs a page of the wallet migration (D1 ledgers into the students' objects) from `after`; call again with the
   * answer's `next` until `remaining` is false.
   */
  .post("/admin/wallets/import", requireRole("admin"), validate("query", z.object({ after: z.string().max(64).default("") })), async (c) =>
    c.json(await importWallets(c.env, new Date(), 1, c.req.valid("query").after), 200),
  );
