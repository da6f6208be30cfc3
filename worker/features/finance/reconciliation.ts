import { and, eq, gte, like, lt } from "drizzle-orm";
import type Stripe from "stripe";
import { z } from "zod";
import { type Category, type StripeMovement } from "../../../domain/books";
import { getDb } from "../../../platform/db/client";
import { payouts, webhookEvents } from "../../../platform/db/schema";
import { isLocalPaymentMode, stripeFor } from "../../integrations/stripe/client";
import { StripeEventSchema } from "../../integrations/stripe/shapes";
import { cashFacts } from "./stripeCash";

/**
 * Stripe's side of the reconciliation, as movements: the balance transactions listed through the SDK, or — in
 * local payment mode — the local mode's own records (the events it sent itself and the transfers it "made").
 */
export type StripeSide =
  | { source: "stripe" | "local"; movements: StripeMovement[]; feesCents: number; outOfScope: { count: number; cents: number }; truncated: boolean }
  | { source: "unavailable"; reason: string };

const MAX_PAGES = 50;
const sec = (d: Date) => Math.floor(d.getTime() / 1000);

/** Balance transaction types the journal records, and what each is. Others (payouts to our bank, fees…) are out of scope. */
const CATEGORY_OF_TYPE: Record<string, Category> = {
  charge: "payment",
  payment: "payment",
  refund: "refund",
  payment_refund: "refund",
  refund_failure: "refund",
  transfer: "transfer",
  transfer_cancel: "transfer",
  transfer_failure: "transfer",
  transfer_refund: "transfer",
};

const Ref = z.union([z.string(), z.object({ id: z.string() }).loose()]).nullish();
const refOf = (r: z.infer<typeof Ref>) => (typeof r === "string" ? r : (r?.id ?? null));
/** The expanded source object: its id, and the ids it belongs to. */
const SourceSchema = z.object({ id: z.string(), object: z.string(), payment_intent: Ref, charge: Ref, invoice: Ref }).loose();

function movementOf(t: Stripe.BalanceTransaction): StripeMovement | null {
  const source = t.source === null ? null : typeof t.source === "string" ? { id: t.source, object: "" } : SourceSchema.parse(t.source);
  if (!source) return null;
  // A dispute's withdrawal and reinstatement are "adjustment" transactions whose source is the dispute.
  const category = t.type === "adjustment" && (source.object === "dispute" || source.id.startsWith("dp_")) ? "dispute" : CATEGORY_OF_TYPE[t.type];
  if (!category) return null;
  const related = "payment_intent" in source ? [refOf(source.payment_intent), refOf(source.charge), refOf(source.invoice)] : [];
  return {
    id: t.id,
    at: new Date(t.created * 1000).toISOString(),
    category,
    source: source.id,
    keys: [source.id, ...related.filter((k): k is string => !!k)],
    amountCents: t.amount,
    feeCents: t.fee,
  };
}

async function fromStripe(stripe: Stripe, from: Date, to: Date): Promise<StripeSide> {
  const movements: StripeMovement[] = [];
  let feesCents = 0;
  const outOfScope = { count: 0, cents: 0 };
  let seen = 0;
  let truncated = false;
  for await (const t of stripe.balanceTransactions.list({ created: { gte: sec(from), lt: sec(to) }, limit: 100, expand: ["data.source"] })) {
    if (++seen > MAX_PAGES * 100) {
      truncated = true;
      break;
    }
    const m = movementOf(t);
    if (m) {
      movements.push(m);
      feesCents += m.feeCents;
    } else {
      outOfScope.count++;
      outOfScope.cents += t.amount;
    }
  }
  return { source: "stripe", movements, feesCents, outOfScope, truncated };
}

/** Local payment mode: what its own events and transfers say moved. */
async function fromLocalRecords(env: Env, from: Date, to: Date): Promise<StripeSide> {
  const db = getDb(env);
  const range = (col: typeof webhookEvents.createdAt | typeof payouts.updatedAt) => and(gte(col, from.toISOString()), lt(col, to.toISOString()));
  const [events, transfers] = await Promise.all([
    db.select().from(webhookEvents).where(and(eq(webhookEvents.provider, "stripe"), like(webhookEvents.id, "stripe:evt_local_%"), range(webhookEvents.createdAt))).orderBy(webhookEvents.createdAt).all(),
    db.select().from(payouts).where(and(eq(payouts.status, "paid"), like(payouts.transferId, "tr_local_%"), range(payouts.updatedAt))).all(),
  ]);
  const movements: StripeMovement[] = [];
  const refunded = new Map<string, number>();
  for (const row of events) {
    const event = StripeEventSchema.parse(JSON.parse(row.payload));
    const at = new Date(event.created * 1000).toISOString();
    for (const f of cashFacts(event)) {
      if (f.kind === "payment") {
        const keys = [f.cashRef ?? f.purchaseRef, f.purchaseRef];
        movements.push({ id: row.id, at, category: "payment", source: f.purchaseRef, keys, amountCents: f.amountCents, feeCents: 0 });
      } else if (f.kind === "refund") {
        const before = refunded.get(f.chargeRef) ?? 0;
        refunded.set(f.chargeRef, Math.max(before, f.refundedTotalCents));
        const amount = f.refundedTotalCents - before;
        if (amount > 0) movements.push({ id: row.id, at, category: "refund", source: f.chargeRef, keys: [f.chargeRef, ...(f.paymentIntent ? [f.paymentIntent] : [])], amountCents: -amount, feeCents: 0 });
      } else if (f.kind !== "dispute_lost") {
        const amount = f.kind === "dispute_opened" ? -f.amountCents : f.amountCents;
        movements.push({ id: row.id, at, category: "dispute", source: f.disputeRef, keys: [f.disputeRef], amountCents: amount, feeCents: 0 });
      }
    }
  }
  for (const p of transfers) {
    movements.push({ id: p.transferId!, at: p.updatedAt, category: "transfer", source: p.transferId!, keys: [p.transferId!], amountCents: -p.amountCents, feeCents: 0 });
  }
  return { source: "local", movements, feesCents: 0, outOfScope: { count: 0, cents: 0 }, truncated: false };
}

export async function stripeSide(env: Env, from: Date, to: Date): Promise<StripeSide> {
  const stripe = stripeFor(env);
  if (stripe) return fromStripe(stripe, from, to);
  if (isLocalPaymentMode(env)) return fromLocalRecords(env, from, to);
  return { source: "unavailable", reason: "Payments are not configured on this server." };
}
