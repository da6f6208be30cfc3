import { z } from "zod";

/**
 * The parts of Stripe objects Tutorly reads, validated after the signature check. Loose on purpose: Stripe adds
 * fields all the time, and these accept both the 2020-08-27 shapes and the 2025+ ones (basil moved an invoice's
 * subscription under `parent`, line prices under `pricing`, and period dates onto subscription items).
 */
const Id = z.string().min(1);
const Ref = z.union([Id, z.object({ id: Id }).loose()]).nullish();
export const refId = (r: z.infer<typeof Ref>) => (typeof r === "string" ? r : (r?.id ?? null));

export const StripeEventSchema = z
  .object({
    id: Id,
    type: z.string(),
    created: z.number().int(),
    account: z.string().nullish(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }).loose(),
  })
  .loose();
export type StripeEventEnvelope = z.infer<typeof StripeEventSchema>;

export const CheckoutSessionSchema = z
  .object({
    id: Id,
    mode: z.enum(["payment", "subscription", "setup"]),
    payment_status: z.string(),
    customer: Ref,
    subscription: Ref,
    payment_intent: Ref,
    client_reference_id: z.string().nullish(),
    metadata: z.record(z.string(), z.string()).nullish(),
    amount_total: z.number().int().nullish(),
    total_details: z.object({ amount_tax: z.number().int().nullish() }).loose().nullish(),
  })
  .loose();

const Price = z.object({ id: Id }).loose();
export const SubscriptionSchema = z
  .object({
    id: Id,
    customer: Ref,
    status: z.string(),
    cancel_at_period_end: z.boolean().nullish(),
    current_period_start: z.number().nullish(),
    current_period_end: z.number().nullish(),
    schedule: Ref,
    metadata: z.record(z.string(), z.string()).nullish(),
    items: z.object({
      data: z.array(
        z
          .object({ id: Id, price: Price.nullish(), plan: Price.nullish(), current_period_start: z.number().nullish(), current_period_end: z.number().nullish() })
          .loose(),
      ),
    }),
  })
  .loose();
export type StripeSubscription = z.infer<typeof SubscriptionSchema>;

const InvoiceLine = z
  .object({
    amount: z.number(),
    proration: z.boolean().nullish(),
    period: z.object({ start: z.number(), end: z.number() }),
    price: Price.nullish(),
    pricing: z.object({ price_details: z.object({ price: Ref }).loose().nullish() }).loose().nullish(),
    parent: z
      .object({
        subscription_item_details: z.object({ proration: z.boolean().nullish() }).loose().nullish(),
        invoice_item_details: z.object({ proration: z.boolean().nullish() }).loose().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

export const InvoiceSchema = z
  .object({
    id: Id,
    customer: Ref,
    billing_reason: z.string().nullish(),
    subscription: Ref,
    parent: z.object({ subscription_details: z.object({ subscription: Ref }).loose().nullish() }).loose().nullish(),
    lines: z.object({ data: z.array(InvoiceLine) }),
    amount_paid: z.number().int().nullish(),
    total_excluding_tax: z.number().int().nullish(),
    /** 2020-08-27 shape only (basil moved payments to `invoice.payments`). */
    payment_intent: Ref,
  })
  .loose();
export type StripeInvoice = z.infer<typeof InvoiceSchema>;
export type StripeInvoiceLine = z.infer<typeof InvoiceLine>;

export const ChargeSchema = z
  .object({
    id: Id,
    amount: z.number().int(),
    amount_refunded: z.number().int(),
    invoice: Ref,
    payment_intent: Ref,
    customer: Ref,
    /** The card that paid: its fingerprint is the same for the same card number across accounts. */
    payment_method_details: z.object({ card: z.object({ fingerprint: z.string().max(200).nullish() }).loose().nullish() }).loose().nullish(),
  })
  .loose();

/** A connected account's payout destination (a debit card or a bank account). */
export const ExternalAccountSchema = z.object({ object: z.string(), fingerprint: z.string().max(200).nullish(), account: z.string().nullish() }).loose();

/** A chargeback (basil and older shapes alike): the charge and payment it disputes, and where it stands. */
export const DisputeSchema = z
  .object({
    id: Id,
    amount: z.number().int(),
    currency: z.string().nullish(),
    charge: Ref,
    payment_intent: Ref,
    reason: z.string().nullish(),
    status: z.string(),
  })
  .loose();

export const AccountSchema = z
  .object({
    id: Id,
    charges_enabled: z.boolean().nullish(),
    payouts_enabled: z.boolean().nullish(),
    details_submitted: z.boolean().nullish(),
    external_accounts: z.object({ data: z.array(ExternalAccountSchema) }).loose().nullish(),
  })
  .loose();

/** The subscription an invoice belongs to, in either API shape. */
export const invoiceSubscriptionId = (inv: StripeInvoice) => refId(inv.subscription) ?? refId(inv.parent?.subscription_details?.subscription);
export const linePriceId = (line: StripeInvoiceLine) => line.price?.id ?? refId(line.pricing?.price_details?.price);
export const lineIsProration = (line: StripeInvoiceLine) =>
  !!(line.proration ?? line.parent?.subscription_item_details?.proration ?? line.parent?.invoice_item_details?.proration);

/** A subscription's plan price and current period, in either API shape. */
export function subscriptionFacts(sub: StripeSubscription) {
  const item = sub.items.data[0];
  return {
    itemId: item?.id ?? null,
    priceId: item?.price?.id ?? item?.plan?.id ?? null,
    periodStart: sub.current_period_start ?? item?.current_period_start ?? null,
    periodEnd: sub.current_period_end ?? item?.current_period_end ?? null,
  };
}
