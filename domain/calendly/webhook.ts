import { z } from "zod";
import type { WebhookNote } from "../schemas/webhookNotes";

const Uri = z.string().url().max(500);
const Time = z.iso.datetime({ offset: true });

/** The scheduled event as Calendly embeds it in current payloads (and returns it from its API). */
export const ScheduledEventSchema = z.object({
  uri: Uri,
  name: z.string().max(500).nullish(),
  start_time: Time,
  end_time: Time,
  /** The hosts: whose time the booking takes. */
  event_memberships: z.array(z.object({ user: Uri })).default([]),
});
export type ScheduledEvent = z.infer<typeof ScheduledEventSchema>;

const InviteeSchema = z.object({
  /** The invitee: what a booking is known by, and what a reschedule replaces. */
  uri: Uri,
  /** The scheduled event's URI; older payloads carry only this, not the event itself. */
  event: Uri.nullish(),
  scheduled_event: ScheduledEventSchema.nullish(),
  status: z.string().max(50).nullish(),
  rescheduled: z.boolean().nullish(),
  old_invitee: Uri.nullish(),
  new_invitee: Uri.nullish(),
});

/** A verified delivery's body. Unknown fields are dropped; unknown event kinds are kept to be ignored. */
export const DeliverySchema = z.object({
  event: z.string().max(100),
  created_at: Time.nullish(),
  /** The user who created the webhook subscription (for a user-scoped subscription, whose events these are). */
  created_by: Uri.nullish(),
  payload: z.unknown(),
});

/** What a delivery asks of the tutor's calendar. */
export type CalendlyChange =
  | { kind: "created"; invitee: string; replaces?: string; eventUri?: string; event?: ScheduledEvent; subscriber?: string }
  | { kind: "canceled"; invitee: string; eventUri?: string; event?: ScheduledEvent; subscriber?: string }
  | { kind: "ignored"; note: WebhookNote };

/** Reads a verified delivery (its JSON already parsed) into the change it asks for. */
export function readDelivery(json: unknown): CalendlyChange {
  const delivery = DeliverySchema.safeParse(json);
  if (!delivery.success) return { kind: "ignored", note: { code: "not_calendly_delivery" } };
  const { event, created_by } = delivery.data;
  if (event !== "invitee.created" && event !== "invitee.canceled") return { kind: "ignored", note: { code: "calendly_event_unhandled", event: String(event).slice(0, 300) } };
  const invitee = InviteeSchema.safeParse(delivery.data.payload);
  if (!invitee.success) return { kind: "ignored", note: { code: "not_an_invitee" } };
  const p = invitee.data;
  const common = {
    invitee: p.uri,
    ...(p.scheduled_event ? { event: p.scheduled_event, eventUri: p.scheduled_event.uri } : p.event ? { eventUri: p.event } : {}),
    ...(created_by ? { subscriber: created_by } : {}),
  };
  if (event === "invitee.canceled") return { kind: "canceled", ...common };
  return { kind: "created", ...common, ...(p.old_invitee ? { replaces: p.old_invitee } : {}) };
}

/**
 * Whose Calendly time a change takes: the event's hosts when the event is known, else the subscription's
 * owner (older payloads, user-scoped subscriptions).
 */
export function hostsOf(change: { event?: ScheduledEvent; subscriber?: string }): string[] {
  const hosts = change.event?.event_memberships.map((m) => m.user) ?? [];
  return [...new Set(hosts.length ? hosts : change.subscriber ? [change.subscriber] : [])];
}

/** The block an invitee puts in a host's calendar. */
export function blockOf(invitee: string, event: ScheduledEvent): { externalId: string; start: number; end: number; title: string } {
  return { externalId: invitee, start: Date.parse(event.start_time), end: Date.parse(event.end_time), title: (event.name ?? "").trim().slice(0, 200) || "Calendly booking" };
}
