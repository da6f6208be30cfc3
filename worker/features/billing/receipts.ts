import { z } from "zod";
import { type PurchasedItem, packById, purchasedItem } from "../../../domain/billing";
import { getDb } from "../../../platform/db/client";
import { stripeFor } from "../../integrations/stripe/client";
import { itemForPrice } from "../../integrations/stripe/prices";
import { InvoiceSchema, lineIsProration, linePriceId } from "../../integrations/stripe/shapes";
import { notFound } from "../../lib/errors";
import { accountOf } from "../../lib/stubs";
import { customerOf } from "./repo";

/** One line of a student's billing history: a Stripe invoice, a Stripe payment, or a purchase in local payment mode. */
export type Receipt = {
  id: string;
  source: "invoice" | "payment" | "local";
  /** Stripe's invoice number, when it has one. */
  number: string | null;
  item: PurchasedItem;
  /** Credit-minutes it bought (local receipts; Stripe's documents do not say). */
  minutes: number | null;
  amountCents: number;
  taxCents: number;
  currency: string;
  status: string;
  at: string;
  /** Stripe's hosted invoice page or the payment's receipt; a local receipt's page in this app. */
  url: string | null;
};

const Id = z.string().min(1);
const Meta = z.record(z.string(), z.string()).nullish();
/** What a receipt needs of an invoice beyond what the webhook reads (shapes.ts). */
const ReceiptInvoiceSchema = InvoiceSchema.extend({
  number: z.string().nullish(),
  status: z.string().nullish(),
  created: z.number().int(),
  currency: z.string(),
  total: z.number().int().nullish(),
  hosted_invoice_url: z.string().nullish(),
});
const PaymentIntentSchema = z
  .object({
    id: Id,
    status: z.string(),
    created: z.number().int(),
    currency: z.string(),
    amount: z.number().int(),
    amount_received: z.number().int().nullish(),
    metadata: Meta,
    latest_charge: z.union([Id, z.object({ id: Id, receipt_url: z.string().nullish() }).loose()]).nullish(),
  })
  .loose();
const ListOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) }).loose();

const iso = (sec: number) => new Date(sec * 1000).toISOString();
/** Only links to Stripe's own pages are passed on (a stored or relayed URL is never trusted to be one). */
const stripeUrl = (url: string | null | undefined) => (url && /^https:\/\/[\w.-]+\.stripe\.(com|test)\//.test(url) ? url : null);

/** A plan invoice as a receipt: its plan (or an upgrade), the tax Stripe added, and its hosted page. */
function fromInvoice(env: Env, raw: unknown): Receipt | null {
  const inv = ReceiptInvoiceSchema.parse(raw);
  if (inv.status === "draft" || inv.status === "void") return null;
  const total = inv.total ?? inv.amount_paid ?? 0;
  const plan = inv.lines.data.map((l) => itemForPrice(env, linePriceId(l))).find((x) => x?.kind === "plan");
  const upgrade = inv.billing_reason === "subscription_update" || inv.lines.data.some(lineIsProration);
  return {
    id: inv.id,
    source: "invoice",
    number: inv.number ?? null,
    item: upgrade ? { kind: "upgrade" } : plan?.kind === "plan" ? { kind: "plan", id: plan.plan.id, name: plan.plan.name } : { kind: "credit" },
    minutes: null,
    amountCents: total,
    taxCents: Math.max(0, total - (inv.total_excluding_tax ?? total)),
    currency: inv.currency,
    status: inv.status ?? "open",
    at: iso(inv.created),
    url: stripeUrl(inv.hosted_invoice_url),
  };
}

/** A one-time pack's payment as a receipt (subscriptions are invoiced; packs are paid at Checkout). */
function fromPayment(raw: unknown): Receipt | null {
  const pi = PaymentIntentSchema.parse(raw);
  const pack = pi.metadata?.packId ? packById(pi.metadata.packId) : undefined;
  if (!pack || pi.status !== "succeeded") return null;
  const charge = typeof pi.latest_charge === "object" ? pi.latest_charge : null;
  const amount = pi.amount_received ?? pi.amount;
  return {
    id: pi.id,
    source: "payment",
    number: null,
    item: { kind: "pack", id: pack.id, name: pack.name },
    minutes: pack.minutes,
    amountCents: amount,
    taxCents: Math.max(0, amount - pack.priceCents),
    currency: pi.currency,
    status: "paid",
    at: iso(pi.created),
    url: stripeUrl(charge?.receipt_url),
  };
}

/** Local payment mode: each paid lot in the wallet is a purchase, with its own receipt page (no tax is charged here). */
const fromLot = (l: Awaited<ReturnType<ReturnType<typeof accountOf>["purchasesMade"]>>[number]): Receipt => ({
  id: l.id,
  source: "local",
  number: null,
  item: purchasedItem(l.reason),
  minutes: l.minutes,
  amountCents: l.paidCents,
  taxCents: 0,
  currency: "usd",
  status: "paid",
  at: l.createdAt,
  url: `/billing/receipts/${l.id}`,
});

/**
 * The student's receipts and invoices, newest first: in Stripe mode, their customer's invoices (hosted invoice
 * pages) and pack payments (Stripe receipts), asked of Stripe; in local payment mode, the purchases in their wallet.
 */
export async function receiptsOf(env: Env, userId: string): Promise<Receipt[]> {
  const stripe = stripeFor(env);
  if (!stripe) return (await accountOf(env, userId).purchasesMade({ studentId: userId, now: Date.now() })).map(fromLot);
  const customer = await customerOf(getDb(env), userId);
  if (!customer) return [];
  const [invoices, payments] = await Promise.all([
    stripe.invoices.list({ customer, limit: 100 }),
    stripe.paymentIntents.list({ customer, limit: 100, expand: ["data.latest_charge"] }),
  ]);
  const all = [...ListOf(z.unknown()).parse(invoices).data.map((i) => fromInvoice(env, i)), ...ListOf(z.unknown()).parse(payments).data.map(fromPayment)];
  return all.filter((r): r is Receipt => r !== null).sort((a, b) => b.at.localeCompare(a.at));
}

/** One local receipt of the student's (404 for anyone else's, and in Stripe mode, where Stripe's pages are the receipts). */
export async function localReceipt(env: Env, userId: string, id: string): Promise<Receipt> {
  if (stripeFor(env)) throw notFound("That receipt");
  const lot = (await accountOf(env, userId).purchasesMade({ studentId: userId, now: Date.now() })).find((l) => l.id === id);
  if (!lot) throw notFound("That receipt");
  return fromLot(lot);
}
