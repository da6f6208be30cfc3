import { api, call } from "../../lib/api";
import { newIdempotencyKey } from "../bookings/bookings";
import { t } from "../../i18n";

export { newIdempotencyKey };
const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

/** Plans (with the free tier), one-time packs, and how payments run here: "stripe", "local" or "unavailable". */
export const fetchCatalog = async () => call(api.plans.$get());
export type Catalog = Awaited<ReturnType<typeof fetchCatalog>>;
export type Plan = Catalog["plans"][number];
export type Pack = Catalog["packs"][number];
export type PaymentMode = Catalog["mode"];

export const fetchSubscription = async () => call(api.billing.subscription.$get());
export type Subscription = NonNullable<Awaited<ReturnType<typeof fetchSubscription>>["subscription"]>;

/** Where to send the browser to pay: an absolute Stripe Checkout URL, or the local test checkout's path. */
export const startCheckout = async (item: { planId: string } | { packId: string }, key: string) => (await call(api.billing.checkout.$post({ json: item }, keyed(key)))).url;

export const previewPlanChange = async (planId: string) => (await call(api.billing["change-plan"].preview.$get({ query: { planId } }))).preview;
export type PlanChangePreview = Awaited<ReturnType<typeof previewPlanChange>>;

export const changePlan = async (planId: string, key: string) => (await call(api.billing["change-plan"].$post({ json: { planId } }, keyed(key)))).subscription;
export const cancelPlan = async (key: string) => (await call(api.billing.cancel.$post({}, keyed(key)))).subscription;
export const portalUrl = async () => (await call(api.billing.portal.$post())).url;

// Local payment mode only.
export const fetchLocalCheckout = async (id: string) => (await call(api.billing.local.checkout[":id"].$get({ param: { id } }))).checkout;
export type LocalCheckout = Awaited<ReturnType<typeof fetchLocalCheckout>>;
export const completeLocalCheckout = async (id: string, key: string) => (await call(api.billing.local.checkout[":id"].complete.$post({ param: { id } }, keyed(key)))).checkout;
export const advanceLocalPeriod = async () => (await call(api.billing.local["advance-period"].$post())).subscription;

/** Sends the browser to a URL the server gave: another site (Stripe) by a full load, our own paths in-app. */
export function follow(url: string, navigate: (path: string) => void) {
  if (/^https?:\/\//.test(url)) window.location.assign(url);
  else navigate(url);
}

const PLAN_NAMES: Record<string, "billing.plans.free" | "billing.plans.starter" | "billing.plans.standard" | "billing.plans.intensive"> = {
  free: "billing.plans.free",
  starter: "billing.plans.starter",
  standard: "billing.plans.standard",
  intensive: "billing.plans.intensive",
};

/** A plan's name in the viewer's language (the catalog's own name for a plan we do not know by id). */
export const planName = (plan: { id: string; name: string } | undefined) => {
  if (!plan) return t("billing.plans.free");
  const key = PLAN_NAMES[plan.id];
  return key ? t(key) : planTitle(plan.name).title;
};

/** A pack's name in the viewer's language: "1 extra hour", "3 extra hours". */
export const packName = (pack: { minutes: number }) => t("billing.packs.extra", { count: pack.minutes / 60 });

/** "Starter · 4 hours a month" → { title: "Starter", detail: "4 hours a month" }. */
export function planTitle(name: string) {
  const [title, detail] = name.split(" · ");
  return { title: title ?? name, detail };
}


/**
 * Pauses the plan for 1–4 weeks (once per billing period); answers the subscription with its pause, and the weekly
 * lessons that stay booked because they start too soon to skip (none when the answer is a repeat of an earlier one).
 */
export const pausePlan = async (weeks: number, key: string) => {
  const answer = await call(api.billing.pause.$post({ json: { weeks } }, keyed(key)));
  return { subscription: answer.subscription, keptWeeks: "keptWeeks" in answer ? answer.keptWeeks : [] };
};
export type KeptWeek = Awaited<ReturnType<typeof pausePlan>>["keptWeeks"][number];
/** Ends a running pause now. */
export const resumePlan = async (key: string) => (await call(api.billing.resume.$post({}, keyed(key)))).subscription;
