import Stripe from "stripe";
import { isLocalEnvironment } from "../../../platform/environment";

/**
 * The Stripe SDK on Workers: fetch for HTTP, SubtleCrypto for signatures. `STRIPE_API_BASE` points it at
 * another host (the tests' wire-level fake); without `STRIPE_SECRET_KEY` the app runs in local payment mode.
 */
export function stripeFor(env: Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_API_BASE">): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  const base = env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null;
  return new Stripe(env.STRIPE_SECRET_KEY, {
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 20_000,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === "https:" ? "443" : "80"), protocol: base.protocol === "https:" ? "https" : "http" } : {}),
  });
}

/** The secret webhooks are signed with; in local payment mode a fixed development secret (never in production). */
export function webhookSecrets(env: Pick<Env, "STRIPE_WEBHOOK_SECRET" | "STRIPE_CONNECT_WEBHOOK_SECRET" | "STRIPE_SECRET_KEY" | "ENVIRONMENT">): string[] {
  const secrets = [env.STRIPE_WEBHOOK_SECRET, env.STRIPE_CONNECT_WEBHOOK_SECRET].filter((s): s is string => !!s);
  if (!secrets.length && isLocalPaymentMode(env)) secrets.push(LOCAL_WEBHOOK_SECRET);
  return secrets;
}

export const LOCAL_WEBHOOK_SECRET = "whsec_tutorly_local_payment_mode";

/** Local payment mode: no Stripe key, and only in a local environment (exactly "development" or "test"). */
export const isLocalPaymentMode = (env: { STRIPE_SECRET_KEY?: string; ENVIRONMENT?: string }) => !env.STRIPE_SECRET_KEY && isLocalEnvironment(env);

const TOLERANCE_SECONDS = 300;

/** Verifies `Stripe-Signature` over the raw body against each configured secret; the event, or null. */
export async function verifyStripeEvent(raw: string, signature: string | undefined, secrets: string[]): Promise<Stripe.Event | null> {
  if (!signature) return null;
  for (const secret of secrets) {
    try {
      return await Stripe.webhooks.constructEventAsync(raw, signature, secret, TOLERANCE_SECONDS, Stripe.createSubtleCryptoProvider());
    } catch {
      /* try the next secret */
    }
  }
  return null;
}

/** A signed `Stripe-Signature` header for `payload` (local payment mode and tests). */
export const signStripePayload = (payload: string, secret: string, timestamp?: number) =>
  Stripe.webhooks.generateTestHeaderStringAsync({ payload, secret, timestamp, cryptoProvider: Stripe.createSubtleCryptoProvider() });
