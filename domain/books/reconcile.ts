/**
 * Reconciliation: the journal's cash movements against Stripe's balance transactions (or, in local payment mode,
 * against the local mode's own records, in the same shape), plus the journal's own checks. Pure: both sides are
 * inputs, and every mismatch names the Stripe object(s) and the journal transaction(s) it is about.
 */

/** What a movement is, on either side; movements are compared within a category. */
export type Category = "payment" | "refund" | "dispute" | "transfer";

/** A `stripe_cash` line of the journal: positive in, negative out. */
export type JournalCash = { txId: string; at: string; category: Category; ref: string; amountCents: number };

/** A balance transaction: `keys` are its source object's id and the ids it belongs to (payment intent, charge, invoice). */
export type StripeMovement = { id: string; at: string; category: Category; source: string; keys: string[]; amountCents: number; feeCents: number };

export type Mismatch = {
  code: MismatchCode;
  /**
   * What the mismatch is about (a Stripe object, a purchase, a journal transaction or a session's id): with the
   * code and the amounts it is all a reader's sentence needs, so the console writes it in the admin's language.
   */
  subject: string;
  /** The same in English, for logs and other readers of the API. */
  message: string;
  /** The Stripe objects concerned: the balance transaction and the object it moved money for. */
  stripe: { id: string; source: string }[];
  /** The journal transactions concerned. */
  journal: string[];
  stripeCents: number | null;
  journalCents: number | null;
};

export const MISMATCH_CODES = ["missing_in_journal", "missing_at_stripe", "amount_differs", "payment_not_credited", "credit_without_payment", "unbalanced_transaction", "earning_overrun"] as const;
export type MismatchCode = (typeof MISMATCH_CODES)[number];

const cents = (n: number) => `${n < 0 ? "−" : ""}$${(Math.abs(n) / 100).toFixed(2)}`;

/** Groups the two sides by the ids they share (a payment with its refunds and disputes meets through its payment intent). */
function components(journal: readonly JournalCash[], stripe: readonly StripeMovement[]) {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let p = parent.get(k) ?? k;
    if (p !== k) parent.set(k, (p = find(p)));
    return p;
  };
  const union = (a: string, b: string) => parent.set(find(a), find(b));
  for (const s of stripe) for (const k of s.keys) union(k, s.keys[0]!);
  return (key: string) => find(key);
}

/**
 * Compares cash per group and category. `inPeriod` says which movements belong to the period asked for; both
 * sides should be read a little wider than it (Stripe's time and ours differ by seconds), and a group is
 * reported only when one of its movements falls inside.
 */
export function reconcileCash(journal: readonly JournalCash[], stripe: readonly StripeMovement[], inPeriod: (at: string) => boolean): Mismatch[] {
  const groupOf = components(journal, stripe);
  type Bucket = { journal: JournalCash[]; stripe: StripeMovement[] };
  const buckets = new Map<string, Bucket>();
  const bucket = (key: string, category: Category) => {
    const id = `${groupOf(key)}|${category}`;
    let b = buckets.get(id);
    if (!b) buckets.set(id, (b = { journal: [], stripe: [] }));
    return b;
  };
  for (const j of journal) bucket(j.ref, j.category).journal.push(j);
  for (const s of stripe) bucket(s.keys[0]!, s.category).stripe.push(s);

  const out: Mismatch[] = [];
  for (const b of buckets.values()) {
    if (!b.journal.some((j) => inPeriod(j.at)) && !b.stripe.some((s) => inPeriod(s.at))) continue;
    const journalCents = b.journal.reduce((s, j) => s + j.amountCents, 0);
    const stripeCents = b.stripe.reduce((s, x) => s + x.amountCents, 0);
    if (journalCents === stripeCents) continue;
    const objects = b.stripe.map((s) => ({ id: s.id, source: s.source }));
    const txs = [...new Set(b.journal.map((j) => j.txId))];
    const what = b.stripe[0]?.source ?? b.journal[0]!.ref;
    if (!b.journal.length) {
      out.push({ code: "missing_in_journal", subject: what, message: `Stripe moved ${cents(stripeCents)} for ${what}; the journal has no transaction for it.`, stripe: objects, journal: [], stripeCents, journalCents: null });
    } else if (!b.stripe.length) {
      out.push({ code: "missing_at_stripe", subject: what, message: `The journal moved ${cents(journalCents)} for ${what}; Stripe has no balance transaction for it.`, stripe: [], journal: txs, stripeCents: null, journalCents });
    } else {
      out.push({ code: "amount_differs", subject: what, message: `${what}: Stripe moved ${cents(stripeCents)}, the journal ${cents(journalCents)}.`, stripe: objects, journal: txs, stripeCents, journalCents });
    }
  }
  return out.sort((a, b) => a.message.localeCompare(b.message));
}

/** A purchase's "payments not yet credited" balance: money in and credit granted should cancel out. */
export type ClearingBalance = { ref: string; balanceCents: number; txIds: string[] };

export function reconcileClearing(balances: readonly ClearingBalance[]): Mismatch[] {
  return balances
    .filter((b) => b.balanceCents !== 0)
    .map((b) =>
      // The clearing account is a liability: a credit balance (< 0) is money received and not yet credited.
      b.balanceCents < 0
        ? { code: "payment_not_credited" as const, subject: b.ref, message: `${b.ref}: ${cents(-b.balanceCents)} paid that no credit was granted for.`, stripe: [], journal: b.txIds, stripeCents: null, journalCents: -b.balanceCents }
        : { code: "credit_without_payment" as const, subject: b.ref, message: `${b.ref}: credit worth ${cents(b.balanceCents)} granted without a payment received.`, stripe: [], journal: b.txIds, stripeCents: null, journalCents: b.balanceCents },
    );
}

/** A transaction whose lines do not add up to zero (posting refuses them; this catches rows written otherwise). */
export const unbalancedTransaction = (txId: string, sumCents: number): Mismatch => ({
  code: "unbalanced_transaction",
  subject: txId,
  message: `${txId}: lines add up to ${cents(sumCents)}, not zero.`,
  stripe: [],
  journal: [txId],
  stripeCents: null,
  journalCents: sumCents,
});

/** A session whose tutor earns more than its credit paid for (revenue less commission, promotional value less commission). */
export const earningOverrun = (txId: string, bookingId: string, overrunCents: number): Mismatch => ({
  code: "earning_overrun",
  subject: bookingId,
  message: `Session ${bookingId}: the tutor earns ${cents(overrunCents)} more than its credit paid for.`,
  stripe: [],
  journal: [txId],
  stripeCents: null,
  journalCents: overrunCents,
});
