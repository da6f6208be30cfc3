import { z } from "zod";

/**
 * What a webhook delivery's handling came to, as a code and its values (stored as JSON in `webhook_events.detail`).
 * The admin console writes it in the admin's language from the catalogs; `webhookNoteInEnglish` is the same for
 * logs and other readers of the API. Rows stored before notes existed hold English text and are shown as they are.
 */
const count = z.number().int();
const word = z.string().max(300);
export const WebhookNoteSchema = z.discriminatedUnion("code", [
  // Stripe
  z.object({ code: z.literal("unhandled_type"), type: word }),
  z.object({ code: z.literal("no_student") }),
  z.object({ code: z.literal("payment_status"), status: word }),
  z.object({ code: z.literal("no_pack") }),
  z.object({ code: z.literal("granted"), minutes: count }),
  z.object({ code: z.literal("already_granted") }),
  z.object({ code: z.literal("already_granted_minutes"), minutes: count }),
  z.object({ code: z.literal("subscription_details_missing") }),
  z.object({ code: z.literal("checkout_mode"), mode: word }),
  z.object({ code: z.literal("not_subscription_invoice") }),
  z.object({ code: z.literal("no_plan_price") }),
  z.object({ code: z.literal("nothing_to_grant") }),
  z.object({ code: z.literal("unknown_subscription") }),
  z.object({ code: z.literal("stale_status") }),
  z.object({ code: z.literal("unknown_price") }),
  z.object({ code: z.literal("nothing_charged") }),
  z.object({ code: z.literal("no_purchase_for_charge") }),
  z.object({ code: z.literal("took_back"), taken: count, target: count, purchase: word }),
  // A refund or dispute Stripe delivered before its purchase's grant: the wallet holds it and applies it with the grant.
  z.object({ code: z.literal("held_for_grant"), purchase: word }),
  z.object({ code: z.literal("no_purchase_for_dispute") }),
  z.object({ code: z.literal("dispute"), status: word, frozen: count, takenBack: count }),
  z.object({ code: z.literal("dispute_held_for_grant"), status: word, purchase: word }),
  z.object({ code: z.literal("no_card_fingerprint") }),
  z.object({ code: z.literal("unknown_account") }),
  z.object({ code: z.literal("not_a_card") }),
  z.object({ code: z.literal("stale_event") }),
  // Calendly
  z.object({ code: z.literal("tutors_updated"), count }),
  z.object({ code: z.literal("not_calendly_delivery") }),
  z.object({ code: z.literal("calendly_event_unhandled"), event: word }),
  z.object({ code: z.literal("not_an_invitee") }),
  z.object({ code: z.literal("no_linked_tutor") }),
  z.object({ code: z.literal("no_booking_time") }),
  // Either: handling threw (the error's own text, as the runtime wrote it).
  z.object({ code: z.literal("failed"), error: word }),
]);
export type WebhookNote = z.infer<typeof WebhookNoteSchema>;
export type WebhookNoteCode = WebhookNote["code"];
export const WEBHOOK_NOTE_CODES = WebhookNoteSchema.options.map((o) => o.shape.code.value);

/** A note in English (the API's `detail`, logs). */
export function webhookNoteInEnglish(n: WebhookNote): string {
  switch (n.code) {
    case "unhandled_type": return `unhandled type ${n.type}`;
    case "no_student": return "no student for this customer";
    case "payment_status": return `payment ${n.status}`;
    case "no_pack": return "no pack in metadata";
    case "granted": return `granted ${n.minutes} min`;
    case "already_granted": return "already granted";
    case "already_granted_minutes": return `already granted ${n.minutes} min`;
    case "subscription_details_missing": return "subscription details missing";
    case "checkout_mode": return `mode ${n.mode}`;
    case "not_subscription_invoice": return "not a subscription invoice";
    case "no_plan_price": return "no plan price on this invoice";
    case "nothing_to_grant": return "nothing to grant";
    case "unknown_subscription": return "not a known subscription";
    case "stale_status": return "stale event: a newer event set the status";
    case "unknown_price": return "unknown price";
    case "nothing_charged": return "nothing was charged";
    case "no_purchase_for_charge": return "no credit purchase paid by this charge";
    case "took_back": return `took back ${n.taken} of ${n.target} min of ${n.purchase}`;
    case "held_for_grant": return `held until the grant of ${n.purchase} arrives`;
    case "no_purchase_for_dispute": return "no credit purchase paid by the disputed charge";
    case "dispute": return `dispute ${n.status}: ${n.frozen} min frozen, ${n.takenBack} taken back`;
    case "dispute_held_for_grant": return `dispute ${n.status}: held until the grant of ${n.purchase} arrives`;
    case "no_card_fingerprint": return "no card fingerprint";
    case "unknown_account": return "unknown connected account";
    case "not_a_card": return "not a card";
    case "stale_event": return "stale event";
    case "tutors_updated": return `${n.count} tutor(s)`;
    case "not_calendly_delivery": return "not a Calendly delivery";
    case "calendly_event_unhandled": return `event ${n.event} is not handled`;
    case "not_an_invitee": return "payload is not an invitee";
    case "no_linked_tutor": return "no tutor has proven a link to this Calendly user";
    case "no_booking_time": return "the delivery does not say when the booking is";
    case "failed": return n.error;
  }
}

/** The stored form of a note. */
export const storedWebhookNote = (n: WebhookNote) => JSON.stringify(n);

/** A stored `detail` read back: its note when it holds one, and the English either way. */
export function readWebhookDetail(stored: string | null): { detail: string | null; note: WebhookNote | null } {
  if (stored === null) return { detail: null, note: null };
  let json: unknown;
  try {
    json = JSON.parse(stored);
  } catch {
    return { detail: stored, note: null };
  }
  const note = WebhookNoteSchema.safeParse(json);
  return note.success ? { detail: webhookNoteInEnglish(note.data), note: note.data } : { detail: stored, note: null };
}
