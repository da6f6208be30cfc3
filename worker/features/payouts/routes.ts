import { newApp } from "../../app";
import { currentUser, requireRole } from "../../middleware/auth";
import { earningsOf, onboardingLink, payoutsOverview, runPayouts } from "./service";

const originOf = (env: Env, url: string) => env.APP_URL ?? new URL(url).origin;

export const payoutRoutes = newApp()
  .post("/tutors/me/payouts/onboarding", requireRole("tutor"), async (c) => c.json(await onboardingLink(c.env, currentUser(c), originOf(c.env, c.req.url)), 200))
  .get("/tutors/me/earnings", requireRole("tutor"), async (c) => c.json(await earningsOf(c.env, currentUser(c).id), 200))
  .get("/admin/payouts", requireRole("admin"), async (c) => c.json(await payoutsOverview(c.env), 200))
  .post("/admin/payouts/run", requireRole("admin"), async (c) => c.json(await runPayouts(c.env), 200));
