import { z } from "zod";
import { packById } from "../../../domain/billing";
import { type StripeEventEnvelope, refId } from "../../integrations/stripe/shapes";

/**
 * What a verified Stripe event says about money moving through our Stripe balance, read from the stored event.
 * The books post these (worker/features/finance/posting.ts); in local payment mode the same facts, read from the
 * events the local mode sent itself, stand in for Stripe's balance transactions.
 */
export type CashFact =
  | { kind: "payment"; amountCents: number; taxCents: number; purchaseRef: string; cashRef: string | null; invoiceId: string | null; customer: string | null; userId: string | null }
  | { kind: "refund"; refundedTotalCents: number; chargeRef: string; paymentIntent: string | null; invoice: string | null; customer: string | null }
  | { kind: "dispute_opened" | "dispute_won" | "dispute_lost"; amountCents: number; disputeRef: string; chargeRef: string | null; paymentIntent: string | null };

const Id = z.string().min(1);
const Ref = z.union([Id, z.object({ id: Id }).loose()]).nullish();

const CheckoutSchema = z
  .object({
    id: Id,
    mode: z.string(),
    payment_status: z.string(),
    amount_total: z.number().int().nullish(),
    total_details: z.object({ amount_tax: z.number().int().nullish() }).loose().nullish(),
    payment_intent: Ref,
    customer: Ref,
    metadata: z.record(z.string(), z.string()).nullish(),
  })
  .loose();

const InvoicePaymentSchema = z.object({ payment: z.object({ payment_intent: Ref, charge: Ref }).loose() }).loose();
const InvoiceSchema = z
  .object({
    id: Id,
    customer: Ref,
    amount_paid: z.number().int().nullish(),
    total_excluding_tax: z.number().int().nullish(),
    /** API versions before 2025 (basil) named the payment on the invoice itself. */
    payment_intent: Ref,
    charge: Ref,
    /** Newer versions list the payments (when the event includes them). */
    payments: z.object({ data: z.array(InvoicePaymentSchema) }).loose().nullish(),
    lines: z.object({ data: z.array(z.object({ amount: z.number() }).loose()) }).loose(),
  })
  .loose();

/** `invoice`: API versions before 2025 (basil) named the invoice a charge paid. */
const ChargeSchema = z.object({ id: Id, amount_refunded: z.number().int(), payment_intent: Ref, invoice: Ref, customer: Ref }).loose();
const DisputeSchema = z.object({ id: Id, amount: z.number().int(), status: z.string(), charge: Ref, payment_intent: Ref }).loose();

/** How the wallet names a purchase on its lots (`purchaseRef`): the books meet payments and grants by it. */
export const invoicePurchaseRef = (invoiceId: string) => `invoice:${invoiceId}`;
export const packPurchaseRef = (paymentIntentOrSession: string) => `pi:${paymentIntentOrSession}`;

/** The payment an invoice names, in either API shape (null when the event does not say). */
export function invoicePaymentRef(inv: z.infer<typeof InvoiceSchema>): string | null {
  const listed = inv.payments?.data.map((p) => refId(p.payment.payment_intent) ?? refId(p.payment.charge)).find((x) => !!x);
  return refId(inv.payment_intent) ?? listed ?? refId(inv.charge) ?? null;
}

/** The cash facts of one event; [] for events that move no money. Unreadable payloads throw (a fault to look at). */
export function cashFacts(event: StripeEventEnvelope): CashFact[] {
  const object = event.data.object;
  switch (event.type) {
    // A pack paid by bank debit completes unpaid; its money arrives with `async_payment_succeeded` (paid, the same session).
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const s = CheckoutSchema.parse(object);
      if (s.mode !== "payment" || s.payment_status !== "paid") return [];
      // Older local-mode events did not carry the amount: the pack's price is what it charged.
      const amountCents = s.amount_total ?? packById(s.metadata?.packId ?? "")?.priceCents ?? 0;
      const pi = refId(s.payment_intent);
      if (amountCents <= 0) return [];
      const taxCents = Math.max(0, Math.min(amountCents, s.total_details?.amount_tax ?? 0));
      return [{ kind: "payment", amountCents, taxCents, purchaseRef: packPurchaseRef(pi ?? s.id), cashRef: pi, invoiceId: null, customer: refId(s.customer), userId: s.metadata?.userId ?? null }];
    }
    case "invoice.paid": {
      const inv = InvoiceSchema.parse(object);
      const amountCents = inv.amount_paid ?? Math.max(0, inv.lines.data.reduce((sum, l) => sum + l.amount, 0));
      if (amountCents <= 0) return [];
      // What the credit is worth excludes tax (the wallet's paid value does too).
      const taxCents = inv.total_excluding_tax == null ? 0 : Math.max(0, amountCents - Math.max(0, inv.total_excluding_tax));
      return [{ kind: "payment", amountCents, taxCents, purchaseRef: invoicePurchaseRef(inv.id), cashRef: invoicePaymentRef(inv), invoiceId: inv.id, customer: refId(inv.customer), userId: null }];
    }
    case "charge.refunded": {
      const c = ChargeSchema.parse(object);
      return [{ kind: "refund", refundedTotalCents: c.amount_refunded, chargeRef: c.id, paymentIntent: refId(c.payment_intent), invoice: refId(c.invoice), customer: refId(c.customer) }];
    }
    case "charge.dispute.created": {
      const d = DisputeSchema.parse(object);
      // Inquiries (warning_*) take no money.
      if (d.status.startsWith("warning_")) return [];
      return [{ kind: "dispute_opened", amountCents: d.amount, disputeRef: d.id, chargeRef: refId(d.charge), paymentIntent: refId(d.payment_intent) }];
    }
    case "charge.dispute.closed": {
      const d = DisputeSchema.parse(object);
      if (d.status !== "won" && d.status !== "lost") return [];
      return [{ kind: d.status === "won" ? "dispute_won" : "dispute_lost", amountCents: d.amount, disputeRef: d.id, chargeRef: refId(d.charge), paymentIntent: refId(d.payment_intent) }];
    }
    default:
      return [];
  }
}

/** Event types whose money the books read (README, Deploy: subscribe the webhook endpoint to these). */
export const CASH_EVENT_TYPES = ["checkout.session.completed", "checkout.session.async_payment_succeeded", "invoice.paid", "charge.refunded", "charge.dispute.created", "charge.dispute.closed"] as const;
