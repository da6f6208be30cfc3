import { api, call } from "../../lib/api";

/** The student's balance, grants (soonest expiry first) and the policy numbers. */
export async function fetchCredits() {
  const view = await call(api.billing.credits.$get());
  return { ...view, grants: [...view.grants].filter((g) => g.remainingMinutes > 0).sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)) };
}
export type Credits = Awaited<ReturnType<typeof fetchCredits>>;
