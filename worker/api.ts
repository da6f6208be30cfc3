import { Hono } from "hono";
import type { AppEnv } from "./app";
import { adminRoutes } from "./features/admin/routes";
import { authRoutes } from "./features/auth/routes";
import { tutorRoutes } from "./features/tutors/routes";
import { bookingRoutes } from "./features/bookings/routes";
import { calendarRoutes } from "./features/calendar/routes";
import { creditRoutes } from "./features/credits/routes";
import { liveRoutes } from "./features/live/routes";
import { billingRoutes } from "./features/billing/routes";
import { payoutRoutes } from "./features/payouts/routes";
import { videoRoutes } from "./features/video/routes";
import { devRoutes } from "./features/dev/routes";
import { loadSession } from "./middleware/auth";
import { demoSeed } from "./middleware/demoSeed";
import { originCheck } from "./middleware/origin";

/** Everything under /api: one sub-app per feature. */
export const api = new Hono<AppEnv>()
  .use(originCheck, demoSeed, loadSession)
  .route("/", authRoutes)
  .route("/", calendarRoutes)
  .route("/", tutorRoutes)
  .route("/", bookingRoutes)
  .route("/", creditRoutes)
  .route("/", liveRoutes)
  .route("/", billingRoutes)
  .route("/", payoutRoutes)
  .route("/", videoRoutes)
  .route("/", devRoutes)
  .route("/", adminRoutes);

/** The typed route table the SPA's `hc` client is built from. */
export type AppType = typeof api;
