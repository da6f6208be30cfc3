import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, NotificationSettingsPatchSchema, applyPatch, switchableKindOf } from "./settings";

describe("notification settings", () => {
  it.each([
    ["reminder", "reminders"],
    ["cancelled", "cancellations"],
    ["rescheduled", "cancellations"],
    ["refunded", "cancellations"],
    ["tutor_cancelled_offers", "cancellations"],
    ["tutor_cancelled_refunded", "cancellations"],
    ["rebooked", "offers"],
    ["message", "messages"],
    ["booked", null],
    ["group_joined", null],
    ["calendar_conflict", null],
  ])("a %s notice is switched by %s", (kind, switchable) => {
    expect(switchableKindOf(kind)).toBe(switchable);
  });

  it("changes only the switches a patch names", () => {
    const patch = NotificationSettingsPatchSchema.parse({ push: { messages: false }, email: { reminders: false } });
    expect(applyPatch(DEFAULT_SETTINGS, patch)).toEqual({
      push: { reminders: true, cancellations: true, offers: true, messages: false },
      email: { reminders: false, cancellations: true, offers: true, messages: true },
    });
  });

  it("refuses unknown kinds and channels", () => {
    expect(NotificationSettingsPatchSchema.safeParse({ push: { marketing: true } }).success).toBe(false);
    expect(NotificationSettingsPatchSchema.safeParse({ sms: {} }).success).toBe(false);
  });
});
