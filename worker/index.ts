import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./app";
import { ApiError } from "./lib/errors";
import { onError } from "./lib/onError";
import { requestId } from "./middleware/requestId";
import { d1AnyReplica } from "./middleware/d1Session";
import { startupCheck, startupProblem } from "./middleware/startupCheck";
import { api } from "./api";
import { runScheduled } from "./jobs";
import { icalRoutes } from "./features/calendarSync/icalRoutes";
import { feedKey, rateLimit } from "./middleware/limits";

const headers = secureHeaders({
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  crossOriginResourcePolicy: "same-origin",
});

/** A 101 WebSocket response comes from a Durable Object with immutable headers: leave it as it is. */
const isUpgrade = (req: Request) => req.headers.get("Upgrade")?.toLowerCase() === "websocket";

const app = new Hono<AppEnv>()
  .use(requestId)
  .use((c, next) => (isUpgrade(c.req.raw) ? next() : headers(c, next)))
  .use(startupCheck)
  .route("/api", api)
  .use("/ical/*", rateLimit("FEED_LIMITER", feedKey))
  .use("/ical/*", d1AnyReplica)
  .route("/ical", icalRoutes);

app.notFound((c) => {
  throw new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}.`);
});
app.onError(onError);

export { app };

export { TutorCalendar } from "../durable-objects/TutorCalendar";
export { UserInbox } from "../durable-objects/UserInbox";
export { StudentAccount } from "../durable-objects/StudentAccount";
export { SessionRoom } from "../durable-objects/SessionRoom";
export { Conversation } from "../durable-objects/Conversation";

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    if (startupProblem(env)) return;
    ctx.waitUntil(runScheduled(env, controller.cron, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
