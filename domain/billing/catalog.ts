/**
 * What Tutorly sells. Each paid item maps to a Stripe Price by configuration (`STRIPE_PRICES`), never by
 * hard-coded ids. Credits are minutes; money is integer cents.
 */
export type Plan = { id: string; name: string; monthlyMinutes: number; priceCents: number; currency: "usd" };
export type Pack = { id: string; name: string; minutes: number; priceCents: number; currency: "usd" };

export const FREE_PLAN_ID = "free";

export const PLANS: readonly Plan[] = [
  { id: FREE_PLAN_ID, name: "Free", monthlyMinutes: 0, priceCents: 0, currency: "usd" },
  { id: "starter", name: "Starter · 4 hours a month", monthlyMinutes: 240, priceCents: 12_000, currency: "usd" },
  { id: "standard", name: "Standard · 8 hours a month", monthlyMinutes: 480, priceCents: 22_000, currency: "usd" },
  { id: "intensive", name: "Intensive · 16 hours a month", monthlyMinutes: 960, priceCents: 40_000, currency: "usd" },
];

export const PACKS: readonly Pack[] = [
  { id: "pack-60", name: "1 extra hour", minutes: 60, priceCents: 3_500, currency: "usd" },
  { id: "pack-180", name: "3 extra hours", minutes: 180, priceCents: 9_900, currency: "usd" },
];

/** One-time packs stay usable this long (monthly plan grants expire after POLICY.grantExpiryDays). */
export const PACK_EXPIRY_DAYS = 365;

export const planById = (id: string) => PLANS.find((p) => p.id === id);
export const packById = (id: string) => PACKS.find((p) => p.id === id);

/** Up (more minutes, at once, prorated), down (at period end) or the same plan. */
export function planChange(fromId: string, toId: string): "upgrade" | "downgrade" | "same" {
  const from = planById(fromId)?.monthlyMinutes ?? 0;
  const to = planById(toId)?.monthlyMinutes ?? 0;
  return to > from ? "upgrade" : to < from ? "downgrade" : "same";
}

/** Parses `STRIPE_PRICES` ("starter=price_123,pack-60=price_456") into item id → Stripe Price id. */
export function parsePriceMap(raw: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of (raw ?? "").split(",")) {
    const [item, price] = pair.split("=").map((s) => s.trim());
    if (item && price) map.set(item, price);
  }
  return map;
}
