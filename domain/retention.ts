import { CLOSED_REPORT_RETENTION_MS } from "./messaging/retention";

const DAY_MS = 86_400_000;

/**
 * How long records that only ever grow are kept, in days; the daily job (worker/jobs/retention.ts) deletes what
 * is older. The numbers are what each record is still good for, and no longer: README → Security lists them.
 */
export const RETENTION_DAYS = {
  /** Failed sign-ins (successful ones delete their rows): the throttle looks back an hour; a month serves an abuse investigation. */
  loginAttempts: 30,
  /** Mailed links (password reset, address confirmation): a week after they expired, for "my link did not work". */
  accountTokens: 7,
  /** Admin invitations: a month after they expired or were accepted (the audit log keeps who invited whom). */
  adminInvitations: 30,
  /** A retry comes within minutes (clients give up after a day); a week covers any honest retry. */
  idempotencyKeys: 7,
  /** Webhook deliveries: providers retry for 3 days and events can be fetched back for 30; the console shows 90. */
  webhookEvents: 90,
  /** The in-app inbox: half a year of notices; the sessions and money they were about are kept elsewhere. */
  notifications: 180,
  /** Sent email (with its text, which may hold a sign-in or reset link): a month for delivery questions. */
  sentEmail: 30,
  /** Email that failed for good: three months to see a pattern of failures. */
  failedEmail: 90,
  /** Signed-in sessions: deleted once expired; nothing can use them any more. */
  expiredSessions: 0,
  /** Checkouts never completed (Stripe expires them after a day): a month, for support questions. */
  abandonedCheckouts: 30,
  /** Closed reports of conversations (domain/messaging/retention.ts). */
  closedReports: CLOSED_REPORT_RETENTION_MS / DAY_MS,
} as const;

export type RetentionRule = keyof typeof RETENTION_DAYS;

/** The instant (ISO, UTC) before which a rule's records are deleted at `now`. */
export const retentionCutoff = (rule: RetentionRule, now: number): string => new Date(now - RETENTION_DAYS[rule] * DAY_MS).toISOString();
