import { newApp } from "../../app";
import { currentUser, requireRole } from "../../middleware/auth";
import { earningsOf, onboardingLink, payoutsOverview, runPayouts } from "./service";
import { z } from "zod";
import { getDb } from "../../../platform/db/client";
import { validate } from "../../lib/validate";
import { heldEarnings, reviewEarning } from "./review";

const IdParam = z.object({ id: z.string().min(1).max(64) });

const originOf = (env: Env, url: string) => env.APP_URL ?? new URL(url).origin;

export const payoutRoutes = newApp()
  .post("/tutors/me/payouts/onboarding", requireRole("tutor"), async (c) => c.json(await onboardingLink(c.env, currentUser(c), originOf(c.env, c.req.url)), 200))
  .get("/tutors/me/earnings", requireRole("tutor"), async (c) => c.json(await earningsOf(c.env, currentUser(c).id), 200))
  .get("/admin/payouts", requireRole("admin"), async (c) => c.json(await payoutsOverview(c.env), 200))
  .post("/admin/payouts/run", requireRole("admin"), async (c) => c.json(await runPayouts(c.env), 200))
  .get("/admin/earnings/held", requireRole("admin"), async (c) => c.json({ earnings: await heldEarnings(getDb(c.env)) }, 200))
  /** An admin approves a held earning (it joins the next payout) or rejects it (never paid). */
  .post("/admin/earnings/:id/approve", requireRole("admin"), validate("param", IdParam), async (c) =>
    c.json({ earning: await reviewEarning(getDb(c.env), c.req.valid("param").id, "approve", currentUser(c).id) }, 200),
  )
  .post("/admin/earnings/:id/reject", requireRole("admin"), validate("param", IdParam), async (c) =>
    c.json({ earning: await reviewEarning(getDb(c.env), c.req.valid("param").id, "reject", currentUser(c).id) }, 200),
  );
