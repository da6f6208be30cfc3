import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app";
import { ApiError } from "./lib/errors";
import { onError } from "./lib/onError";
import { loadSession } from "./middleware/auth";
import { demoSeed } from "./middleware/demoSeed";
import { originCheck } from "./middleware/origin";
import { requestId } from "./middleware/requestId";
import { adminRoutes } from "./features/admin/routes";
import { authRoutes } from "./features/auth/routes";
import { tutorRoutes } from "./features/tutors/routes";

const api = new Hono<AppEnv>()
  .use(originCheck, demoSeed, loadSession)
  .route("/", authRoutes)
  .route("/", tutorRoutes)
  .route("/", adminRoutes);

const app = new Hono<AppEnv>()
  .use(requestId)
  .use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      crossOriginResourcePolicy: "same-origin",
    }),
  )
  .route("/api", api);

app.notFound((c) => {
  throw new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}.`);
});
app.onError(onError);

/** The typed route table the SPA's `hc` client is built from. */
export type AppType = typeof api;
export { app };

export { TutorCalendar } from "../durable-objects/TutorCalendar";
export { UserInbox } from "../durable-objects/UserInbox";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
