import { z } from "zod";

/**
 * The kinds of notice a person can switch on or off, per channel (push to their devices, email). Everything
 * else Tutorly tells them (bookings made, billing) always reaches the in-app inbox and email.
 */
export const NOTICE_KINDS = ["reminders", "cancellations", "offers", "messages"] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
/**
 * Kinds never sent by email, so their email switch is not offered: "you've been rebooked" comes by push and in the
 * inbox, its news already emailed as the new booking's confirmation (with its invitation).
 */
export const PUSH_ONLY: readonly NoticeKind[] = ["offers"];

/** Which switchable kind a notice belongs to (by the `kind` it is sent with), or null for the always-on ones. */
export function switchableKindOf(kind: string): NoticeKind | null {
  switch (kind) {
    case "reminder":
      return "reminders";
    case "cancelled":
    case "rescheduled":
    case "refunded":
    case "left_group":
    case "tutor_no_show":
    case "tutor_cancelled_refunded":
    // The tutor cancelled: the news (and its calendar CANCEL) is a cancellation, whatever replacements it offers.
    case "tutor_cancelled_offers":
      return "cancellations";
    case "rebooked":
      return "offers";
    case "message":
    case "message_digest":
      return "messages";
    // Bookings made with a tutor — a 1:1, a weekly series, a seat in their group — are their schedule: always told.
    case "booked":
    case "series_booked":
    case "group_joined":
      return null;
    default:
      return null;
  }
}

const Switches = z.object(Object.fromEntries(NOTICE_KINDS.map((k) => [k, z.boolean()])) as Record<NoticeKind, z.ZodBoolean>);
export const NotificationSettingsSchema = z.object({ push: Switches, email: Switches });
export type NotificationSettings = z.infer<typeof NotificationSettingsSchema>;

/** A change: any subset of the switches; the rest stay as they are. */
export const NotificationSettingsPatchSchema = z.object({ push: Switches.partial().strict().optional(), email: Switches.partial().strict().optional() }).strict();
export type NotificationSettingsPatch = z.infer<typeof NotificationSettingsPatchSchema>;

const allOn = () => Object.fromEntries(NOTICE_KINDS.map((k) => [k, true])) as Record<NoticeKind, boolean>;
/** Until someone changes them, every kind is on for both channels (push still needs a device to subscribe). */
export const DEFAULT_SETTINGS: NotificationSettings = { push: allOn(), email: allOn() };

export function applyPatch(current: NotificationSettings, patch: NotificationSettingsPatch): NotificationSettings {
  return { push: { ...current.push, ...patch.push }, email: { ...current.email, ...patch.email } };
}
