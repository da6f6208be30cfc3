import { type RetentionRule, retentionCutoff } from "../../domain/retention";
import { log } from "../../platform/log";
import { deleteAbandonedAccounts } from "../features/auth/abandoned";

/**
 * One delete per rule: a table, the condition (with `?1`, the rule's cutoff) its old rows meet. Rows go in
 * batches (by rowid, so each statement stays small) until none is left or the run's budget is spent; what is
 * left goes the next day.
 */
const RULES: { rule: RetentionRule; table: string; where: string; ms?: true }[] = [
  // `at` is UTC ms here (the throttle compares numbers).
  { rule: "loginAttempts", table: "login_attempts", where: "at < ?1", ms: true },
  { rule: "accountTokens", table: "account_tokens", where: "expires_at < ?1" },
  { rule: "adminInvitations", table: "admin_invitations", where: "expires_at < ?1" },
  { rule: "idempotencyKeys", table: "idempotency_keys", where: "created_at < ?1" },
  { rule: "webhookEvents", table: "webhook_events", where: "received_at < ?1" },
  { rule: "notifications", table: "notifications", where: "created_at < ?1" },
  // An email dropped unsent (its sender suspended while it waited) goes with the sent ones: nobody asks after its delivery.
  { rule: "sentEmail", table: "email_outbox", where: "status IN ('sent', 'dropped') AND created_at < ?1" },
  { rule: "failedEmail", table: "email_outbox", where: "status = 'failed' AND created_at < ?1" },
  { rule: "expiredSessions", table: "auth_sessions", where: "expires_at < ?1" },
  { rule: "abandonedCheckouts", table: "checkout_sessions", where: "status = 'open' AND created_at < ?1" },
  { rule: "closedReports", table: "conversation_reports", where: "status != 'open' AND resolved_at < ?1" },
];

/**
 * D1 tables no rule prunes by age, and why: records the books or the product need for as long as the account
 * (or the thing) exists, or tables that do not grow on their own. A table in neither list fails
 * test/worker/retention.test.ts, so a new table gets a rule or a reason.
 */
export const KEPT: Record<string, string> = {
  users: "the account itself (deleted or anonymised when its owner leaves; an unconfirmed one nobody came back for, holding nothing, goes below)",
  students: "one row per student",
  tutor_profiles: "one row per tutor",
  tutor_subjects: "a tutor's subjects",
  tutor_weekly_windows: "a tutor's weekly hours, replaced on each edit",
  app_meta: "a few keys",
  cron_runs: "one row per job",
  audit_log: "the record of every admin action: kept as long as the books it may explain",
  bookings: "sessions taught and booked: the record of service behind every charge and payout",
  booking_participants: "who was in each session (with bookings)",
  credit_ledger: "the books: every wallet entry (grant, spend, refund, expiry, clawback, freeze), projected from the students' objects",
  journal_lines: "the books: the double-entry journal",
  journal_sources: "the books: which events the journal has posted (with journal_lines)",
  books_cursors: "one row per source the books drain reads",
  credit_disputes: "the books: every chargeback of a credit purchase, with what it froze and took back",
  subscriptions: "one row per Stripe subscription",
  subscription_pauses: "at most one per subscription and billing period: what moved the renewal and the credit expiries",
  checkout_sessions: "completed checkouts are purchase records (abandoned ones are pruned)",
  payout_accounts: "one row per tutor",
  earnings: "the books: what each session earned its tutor",
  payouts: "the books: every transfer to a tutor",
  reliability_events: "a tutor's record, which their reliability score is computed from",
  reviews: "public reviews of tutors",
  session_records: "one row per session: its notes, summary and homework (kept with bookings)",
  session_attendance: "who joined each session: no-show decisions and disputes (kept with bookings)",
  calendar_feeds: "one row per user who rotated their feed",
  calendly_links: "one row per tutor",
  external_calendars: "at most five per tutor",
  conversations: "one row per student and tutor pair (messages live in its object, a year)",
  conversation_reports: "open reports are kept until closed (closed ones are pruned)",
  push_subscriptions: "removed with the session they were saved under, or when their push service answers 404 or 410",
  address_mails: "pruned as it is written: each new row deletes those past the hour that counts (worker/features/auth/addressMails.ts)",
  notification_settings: "one row per user",
  feed_renders: "one row per user with a feed, replaced by each render",
  card_fingerprints: "a few per paying user: what holds a tutor's earning when they pay themselves (kept with the account)",
  waitlist_entries: "a student's places in group waitlists: gone when they leave a line or their account goes; those of sessions that started go when they join another",
};

/** The tables the rules prune. */
export const PRUNED = [...new Set(RULES.map((r) => r.table))];

const BATCH = 1_000;
/** Accounts per delete: each takes its sessions, links and role's row with it. */
const ACCOUNTS_BATCH = 100;
/** Statements per run, over all rules (a backlog of years is worked off over a few days). */
const BUDGET = 200;

/**
 * The daily job: deletes what each rule says is past keeping, then the unconfirmed accounts nobody came back for
 * (worker/features/auth/abandoned.ts: their links expired, and they hold nothing), so strangers who signed up with an
 * address do not keep its place for ever. Returns how many rows each rule deleted (`abandonedAccounts`: accounts).
 */
export async function enforceRetention(env: Env, now: Date): Promise<Record<string, number>> {
  const deleted: Record<string, number> = {};
  let statements = 0;
  for (const { rule, table, where, ms } of RULES) {
    const cutoff = ms ? Date.parse(retentionCutoff(rule, now.getTime())) : retentionCutoff(rule, now.getTime());
    deleted[rule] = 0;
    while (statements++ < BUDGET) {
      const res = await env.DB.prepare(`DELETE FROM "${table}" WHERE rowid IN (SELECT rowid FROM "${table}" WHERE ${where} LIMIT ${BATCH})`).bind(cutoff).run();
      deleted[rule] += res.meta.changes;
      if (res.meta.changes < BATCH) break;
    }
  }
  deleted.abandonedAccounts = 0;
  while (statements++ < BUDGET) {
    const gone = await deleteAbandonedAccounts(env.DB, now.getTime(), { limit: ACCOUNTS_BATCH });
    deleted.abandonedAccounts += gone.length;
    if (gone.length < ACCOUNTS_BATCH) break;
  }
  const total = Object.values(deleted).reduce((a, b) => a + b, 0);
  if (total) log.info("retention enforced", { deleted });
  return deleted;
}
