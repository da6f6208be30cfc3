import { createResource } from "solid-js";
import { api, call } from "../../lib/api";
import { onUserLive } from "../../lib/userLive";

/** The student's balance, grants with credit left (soonest expiry first), every live lot, and the policy numbers. */
export async function fetchCredits() {
  const view = await call(api.billing.credits.$get());
  const lots = [...view.grants].sort((a, b) => a.expiresAt.localeCompare(b.expiresAt));
  return { ...view, lots, grants: lots.filter((g) => g.remainingMinutes > 0) };
}
export type Credits = Awaited<ReturnType<typeof fetchCredits>>;

/**
 * The student's credits kept live: `credits.changed` sets the balance at once, then the lots are refetched
 * (a purchase, a refund or an admin adjustment all arrive this way).
 */
export function createLiveCredits() {
  const [credits, { mutate, refetch }] = createResource(fetchCredits);
  onUserLive({
    onMessage: (m) => {
      if (m.type !== "credits.changed") return;
      mutate((c) => (c ? { ...c, balanceMinutes: m.balanceMinutes } : c));
      void refetch();
    },
    onReconnect: () => void refetch(),
  });
  return { credits, refetch: () => void refetch() };
}
