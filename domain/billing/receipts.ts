import { PACKS, PLANS } from "./catalog";

/** What a purchase bought, as a receipt names it: a pack, a plan's month, or the prorated part of an upgrade. */
export type PurchasedItem = { kind: "pack"; id: string; name: string } | { kind: "plan"; id: string; name: string } | { kind: "upgrade" } | { kind: "credit" };

/**
 * Reads the item back from the reason the wallet recorded with a paid grant (worker/features/billing/stripeEvents.ts
 * writes `pack <id>` for packs, `<plan name> (<billing reason>)` for plan months, `upgrade (prorated)` for upgrades).
 */
export function purchasedItem(reason: string | null): PurchasedItem {
  const text = reason ?? "";
  const pack = PACKS.find((p) => text === `pack ${p.id}`);
  if (pack) return { kind: "pack", id: pack.id, name: pack.name };
  if (text.startsWith("upgrade")) return { kind: "upgrade" };
  const plan = PLANS.find((p) => text === p.name || text.startsWith(`${p.name} (`));
  if (plan) return { kind: "plan", id: plan.id, name: plan.name };
  return { kind: "credit" };
}
