import type { NotificationSettingsPatch } from "../../../../domain/notifications/settings";
import { PushSubscriptionSchema } from "../../../../domain/notifications/push";
import { api, call } from "../../lib/api";
import { t } from "../../i18n";

export const fetchNotificationSettings = async () => call(api.me["notification-settings"].$get());
export type NotificationSettingsView = Awaited<ReturnType<typeof fetchNotificationSettings>>;

export const saveNotificationSettings = async (patch: NotificationSettingsPatch) => (await call(api.me["notification-settings"].$put({ json: patch }))).settings;

/** What this browser can do about push: subscribe, nothing (no support), or ask the user to unblock it. */
export type PushAbility = "available" | "unsupported" | "denied";
export function pushAbility(): PushAbility {
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) return "unsupported";
  return Notification.permission === "denied" ? "denied" : "available";
}

const registration = () => navigator.serviceWorker.ready;

/** This browser's current subscription, if it has one. */
export async function currentSubscription(): Promise<PushSubscription | null> {
  if (pushAbility() === "unsupported") return null;
  return (await registration()).pushManager.getSubscription();
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const b64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

/**
 * Who turned push on in this browser (a user id). The server keeps a subscription only as long as the session it was
 * saved under, so signing out (or a password reset, or signing out everywhere) stops it there; signing in again here
 * as the same person resumes it. Someone else signing in on this browser is pushed nothing until they turn it on.
 */
const PUSH_OWNER_KEY = "tutorly.push.user";

/** Saves this browser's subscription for the signed-in session. */
async function save(sub: PushSubscription): Promise<void> {
  const json = PushSubscriptionSchema.safeParse(sub.toJSON());
  if (!json.success) throw new Error(t("account.notify.deviceFailed"));
  await call(api.me["push-subscription"].$put({ json: json.data }));
}

/** Asks for permission, subscribes this browser at its push service with the server's key, and tells the server. */
export async function enablePush(publicKey: string, userId: string): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error(permission === "denied" ? t("account.notify.deviceDenied") : t("account.notify.deviceNotAllowed"));
  const reg = await registration();
  let sub: PushSubscription;
  try {
    sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  } catch {
    // The browser's own words ("Registration failed - permission denied") are English and say little.
    throw new Error(t("account.notify.deviceFailed"));
  }
  await save(sub);
  localStorage.setItem(PUSH_OWNER_KEY, userId);
}

/** Unsubscribes this browser and forgets it on the server. */
export async function disablePush(): Promise<void> {
  localStorage.removeItem(PUSH_OWNER_KEY);
  const sub = await currentSubscription();
  if (!sub) return;
  await call(api.me["push-subscription"].$delete({ json: { endpoint: sub.endpoint } }));
  await sub.unsubscribe();
}

/**
 * Whether push is on in this browser for `userId`, saving its subscription for the current session when it was theirs
 * (signed in again after signing out, a reset or an expired session): false when this browser has none, when someone
 * else turned it on here, or when the server refuses it.
 */
export async function resumePush(userId: string): Promise<boolean> {
  if (pushAbility() !== "available" || Notification.permission !== "granted" || localStorage.getItem(PUSH_OWNER_KEY) !== userId) return false;
  const sub = await currentSubscription();
  if (!sub) return false;
  try {
    await save(sub);
    return true;
  } catch {
    return false;
  }
}
