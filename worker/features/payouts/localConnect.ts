import { LOCAL_WEBHOOK_SECRET, signStripePayload } from "../../integrations/stripe/client";
import { receiveStripeWebhook } from "../billing/webhook";

/** Local payment mode: a Connect account "finishes" onboarding with a signed account.updated event. */
export async function deliverConnect(env: Env, accountId: string) {
  const payload = JSON.stringify({
    id: `evt_local_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`,
    object: "event",
    type: "account.updated",
    created: Math.floor(Date.now() / 1000),
    account: accountId,
    data: { object: { id: accountId, object: "account", details_submitted: true, charges_enabled: true, payouts_enabled: true } },
  });
  await receiveStripeWebhook(env, payload, await signStripePayload(payload, LOCAL_WEBHOOK_SECRET));
}
