import { newApp } from "../../app";
import { inboxOf } from "../../lib/stubs";
import { currentSessionId, currentUser, requireRole } from "../../middleware/auth";
import { assertSameOriginUpgrade } from "../../middleware/origin";

/** The signed-in user's live feed: their bookings, credits and notifications, over their UserInbox. */
export const liveRoutes = newApp().get("/live", requireRole(), async (c) => {
  assertSameOriginUpgrade(c);
  const forwarded = new Request(c.req.raw);
  forwarded.headers.set("X-Tutorly-Session", currentSessionId(c));
  return inboxOf(c.env, currentUser(c).id).fetch(forwarded);
});
