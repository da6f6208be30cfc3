import { api, call } from "../../lib/api";
import { addDays, dayOf, mondayOf } from "../../lib/time";

/** The tutor's payout account, totals, earnings per completed session and payouts. */
export const fetchEarnings = async () => call(api.tutors.me.earnings.$get());
export type EarningsView = Awaited<ReturnType<typeof fetchEarnings>>;
export type Earning = EarningsView["earnings"][number];
export type Payout = EarningsView["payouts"][number];

/** Where to continue payout onboarding: Stripe's hosted page, or (local payment mode) straight back here. */
export const startOnboarding = async () => (await call(api.tutors.me.payouts.onboarding.$post())).url;

/** Cents earned per week (weeks start on Monday in `zone`), the last `weeks` weeks up to `today`, oldest first. */
export function earningsByWeek(list: readonly Earning[], zone: string, today: string, weeks = 12) {
  const last = mondayOf(today);
  const out = Array.from({ length: weeks }, (_, i) => ({ week: addDays(last, (i - weeks + 1) * 7), cents: 0, sessions: 0 }));
  const index = new Map(out.map((w, i) => [w.week, i]));
  for (const e of list) {
    const i = index.get(mondayOf(dayOf(e.sessionEndAt, zone)));
    if (i === undefined) continue;
    out[i]!.cents += e.amountCents;
    out[i]!.sessions += 1;
  }
  return out;
}
