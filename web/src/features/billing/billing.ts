import { api, call } from "../../lib/api";
import { newIdempotencyKey } from "../bookings/bookings";

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

/** "Starter · 4 hours a month" → { title: "Starter", detail: "4 hours a month" }. */
export function planTitle(name: string) {
  const [title, detail] = name.split(" · ");
  return { title: title ?? name, detail };
}


/** Pauses the plan for 1–4 weeks (once per billing period); answers the subscription with its pause. */
export const pausePlan = async (weeks: number, key: string) => (await call(api.billing.pause.$post({ json: { weeks } }, keyed(key)))).subscription;
/** Ends a running pause now. */
export const resumePlan = async (key: string) => (await call(api.billing.resume.$post({}, keyed(key)))).subscription;
