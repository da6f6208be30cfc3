import { z } from "zod";
import { type CalendlyChange, blockOf, hostsOf, readDelivery } from "../../../domain/calendly/webhook";
import { getDb } from "../../../platform/db/client";
import { fetchScheduledEvent } from "../../integrations/calendly/api";
import { log } from "../../../platform/log";
import { calendarOf } from "../../lib/stubs";
import { sha256Hex } from "../../lib/crypto";
import { unseal } from "../../lib/sealed";
import { provenLinksOf, recordCalendlyDelivery, tokenContext } from "./calendlyRepo";
import { type WebhookNote, storedWebhookNote } from "../../../domain/schemas/webhookNotes";
import { BlockInputSchema } from "../../../durable-objects/calendar/blocks";

export type CalendlyOutcome = { status: "applied"; tutors: number } | { status: "ignored"; note: WebhookNote };

/**
 * Applies a verified Calendly change to the calendars of the tutors linked to its hosts: a new invitee blocks
 * its time (and a reschedule's old invitee is released), a cancelled one is released for good. Every step
 * is idempotent by invitee URI, so repeats and any order of a reschedule's two deliveries end the same.
 */
export async function applyCalendlyChange(env: Env, change: CalendlyChange, now: number): Promise<CalendlyOutcome> {
  if (change.kind === "ignored") return { status: "ignored", note: change.note };
  const db = getDb(env);
  // Older payloads name the event without embedding it: its times and hosts come from Calendly's API, asked
  // with the token of the tutor who proved they are the subscriber (else the platform's own token).
  let event = change.event;
  if (!event && change.eventUri) {
    const [subscriber] = await provenLinksOf(db, hostsOf({ subscriber: change.subscriber }));
    const token = subscriber?.accessToken ? await unseal(env, subscriber.accessToken, tokenContext(subscriber.tutorId)) : env.CALENDLY_API_TOKEN;
    event = (await fetchScheduledEvent(env, change.eventUri, token)) ?? undefined;
  }
  const hosts = hostsOf({ event, subscriber: change.subscriber });
  const tutors = (await provenLinksOf(db, hosts)).map((l) => l.tutorId);
  if (!tutors.length) {
    log.info("calendly delivery for no linked tutor ignored", { kind: change.kind, invitee: change.invitee, hosts });
    return { status: "ignored", note: { code: "no_linked_tutor" } };
  }
  if (change.kind === "created" && !event) {
    log.warn("calendly booking without times ignored (set CALENDLY_API_TOKEN to look them up)", { invitee: change.invitee });
    return { status: "ignored", note: { code: "no_booking_time" } };
  }
  // Times no calendar block can hold (an end not after the start, a span past the longest block) would fail in the
  // calendar object, and a 500 only has Calendly send the same delivery again for a day: it is kept as ignored.
  if (change.kind === "created" && !BlockInputSchema.safeParse(blockOf(change.invitee, event!)).success) {
    log.warn("calendly booking with times no block can hold ignored", { invitee: change.invitee, start: event!.start_time, end: event!.end_time });
    return { status: "ignored", note: { code: "no_booking_time" } };
  }
  for (const tutorId of tutors) {
    const calendar = calendarOf(env, tutorId);
    if (change.kind === "canceled") {
      await calendar.removeBlock({ tutorId, source: "calendly", externalId: change.invitee, now, forever: true });
      continue;
    }
    if (change.replaces) await calendar.removeBlock({ tutorId, source: "calendly", externalId: change.replaces, now, forever: true });
    await calendar.upsertBlock({ tutorId, source: "calendly", block: blockOf(change.invitee, event!), now });
  }
  return { status: "applied", tutors: tutors.length };
}

/** What the webhook record keeps of any delivery, even one that is not a change this app knows: its event and time. */
const DeliveryMeta = z.object({ event: z.string().catch("unknown"), created_at: z.string().optional().catch(undefined) }).catch({ event: "unknown" });

/**
 * A verified delivery: applies it and keeps it with its outcome in `webhook_events` (the admin console lists
 * them; a repeat of the same body is one row). A failure is recorded too, then thrown for Calendly to retry.
 */
export async function receiveCalendlyDelivery(env: Env, delivery: { body: string; json: unknown }, now: number): Promise<CalendlyOutcome> {
  const meta = DeliveryMeta.parse(delivery.json);
  const record = async (status: "processed" | "ignored" | "failed", note: WebhookNote) =>
    recordCalendlyDelivery(getDb(env), {
      id: `calendly:${(await sha256Hex(delivery.body)).slice(0, 40)}`,
      type: meta.event.slice(0, 100),
      createdAt: meta.created_at?.slice(0, 40) ?? new Date(now).toISOString(),
      receivedAt: new Date(now).toISOString(),
      status,
      detail: storedWebhookNote(note),
      payload: delivery.body,
    });
  let outcome: CalendlyOutcome;
  try {
    outcome = await applyCalendlyChange(env, readDelivery(delivery.json), now);
  } catch (e) {
    await record("failed", { code: "failed", error: String(e).slice(0, 300) });
    throw e;
  }
  await record(outcome.status === "applied" ? "processed" : "ignored", outcome.status === "applied" ? { code: "tutors_updated", count: outcome.tutors } : outcome.note);
  return outcome;
}
