import type { NotificationSettingsPatch } from "../../../../domain/notifications/settings";
import { PushSubscriptionSchema } from "../../../../domain/notifications/push";
import { api, call } from "../../lib/api";

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

/** Asks for permission, subscribes this browser at its push service with the server's key, and tells the server. */
export async function enablePush(publicKey: string): Promise<void> {
  const permission = await Notification.requestPermission();
  if (permission !== "granted") throw new Error(permission === "denied" ? "Notifications are blocked for Tutorly in this browser's settings." : "Notifications were not allowed.");
  const reg = await registration();
  const sub = (await reg.pushManager.getSubscription()) ?? (await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) }));
  const json = PushSubscriptionSchema.safeParse(sub.toJSON());
  if (!json.success) throw new Error("This browser gave an unusable push subscription.");
  await call(api.me["push-subscription"].$put({ json: json.data }));
}

/** Unsubscribes this browser and forgets it on the server. */
export async function disablePush(): Promise<void> {
  const sub = await currentSubscription();
  if (!sub) return;
  await call(api.me["push-subscription"].$delete({ json: { endpoint: sub.endpoint } }));
  await sub.unsubscribe();
}
