import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { type AccountId, type Category, type JournalCash, type Transaction, type TxKind, isAccountId } from "../../domain/books";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import { booksCursors, journalLines, journalSources } from "../db/schema";

/**
 * The journal in D1 (domain/books for the rules). Each source event is posted in one D1 batch of plain inserts:
 * its `journal_sources` row and its lines land whole or not at all, and a second posting of the same event is
 * refused by the primary key — whatever the second computation would have said.
 */
export type Statement = Parameters<Db["batch"]>[0][number];

const lineRows = (tx: Transaction, postedAt: string) =>
  tx.lines.map((l, line) => ({
    txId: tx.id,
    line,
    kind: tx.kind,
    at: tx.at,
    account: l.account,
    amountCents: l.amountCents,
    memo: tx.memo,
    ref: l.ref ?? null,
    studentId: l.studentId ?? null,
    tutorId: l.tutorId ?? null,
    bookingId: l.bookingId ?? null,
    reservationId: l.reservationId ?? null,
    postedAt,
  }));

const isDuplicate = (e: unknown) => isUniqueViolation(e, "journal_sources") || isUniqueViolation(e, "journal_lines");

/**
 * Posts what source event `sourceId` says (`tx`; null when it moves no money) together with `alongside` (e.g. the
 * drain's cursor move) in one batch. "duplicate" when the event was handled before; `alongside` then runs alone.
 */
export async function postTransaction(
  db: Db,
  sourceId: string,
  tx: Transaction | null,
  alongside: Statement[] = [],
  now = new Date(),
): Promise<"posted" | "duplicate" | "nothing"> {
  if (tx && tx.id !== sourceId) throw new Error(`Transaction ${tx.id} posted as ${sourceId}.`);
  const at = now.toISOString();
  const statements: Statement[] = [
    db.insert(journalSources).values({ id: sourceId, kind: tx?.kind ?? "none", lines: tx?.lines.length ?? 0, postedAt: at }),
    ...(tx ? lineRows(tx, at).map((row) => db.insert(journalLines).values(row)) : []),
    ...alongside,
  ];
  try {
    await db.batch(statements as [Statement, ...Statement[]]);
    return tx ? "posted" : "nothing";
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    if (alongside.length) await db.batch(alongside as [Statement, ...Statement[]]);
    return "duplicate";
  }
}

export const isPosted = async (db: Db, sourceId: string) => !!(await db.select({ id: journalSources.id }).from(journalSources).where(eq(journalSources.id, sourceId)).get());

/** What is still "booked, not yet taught" for each reservation (credit balance of the account, as positive cents). */
export async function bookedCents(db: Db, reservationIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map(reservationIds.map((r) => [r, 0]));
  if (!reservationIds.length) return out;
  const rows = await db
    .select({ reservationId: journalLines.reservationId, sum: sql<number>`sum(${journalLines.amountCents})` })
    .from(journalLines)
    .where(and(eq(journalLines.account, "booked_sessions"), inArray(journalLines.reservationId, [...reservationIds])))
    .groupBy(journalLines.reservationId)
    .all();
  for (const r of rows) if (r.reservationId) out.set(r.reservationId, -r.sum || 0);
  return out;
}

/** Cash already posted out for refunds of a charge (positive cents): Stripe reports refunds as a running total. */
export async function refundedCents(db: Db, chargeRef: string): Promise<number> {
  const row = await db
    .select({ sum: sql<number>`coalesce(sum(${journalLines.amountCents}), 0)` })
    .from(journalLines)
    .where(and(eq(journalLines.account, "stripe_cash"), eq(journalLines.kind, "refund"), eq(journalLines.ref, chargeRef)))
    .get();
  return -(row?.sum ?? 0) || 0;
}

/** Whether a dispute's opening or closing was posted already (each moves money once). */
export const disputePosted = async (db: Db, disputeRef: string, kinds: TxKind[]) =>
  !!(await db
    .select({ t: journalLines.txId })
    .from(journalLines)
    .where(and(eq(journalLines.ref, disputeRef), eq(journalLines.account, "disputed_funds"), inArray(journalLines.kind, kinds)))
    .limit(1)
    .get());

// ───────────────────────── reports ─────────────────────────

export type AccountTotals = { account: AccountId; debitCents: number; creditCents: number; closingCents: number };

/** Per account: debits and credits posted in [from, to), and the sum of all its lines before `to`. */
export async function accountTotals(db: Db, from: string, to: string): Promise<AccountTotals[]> {
  const rows = await db
    .select({
      account: journalLines.account,
      debit: sql<number>`coalesce(sum(CASE WHEN ${journalLines.at} >= ${from} AND ${journalLines.amountCents} > 0 THEN ${journalLines.amountCents} END), 0)`,
      credit: sql<number>`coalesce(sum(CASE WHEN ${journalLines.at} >= ${from} AND ${journalLines.amountCents} < 0 THEN -${journalLines.amountCents} END), 0)`,
      closing: sql<number>`sum(${journalLines.amountCents})`,
    })
    .from(journalLines)
    .where(lt(journalLines.at, to))
    .groupBy(journalLines.account)
    .all();
  return rows.flatMap((r) => (isAccountId(r.account) ? [{ account: r.account, debitCents: r.debit, creditCents: r.credit, closingCents: r.closing }] : []));
}

/** Transactions in [from, to) whose lines do not add up to zero, and how many transactions there are. */
export async function balanceCheck(db: Db, from: string, to: string) {
  const range = and(gte(journalLines.at, from), lt(journalLines.at, to));
  const [count, unbalanced] = await Promise.all([
    db.select({ n: sql<number>`count(DISTINCT ${journalLines.txId})` }).from(journalLines).where(range).get(),
    db.select({ txId: journalLines.txId, sum: sql<number>`sum(${journalLines.amountCents})` }).from(journalLines).where(range).groupBy(journalLines.txId).having(sql`sum(${journalLines.amountCents}) != 0`).limit(100).all(),
  ]);
  return { transactions: count?.n ?? 0, unbalanced };
}

const CATEGORY: Partial<Record<string, Category>> = {
  payment: "payment",
  refund: "refund",
  dispute_opened: "dispute",
  dispute_won: "dispute",
  payout: "transfer",
  payout_reversed: "transfer",
};

/** The journal's cash movements (lines of `stripe_cash`) in [from, to). */
export async function cashMovements(db: Db, from: string, to: string): Promise<JournalCash[]> {
  const rows = await db
    .select({ txId: journalLines.txId, at: journalLines.at, kind: journalLines.kind, ref: journalLines.ref, amountCents: journalLines.amountCents })
    .from(journalLines)
    .where(and(eq(journalLines.account, "stripe_cash"), gte(journalLines.at, from), lt(journalLines.at, to)))
    .all();
  return rows.flatMap((r) => {
    const category = CATEGORY[r.kind];
    return category && r.ref ? [{ txId: r.txId, at: r.at, category, ref: r.ref, amountCents: r.amountCents }] : [];
  });
}

/** "Payments not yet credited" per purchase, for purchases with a line in [from, to), counting all their lines before `settledBefore`. */
export async function clearingBalances(db: Db, from: string, to: string, settledBefore: string) {
  const rows = await db
    .select({ ref: journalLines.ref, balance: sql<number>`sum(${journalLines.amountCents})`, txIds: sql<string>`group_concat(${journalLines.txId}, ' ')` })
    .from(journalLines)
    .where(and(eq(journalLines.account, "payments_clearing"), lt(journalLines.at, settledBefore)))
    .groupBy(journalLines.ref)
    .having(sql`sum(${journalLines.amountCents}) != 0 AND max(${journalLines.at}) >= ${from} AND min(${journalLines.at}) < ${to}`)
    .limit(200)
    .all();
  return rows.map((r) => ({ ref: r.ref ?? "(no purchase)", balanceCents: r.balance, txIds: r.txIds.split(" ") }));
}

/** Sessions whose tutor earned more than their credit paid for, in [from, to). */
export const overruns = (db: Db, from: string, to: string) =>
  db
    .select({ txId: journalLines.txId, bookingId: journalLines.bookingId, amountCents: journalLines.amountCents })
    .from(journalLines)
    .where(and(eq(journalLines.account, "earning_overrun"), gte(journalLines.at, from), lt(journalLines.at, to)))
    .limit(100)
    .all();

// ───────────────────────── the drain's cursors and lease ─────────────────────────

export async function cursorOf(db: Db, source: string): Promise<number> {
  return (await db.select({ p: booksCursors.position }).from(booksCursors).where(eq(booksCursors.source, source)).get())?.p ?? 0;
}

/** Moves a source's cursor (a statement, to go in the same batch as what was posted from it). */
export const moveCursor = (db: Db, source: string, position: number, now = new Date()) =>
  db
    .insert(booksCursors)
    .values({ source, position, updatedAt: now.toISOString(), lastError: null })
    .onConflictDoUpdate({ target: booksCursors.source, set: { position: sql`max(${booksCursors.position}, ${position})`, updatedAt: now.toISOString(), lastError: null } });

export const noteError = (db: Db, source: string, error: string, now = new Date()) =>
  db
    .insert(booksCursors)
    .values({ source, position: 0, updatedAt: now.toISOString(), lastError: error.slice(0, 500) })
    .onConflictDoUpdate({ target: booksCursors.source, set: { updatedAt: now.toISOString(), lastError: error.slice(0, 500) } });

export const cursors = (db: Db) => db.select().from(booksCursors).all();

const LEASE = "lease";

/** Takes the drain's lease until `untilMs` unless another holder has it; true when taken. */
export async function takeLease(db: Db, holder: string, nowMs: number, untilMs: number): Promise<boolean> {
  await db.insert(booksCursors).values({ source: LEASE, position: 0, updatedAt: new Date(nowMs).toISOString() }).onConflictDoNothing();
  const taken = await db
    .update(booksCursors)
    .set({ position: untilMs, holder, updatedAt: new Date(nowMs).toISOString() })
    .where(and(eq(booksCursors.source, LEASE), sql`(${booksCursors.position} < ${nowMs} OR ${booksCursors.holder} = ${holder})`))
    .returning({ holder: booksCursors.holder });
  return taken.length === 1;
}

export const releaseLease = (db: Db, holder: string) =>
  db.update(booksCursors).set({ position: 0 }).where(and(eq(booksCursors.source, LEASE), eq(booksCursors.holder, holder)));
