import { z } from "zod";
import { POLICY } from "../../../domain/credits";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { users } from "../../../platform/db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { accountOf, inboxOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { eq } from "drizzle-orm";
import { balanceOf, creditStatement } from "../../../platform/credits/ledgerRepo";

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

async function creditsView(db: ReturnType<typeof getDb>, userId: string) {
  const balance = await balanceOf(db, userId, new Date());
  return {
    balanceMinutes: balance.balanceMinutes,
    grants: balance.lots.map((l) => ({ id: l.id, kind: l.kind, minutes: l.minutes, remainingMinutes: l.remainingMinutes, expiresAt: l.expiresAt })),
    policy: POLICY,
  };
}

export const creditRoutes = newApp()
  .get("/billing/credits", requireRole("student"), async (c) => c.json(await creditsView(getDb(c.env), currentUser(c).id), 200))
  .get("/admin/credits/:userId", requireRole("admin"), validate("param", z.object({ userId: z.string().min(1).max(64) })), async (c) =>
    c.json(await creditsView(getDb(c.env), c.req.valid("param").userId), 200),
  )
  .post("/admin/credits", requireRole("admin"), idempotency, validate("json", AdjustSchema), async (c) => {
    const input = c.req.valid("json");
    const admin = currentUser(c);
    const db = getDb(c.env);
    const target = await db.select({ role: users.role }).from(users).where(eq(users.id, input.userId)).get();
    if (target?.role !== "student") throw notFound("That student");
    const now = new Date();
    if (input.minutes > 0) {
      const expiresAt = new Date(now.getTime() + (input.expiresInDays ?? POLICY.adjustExpiryDays) * 86_400_000).toISOString();
      await creditStatement(db, { userId: input.userId, kind: "adjust", minutes: input.minutes, expiresAt, reason: input.reason, actorId: admin.id }, now);
    } else {
      const taken = await accountOf(c.env, input.userId).takeCredits({ studentId: input.userId, minutes: -input.minutes, reason: input.reason, actorId: admin.id, now: now.getTime() });
      if (!taken) throw new ApiError(409, "insufficient_credits", "The student does not have that many credits to take.");
    }
    const view = await creditsView(db, input.userId);
    await inboxOf(c.env, input.userId).push({ type: "credits.changed", balanceMinutes: view.balanceMinutes });
    return c.json(view, 201);
  });
