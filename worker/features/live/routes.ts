import { newApp } from "../../app";
import { inboxOf } from "../../lib/stubs";
import { currentUser, requireRole } from "../../middleware/auth";
import { assertSameOriginUpgrade } from "../../middleware/origin";

/** The signed-in user's live feed: their bookings, credits and notifications, over their UserInbox. */
export const liveRoutes = newApp().get("/live", requireRole(), async (c) => {
  assertSameOriginUpgrade(c);
  return inboxOf(c.env, currentUser(c).id).fetch(c.req.raw);
});
