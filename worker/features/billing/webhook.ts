import { ApiError } from "../../lib/errors";
import { log } from "../../../platform/log";
import { verifyStripeEvent, webhookSecrets } from "../../integrations/stripe/client";
import { StripeEventSchema } from "../../integrations/stripe/shapes";
import { applyStripeEvent } from "./stripeEvents";

/**
 * The Stripe webhook handler: signature over the raw body first (nothing is parsed before it passes), then the
 * event's shape, then its effect exactly once. Local payment mode sends its signed events through here too.
 */
export async function receiveStripeWebhook(env: Env, raw: string, signature: string | undefined) {
  const secrets = webhookSecrets(env);
  if (!secrets.length) log.error("stripe webhook received but no signing secret is configured");
  const verified = await verifyStripeEvent(raw, signature, secrets);
  if (!verified) throw new ApiError(400, "invalid_signature", "The Stripe-Signature header does not match this payload.");
  const parsed = StripeEventSchema.safeParse(verified);
  if (!parsed.success) throw new ApiError(400, "invalid_event", "The event does not have the shape of a Stripe event.");
  const result = await applyStripeEvent(env, parsed.data);
  log.info("stripe event", { eventId: parsed.data.id, type: parsed.data.type, result });
  return result;
}
