import { z } from "zod";
import { TOKEN_TTL_MS } from "./tokens";

/**
 * How long an unconfirmed account is left alone: the life of its confirmation link. Until then whoever signed up may
 * still open it; after it, with no link of the account's still open, nobody has come back for it.
 */
const ABANDONED_AFTER_MS = TOKEN_TTL_MS.verify_email;

/**
 * What makes an unconfirmed account (`u`) abandoned at `?1` (now less `ABANDONED_AFTER_MS`) and `?2` (now): made
 * before `?1`, no link of it still open (a confirmation it asked for again, a password reset the inbox's owner asked
 * for), no session of it used since `?1` (nobody is deleted while using the account), and nothing in it that a person
 * made: no sessions booked or taught, no credit, purchase, plan or payment card, no conversation, no tutor profile past
 * the signup's (a saved profile always has subjects), no weekly hours or calendars, no payout account or earnings, no
 * feed or notification settings chosen, no learning goals, and no admin action on it. A review, a session's record
 * or attendance, the books' lines and a report all hang off a booking or a conversation, so those cover them.
 * Each test is a lookup on an index of its table. When in doubt the account stays: it only costs a place on its address.
 */
const ABANDONED = `
  u.email_verified_at IS NULL AND u.status = 'active' AND u.role IN ('student', 'tutor') AND u.created_at < ?1
  AND NOT EXISTS (SELECT 1 FROM account_tokens t WHERE t.user_id = u.id AND t.used_at IS NULL AND t.expires_at > ?2)
  AND NOT EXISTS (SELECT 1 FROM auth_sessions s WHERE s.user_id = u.id AND coalesce(s.last_seen_at, s.created_at) >= ?1)
  AND NOT EXISTS (SELECT 1 FROM students st WHERE st.user_id = u.id AND (st.learning_goals IS NOT NULL OR st.stripe_customer_id IS NOT NULL))
  AND NOT EXISTS (
    SELECT 1 FROM tutor_profiles p WHERE p.user_id = u.id
      AND (p.bio != '' OR p.approved_at IS NOT NULL OR p.photo_version IS NOT NULL OR p.intro_video_url IS NOT NULL OR p.offers_trials OR p.flagged OR p.rating_count > 0)
  )
  AND NOT EXISTS (SELECT 1 FROM tutor_subjects x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM tutor_weekly_windows x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM bookings x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM booking_participants x WHERE x.student_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM waitlist_entries x WHERE x.student_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM credit_ledger x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM credit_disputes x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM checkout_sessions x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM subscription_pauses x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM card_fingerprints x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM conversations x WHERE x.student_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM conversations x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM payout_accounts x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM earnings x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM payouts x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM reliability_events x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM calendly_links x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM external_calendars x WHERE x.tutor_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM calendar_feeds x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM notification_settings x WHERE x.user_id = u.id)
  AND NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.target_id = u.id)`;

const Deleted = z.array(z.object({ id: z.string() }));

/**
 * Deletes up to `limit` abandoned unconfirmed accounts (`ABANDONED`), those on `email` only when it is given, and
 * returns their ids. One DELETE that tests every condition as it deletes, so an account that just took a link, a
 * session or a purchase is not deleted on an older look. What hangs off an account by a foreign key (its sessions and
 * their push subscriptions, links, role's row, feed renders) goes with it (ON DELETE CASCADE); its inbox, emails and
 * idempotency keys, which name it without one, go next. The daily job runs this for every address; a signup that
 * finds its address full runs it for that address, so the inbox's owner never waits for the night.
 */
export async function deleteAbandonedAccounts(d1: D1Database, now: number, opts: { email?: string; limit: number }): Promise<string[]> {
  const byAddress = opts.email === undefined ? "" : "AND u.email = ?4";
  const binds = [new Date(now - ABANDONED_AFTER_MS).toISOString(), new Date(now).toISOString(), opts.limit, ...(opts.email === undefined ? [] : [opts.email])];
  const res = await d1.prepare(`DELETE FROM users WHERE id IN (SELECT u.id FROM users u WHERE ${ABANDONED} ${byAddress} LIMIT ?3) RETURNING id`).bind(...binds).all();
  const ids = Deleted.parse(res.results).map((r) => r.id);
  if (!ids.length) return ids;
  const named = (table: string) => d1.prepare(`DELETE FROM ${table} WHERE user_id IN (SELECT value FROM json_each(?1))`).bind(JSON.stringify(ids));
  await d1.batch([named("notifications"), named("email_outbox"), named("idempotency_keys")]);
  return ids;
}
