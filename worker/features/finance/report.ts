import { ACCOUNTS, ACCOUNT_IDS, type Mismatch, earningOverrun, reconcileCash, reconcileClearing, shownBalance, unbalancedTransaction } from "../../../domain/books";
import { accountTotals, balanceCheck, cashMovements, clearingBalances, cursors, overruns } from "../../../platform/books/journal";
import { getDb } from "../../../platform/db/client";
import { log } from "../../../platform/log";
import { postPending } from "./posting";
import { stripeSide } from "./reconciliation";

/** Movements are matched over the period widened by this much: Stripe's clock and ours differ by seconds. */
const MATCH_MARGIN_MS = 2 * 86_400_000;
/** A payment is expected to be credited within this long; younger ones are not yet a mismatch. */
const CREDIT_GRACE_MS = 15 * 60_000;

/**
 * The finance report for [from, to): per account the period's debits and credits and the closing balance,
 * the balance check (every transaction adds up to zero), and the reconciliation against Stripe (or the local
 * mode's records) with every mismatch. Posts what is pending first, so the report is current.
 */
export async function financeReport(env: Env, from: string, to: string, now = new Date()) {
  const db = getDb(env);
  const posting = await postPending(env, now);
  const [totals, check] = await Promise.all([accountTotals(db, from, to), balanceCheck(db, from, to)]);
  const byAccount = new Map(totals.map((t) => [t.account, t]));
  const accounts = ACCOUNT_IDS.map((id) => {
    const t = byAccount.get(id);
    const debitCents = t?.debitCents ?? 0;
    const creditCents = t?.creditCents ?? 0;
    return {
      account: id,
      ...ACCOUNTS[id],
      debitCents,
      creditCents,
      /** The period's change as the account is read (positive = it grew). */
      changeCents: shownBalance(id, debitCents - creditCents),
      closingCents: shownBalance(id, t?.closingCents ?? 0),
    };
  });
  const debitCents = accounts.reduce((s, a) => s + a.debitCents, 0);
  const creditCents = accounts.reduce((s, a) => s + a.creditCents, 0);
  return {
    from,
    to,
    accounts,
    check: { transactions: check.transactions, debitCents, creditCents, balanced: debitCents === creditCents && !check.unbalanced.length },
    reconciliation: await reconcile(env, from, to, now, check.unbalanced),
    posting: {
      postedNow: posting.posted,
      sources: (await cursors(db)).filter((c) => c.source !== "lease").map((c) => ({ source: c.source, updatedAt: c.updatedAt, error: c.lastError })),
    },
  };
}

async function reconcile(env: Env, from: string, to: string, now: Date, unbalanced: { txId: string; sum: number }[]) {
  const db = getDb(env);
  const wideFrom = new Date(Date.parse(from) - MATCH_MARGIN_MS);
  const wideTo = new Date(Math.min(Date.parse(to) + MATCH_MARGIN_MS, now.getTime() + 60_000));
  const settledBefore = new Date(Math.min(Date.parse(to), now.getTime() - CREDIT_GRACE_MS)).toISOString();
  const inPeriod = (at: string) => at >= from && at < to;
  const own: Mismatch[] = [
    ...unbalanced.map((u) => unbalancedTransaction(u.txId, u.sum)),
    ...(await overruns(db, from, to)).map((o) => earningOverrun(o.txId, o.bookingId ?? "?", o.amountCents)),
    ...reconcileClearing(await clearingBalances(db, from, to, settledBefore)),
  ];
  let side;
  try {
    side = await stripeSide(env, wideFrom, wideTo);
  } catch (e) {
    log.error("finance: Stripe balance transactions unavailable", { error: String(e) });
    return { source: "stripe" as const, status: "failed" as const, error: "Stripe's balance transactions could not be read; try again.", feesCents: 0, mismatches: own };
  }
  if (side.source === "unavailable") return { source: side.source, status: "unavailable" as const, error: side.reason, feesCents: 0, mismatches: own };
  const journal = await cashMovements(db, wideFrom.toISOString(), wideTo.toISOString());
  return {
    source: side.source,
    status: side.truncated ? ("truncated" as const) : ("checked" as const),
    error: side.truncated ? "More balance transactions than one report reads: narrow the period." : null,
    /** Stripe's fees on the period's movements (not journaled: the journal keeps gross amounts). */
    feesCents: side.movements.filter((m) => inPeriod(m.at)).reduce((s, m) => s + m.feeCents, 0),
    outOfScope: side.outOfScope,
    mismatches: [...reconcileCash(journal, side.movements, inPeriod), ...own],
  };
}
