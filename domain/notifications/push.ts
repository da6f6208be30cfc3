import { z } from "zod";
import { NOTICE_KINDS } from "./settings";

const base64url = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { error: "Use base64url" })
    .refine((s) => Math.floor((s.replace(/=+$/, "").length * 3) / 4) === bytes, { error: `Expected ${bytes} bytes` });

/**
 * Push services a subscription may point at (host suffixes): Chrome and other Chromium browsers (FCM),
 * Firefox (Mozilla autopush), Safari (Apple), Edge (Windows Push). Anything else is refused, so a subscription
 * can never turn the server into a relay towards an arbitrary address.
 */
export const PUSH_SERVICE_HOSTS = [".googleapis.com", ".push.services.mozilla.com", ".push.apple.com", ".notify.windows.com"] as const;

export function isKnownPushService(endpoint: URL): boolean {
  return endpoint.protocol === "https:" && endpoint.port === "" && PUSH_SERVICE_HOSTS.some((suffix) => endpoint.hostname.endsWith(suffix));
}

/** What `PushSubscription.toJSON()` gives in the browser (RFC 8291 keys: P-256 point and 16-byte secret). */
export const PushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(1024),
  keys: z.object({ p256dh: base64url(65), auth: base64url(16) }),
  expirationTime: z.number().nullable().optional(),
});
export type PushSubscriptionInput = z.infer<typeof PushSubscriptionSchema>;

export const UnsubscribeSchema = z.object({ endpoint: z.url().max(1024).optional() }).strict();

/** The decrypted body of a push message, read by the service worker. */
export const PushPayloadSchema = z.object({
  kind: z.enum(NOTICE_KINDS),
  title: z.string().max(120),
  body: z.string().max(500),
  /** Where a click on the notification leads (a path of the app). */
  link: z.string().startsWith("/").max(300).optional(),
  /** Notifications with the same tag replace each other (one per conversation, one per booking). */
  tag: z.string().max(100).optional(),
});
export type PushPayload = z.infer<typeof PushPayloadSchema>;
