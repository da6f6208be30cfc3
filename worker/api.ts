import { Hono } from "hono";
import type { AppEnv } from "./app";
import { adminRoutes } from "./features/admin/routes";
import { authRoutes } from "./features/auth/routes";
import { tutorRoutes } from "./features/tutors/routes";
import { loadSession } from "./middleware/auth";
import { demoSeed } from "./middleware/demoSeed";
import { originCheck } from "./middleware/origin";

/** Everything under /api: one sub-app per feature. */
export const api = new Hono<AppEnv>()
  .use(originCheck, demoSeed, loadSession)
  .route("/", authRoutes)
  .route("/", tutorRoutes)
  .route("/", adminRoutes);

/** The typed route table the SPA's `hc` client is built from. */
export type AppType = typeof api;
