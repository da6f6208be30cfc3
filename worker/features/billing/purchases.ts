import { and, eq, inArray } from "drizzle-orm";
import Stripe from "stripe";
import type { Db } from "../../../platform/db/client";
import { creditLedger } from "../../../platform/db/schema";
import { stripeFor } from "../../integrations/stripe/client";
import { studentByCustomer } from "./repo";

/** How a credit purchase is named in wallets: `pi:<payment intent>` for packs, `invoice:<invoice>` for plan months. */
export const purchaseRefs = (p: { paymentIntent?: string | null; invoice?: string | null; charge?: string | null }) =>
  [p.paymentIntent && `pi:${p.paymentIntent}`, p.invoice && `invoice:${p.invoice}`, p.charge && `charge:${p.charge}`].filter((x): x is string => !!x);

/**
 * Whose purchase a Stripe charge paid for, and every name the purchase may go by in their wallet. A dispute names
 * only the charge and its payment intent; a plan month is known by its invoice, which (in basil shapes) only the
 * invoice payments say, so Stripe is asked. The student is found from the wallets' D1 projection, or the customer
 * (the event's own, or the charge's, asked of Stripe).
 */
export async function purchaseOf(env: Env, db: Db, p: { paymentIntent: string | null; invoice: string | null; charge: string | null; customer?: string | null }) {
  let refs = purchaseRefs(p);
  let owner = await ownerOf(db, refs);
  const stripe = stripeFor(env);
  if (!owner && !p.invoice && p.paymentIntent && stripe) {
    const payments = await stripe.invoicePayments.list({ payment: { type: "payment_intent", payment_intent: p.paymentIntent }, limit: 1 });
    const paid = payments.data[0]?.invoice;
    const invoice = typeof paid === "string" ? paid : (paid?.id ?? null);
    if (invoice) {
      refs = purchaseRefs({ ...p, invoice });
      owner = await ownerOf(db, refs);
    }
  }
  const userId = owner ?? (await studentByCustomer(db, p.customer ?? (await payerOf(stripe, p.charge))));
  return userId && refs.length ? { userId, refs } : null;
}

/**
 * The customer who paid a charge, asked of Stripe: for a dispute (which names no customer) of a purchase the wallets'
 * D1 projection does not show yet, its grant still queued in the wallet's outbox. The wallet itself decides whether
 * the payment bought credit.
 */
async function payerOf(stripe: ReturnType<typeof stripeFor>, charge: string | null): Promise<string | null> {
  if (!stripe || !charge) return null;
  try {
    const c = await stripe.charges.retrieve(charge);
    return typeof c.customer === "string" ? c.customer : (c.customer?.id ?? null);
  } catch (e) {
    // A charge Stripe does not know paid for nothing here; any other failure is retried (Stripe redelivers).
    if (e instanceof Stripe.errors.StripeInvalidRequestError && e.code === "resource_missing") return null;
    throw e;
  }
}

const ownerOf = async (db: Db, refs: string[]) =>
  refs.length
    ? (await db.select({ userId: creditLedger.userId }).from(creditLedger).where(and(inArray(creditLedger.purchaseRef, refs), eq(creditLedger.kind, "grant"))).get())?.userId
    : undefined;
