import { PACKS, PLANS, parsePriceMap } from "../../../domain/billing";
import { isLocalPaymentMode } from "./client";

const LOCAL_PREFIX = "price_local_";

/** The Stripe Price id of a plan or pack (configured; in local payment mode a stand-in id). */
export function priceIdFor(env: Pick<Env, "STRIPE_PRICES" | "STRIPE_SECRET_KEY" | "ENVIRONMENT">, itemId: string): string | null {
  if (isLocalPaymentMode(env)) return `${LOCAL_PREFIX}${itemId}`;
  return parsePriceMap(env.STRIPE_PRICES).get(itemId) ?? null;
}

/** The plan or pack a Stripe Price id stands for. */
export function itemForPrice(env: Pick<Env, "STRIPE_PRICES" | "STRIPE_SECRET_KEY" | "ENVIRONMENT">, priceId: string | null) {
  if (!priceId) return null;
  let itemId: string | undefined;
  if (priceId.startsWith(LOCAL_PREFIX) && isLocalPaymentMode(env)) itemId = priceId.slice(LOCAL_PREFIX.length);
  else for (const [item, price] of parsePriceMap(env.STRIPE_PRICES)) if (price === priceId) itemId = item;
  const plan = PLANS.find((p) => p.id === itemId);
  if (plan) return { kind: "plan" as const, plan };
  const pack = PACKS.find((p) => p.id === itemId);
  if (pack) return { kind: "pack" as const, pack };
  return null;
}
