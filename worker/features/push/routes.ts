import { and, count, desc, eq, notInArray } from "drizzle-orm";
import { NotificationSettingsPatchSchema, applyPatch } from "../../../domain/notifications/settings";
import { PushSubscriptionSchema, UnsubscribeSchema } from "../../../domain/notifications/push";
import { getDb } from "../../../platform/db/client";
import { pushSubscriptions } from "../../../platform/db/schema";
import { loadSettings, saveSettings } from "../../../platform/notifications/settings";
import { pushEndpointAllowed } from "../../../platform/push/send";
import { vapidKeys } from "../../../platform/push/vapid";
import { newApp } from "../../app";
import { ApiError } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentSessionId, currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { saveSubscription } from "./repo";

/** Devices a user may have subscribed at once; the oldest subscription makes way for a new one. */
const MAX_DEVICES = 10;

/** Web Push subscriptions of the caller's browsers, and which notices they want by push and by email. */
export const pushRoutes = newApp()
  .get("/me/notification-settings", requireRole(), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const [settings, devices] = await Promise.all([loadSettings(db, me.id), db.select({ n: count() }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, me.id)).get()]);
    return c.json({ settings, push: { publicKey: vapidKeys(c.env)?.publicKey ?? null, devices: devices?.n ?? 0 } }, 200);
  })
  .put("/me/notification-settings", requireRole(), validate("json", NotificationSettingsPatchSchema), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const settings = applyPatch(await loadSettings(db, me.id), c.req.valid("json"));
    await saveSettings(db, me.id, settings);
    return c.json({ settings }, 200);
  })
  /** Saves this browser's subscription for the caller's session (a browser that changes hands moves to its new user). */
  .put("/me/push-subscription", requireRole(), validate("json", PushSubscriptionSchema), async (c) => {
    const me = currentUser(c);
    const { endpoint, keys } = c.req.valid("json");
    if (!vapidKeys(c.env)) throw new ApiError(409, "push_unavailable", "Push notifications are not set up on this server.");
    if (!pushEndpointAllowed(c.env, endpoint)) {
      throw new ApiError(400, "unsupported_push_service", "This browser's push service is not supported.", [{ path: "endpoint", message: "Not a known push service" }]);
    }
    const db = getDb(c.env);
    const saved = await saveSubscription(db, { endpoint, userId: me.id, sessionId: currentSessionId(c), p256dh: keys.p256dh, auth: keys.auth, now: new Date().toISOString() });
    if (!saved) throw unauthenticated();
    const keep = await db.select({ endpoint: pushSubscriptions.endpoint }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, me.id)).orderBy(desc(pushSubscriptions.createdAt)).limit(MAX_DEVICES).all();
    await db.delete(pushSubscriptions).where(and(eq(pushSubscriptions.userId, me.id), notInArray(pushSubscriptions.endpoint, keep.map((k) => k.endpoint))));
    return c.json({ subscription: saved }, 200);
  })
  /** Forgets one browser's subscription (`{endpoint}`), or all of the caller's without a body. */
  .delete("/me/push-subscription", requireRole(), validate("json", UnsubscribeSchema), async (c) => {
    const me = currentUser(c);
    const { endpoint } = c.req.valid("json");
    await getDb(c.env)
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.userId, me.id), endpoint ? eq(pushSubscriptions.endpoint, endpoint) : undefined));
    return c.body(null, 204);
  });
