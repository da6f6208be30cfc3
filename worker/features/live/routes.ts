import { newApp } from "../../app";
import { inboxOf } from "../../lib/stubs";
import { currentSessionId, currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { sessionIsLive } from "../auth/session";
import { assertSameOriginUpgrade } from "../../middleware/origin";

/** The signed-in user's live feed: their bookings, credits and notifications, over their UserInbox. */
export const liveRoutes = newApp().get("/live", requireRole(), async (c) => {
  assertSameOriginUpgrade(c);
  // A socket outlives the credential's 60 s: it opens only for a session the store still has.
  if (!(await sessionIsLive(c))) throw unauthenticated();
  const user = currentUser(c);
  const forwarded = new Request(c.req.raw);
  forwarded.headers.set("X-Tutorly-Session", currentSessionId(c));
  // Whose object keeps whether this user has a tab open (an admin's events are always pushed).
  forwarded.headers.set("X-Tutorly-User", user.id);
  if (user.role === "student" || user.role === "tutor") forwarded.headers.set("X-Tutorly-Home", user.role);
  else forwarded.headers.delete("X-Tutorly-Home");
  return inboxOf(c.env, user.id).fetch(forwarded);
});
