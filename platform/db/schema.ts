/**
 * The D1 data model, the one place tables are declared. `npm run db:generate` turns changes here into
 * a new SQL file under migrations/. Instants are ISO 8601 UTC strings (`toISOString()`), which sort
 * correctly as text; money is integer cents, credit amounts integer minutes.
 */
import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { LEDGER_KINDS } from "../../domain/credits/ledger";

const now = sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`;

/**
 * An account. An address belongs to the account that verified it: the unique index covers verified addresses
 * only, so signing up with an address already in use creates an unverified account that can never claim it
 * (and the signup's answer cannot tell whether the address was known). `status` is `suspended` while an admin
 * holds the account, `deleted` once its personal data was erased (the row stays for the books).
 */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    role: text("role", { enum: ["student", "tutor", "admin"] }).notNull(),
    timezone: text("timezone").notNull(),
    /** BCP 47 tag the app formats dates and numbers for (and, once it has catalogs, speaks). */
    locale: text("locale").notNull().default("en"),
    passwordHash: text("password_hash").notNull(),
    emailVerifiedAt: text("email_verified_at"),
    status: text("status", { enum: ["active", "suspended", "deleted"] }).notNull().default("active"),
    suspendedAt: text("suspended_at"),
    deletedAt: text("deleted_at"),
    /**
     * Counts the account's status changes (suspension, restore, deletion): each takes the next number in the statement
     * that makes it, and carries it to the objects it closes or reopens (the student's wallet, the tutor's calendar),
     * which ignore a change older than one they applied. So two admins racing end the objects where D1 ends.
     */
    statusVersion: integer("status_version").notNull().default(0),
    createdAt: text("created_at").notNull().default(now),
  },
  (t) => [
    uniqueIndex("users_verified_email_unique").on(t.email).where(sql`email_verified_at IS NOT NULL`),
    index("users_email").on(t.email),
  ],
);

/**
 * Only the SHA-256 of a session token is stored; the token itself lives in the cookie. `id` is the public
 * handle of a session (the signed-in devices list). A session slides to 30 days from its last use but never
 * past `absoluteExpiresAt` (90 days from sign-in).
 */
export const authSessions = sqliteTable(
  "auth_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    id: text("id"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    absoluteExpiresAt: text("absolute_expires_at"),
    lastSeenAt: text("last_seen_at"),
    /** The browser's User-Agent at sign-in (cut to 256 characters), to name the device. */
    userAgent: text("user_agent"),
  },
  (t) => [index("auth_sessions_user").on(t.userId), uniqueIndex("auth_sessions_id").on(t.id), index("auth_sessions_expires").on(t.expiresAt)],
);

/**
 * Sign-in attempts, one row per throttle key an attempt counted under (address, address + email, email).
 * An attempt is recorded before its password is checked, by one conditional INSERT, so parallel attempts are
 * counted exactly; a successful sign-in deletes its own rows. See worker/features/auth/throttle.ts.
 */
export const loginAttempts = sqliteTable(
  "login_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    attemptId: text("attempt_id").notNull(),
    /** UTC ms. */
    at: integer("at").notNull(),
  },
  (t) => [index("login_attempts_key_at").on(t.key, t.at), index("login_attempts_attempt").on(t.attemptId), index("login_attempts_at").on(t.at)],
);

/**
 * Emails sent to an address on an account's word, not its owner's (a signup's confirmation link or "you already
 * have an account", a change of address's link), one row each: counted per address across all accounts so nobody
 * can flood an inbox they do not own. The address is kept only as its SHA-256, and only for the hour that counts.
 * See worker/features/auth/addressMails.ts.
 */
export const addressMails = sqliteTable(
  "address_mails",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** SHA-256 (hex) of the recipient's address. */
    addressHash: text("address_hash").notNull(),
    /** UTC ms. */
    at: integer("at").notNull(),
  },
  (t) => [index("address_mails_address_at").on(t.addressHash, t.at), index("address_mails_at").on(t.at)],
);

/**
 * Single-use tokens sent by email (only their SHA-256 is stored): password reset, address verification and
 * address change (`email` is the address being verified).
 */
export const accountTokens = sqliteTable(
  "account_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["password_reset", "verify_email"] }).notNull(),
    email: text("email").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    usedAt: text("used_at"),
  },
  (t) => [index("account_tokens_user").on(t.userId, t.purpose, t.createdAt), index("account_tokens_expires").on(t.expiresAt)],
);

/** An admin's invitation of another admin: a single-use link (hashed here) that creates the account. */
export const adminInvitations = sqliteTable(
  "admin_invitations",
  {
    tokenHash: text("token_hash").primaryKey(),
    email: text("email").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: text("created_at").notNull(),
    expiresAt: text("expires_at").notNull(),
    acceptedAt: text("accepted_at"),
    acceptedUserId: text("accepted_user_id"),
  },
  (t) => [index("admin_invitations_email").on(t.email, t.createdAt), index("admin_invitations_expires").on(t.expiresAt)],
);

/** Every admin action: who did what to which record, with the request's body (credentials redacted). */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: text("at").notNull(),
    actorId: text("actor_id").notNull(),
    /** e.g. `users.suspend`, `tutors.approve`, `credits.adjust`. */
    action: text("action").notNull(),
    targetId: text("target_id"),
    detail: text("detail"),
    requestId: text("request_id"),
  },
  (t) => [index("audit_log_at").on(t.at), index("audit_log_target").on(t.targetId, t.at), index("audit_log_actor").on(t.actorId, t.at)],
);

export const tutorProfiles = sqliteTable(
  "tutor_profiles",
  {
    userId: text("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    bio: text("bio").notNull().default(""),
    hourlyRateCents: integer("hourly_rate_cents").notNull().default(3000),
    timezone: text("timezone").notNull(),
    approvedAt: text("approved_at"),
    approvedBy: text("approved_by"),
    ratingSum: integer("rating_sum").notNull().default(0),
    ratingCount: integer("rating_count").notNull().default(0),
    /** 0..1, 1 = fully reliable; recomputed from cancellations and no-shows. */
    reliability: real("reliability").notNull().default(1),
    flagged: integer("flagged", { mode: "boolean" }).notNull().default(false),
    /** When the tutor's photo (R2 `PHOTOS`, key `tutors/<id>`) was last replaced, in ms: its URL's version; null = none. */
    photoVersion: integer("photo_version"),
    /** An optional https YouTube or Vimeo link (domain/schemas/tutor.ts), shown as a link. */
    introVideoUrl: text("intro_video_url"),
    /** Offers a first 30-minute trial lesson at a reduced price (POLICY.trialMinutes, trialPercent). */
    offersTrials: integer("offers_trials", { mode: "boolean" }).notNull().default(false),
    updatedAt: text("updated_at").notNull().default(now),
  },
  (t) => [index("tutor_profiles_approved_rate").on(t.approvedAt, t.hourlyRateCents)],
);

export const tutorSubjects = sqliteTable(
  "tutor_subjects",
  {
    tutorId: text("tutor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tutorId, t.subject] }), index("tutor_subjects_subject").on(t.subject, t.tutorId)],
);

export const students = sqliteTable("students", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  stripeCustomerId: text("stripe_customer_id"),
  /** What the student wants to learn, in their words (shown to their tutors). */
  learningGoals: text("learning_goals"),
  createdAt: text("created_at").notNull().default(now),
});

/** Small key/value facts about this database (e.g. which demo seed version ran). */
export const appMeta = sqliteTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * A tutor's weekly availability as UTC minutes-of-week (0 = Monday 00:00 UTC), projected from their calendar
 * object for search: overlap with a student's preferred hours is a range query here.
 */
export const tutorWeeklyWindows = sqliteTable(
  "tutor_weekly_windows",
  {
    tutorId: text("tutor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    startMinute: integer("start_minute").notNull(),
    endMinute: integer("end_minute").notNull(),
  },
  (t) => [index("tutor_weekly_windows_range").on(t.startMinute, t.endMinute, t.tutorId), index("tutor_weekly_windows_tutor").on(t.tutorId)],
);

/**
 * Projection of bookings for listings and search. The tutor's TutorCalendar object is the source of truth;
 * a row is only replaced by one with a higher `sequence`, so late or repeated projections never move it back.
 */
export const bookings = sqliteTable(
  "bookings",
  {
    id: text("id").primaryKey(),
    tutorId: text("tutor_id").notNull(),
    kind: text("kind", { enum: ["one_on_one", "group"] }).notNull(),
    status: text("status", { enum: ["confirmed", "cancelled", "completed"] }).notNull(),
    source: text("source", { enum: ["app", "calendly"] }).notNull().default("app"),
    subject: text("subject").notNull(),
    startAt: text("start_at").notNull(),
    endAt: text("end_at").notNull(),
    seats: integer("seats").notNull().default(1),
    /** What one seat costs in credit-minutes. */
    creditsMinutes: integer("credits_minutes").notNull(),
    sequence: integer("sequence").notNull().default(0),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
    cancelledAt: text("cancelled_at"),
    cancelledBy: text("cancelled_by"),
    cancelReason: text("cancel_reason"),
    /** What the tutor earns for it (cents): fixed per seat when confirmed, settled by attendance once it is over. */
    tutorEarningCents: integer("tutor_earning_cents").notNull().default(0),
    /** How it was settled from attendance (domain/billing/settlement.ts), once it is over. */
    outcome: text("outcome", { enum: ["as_booked", "student_no_show", "ended_early", "not_attended", "tutor_no_show"] }),
    taughtMinutes: integer("taught_minutes"),
    /** A trial lesson (a student's first with this tutor, at the trial price). */
    trial: integer("trial", { mode: "boolean" }).notNull().default(false),
    /** A trial lesson the free plan's trial of the month paid: free to the student. */
    freeTrial: integer("free_trial", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [index("bookings_tutor_start").on(t.tutorId, t.startAt), index("bookings_status_start").on(t.status, t.startAt)],
);

export const bookingParticipants = sqliteTable(
  "booking_participants",
  {
    bookingId: text("booking_id").notNull(),
    studentId: text("student_id").notNull(),
    /** The id credits were spent under (the booking id for 1:1, a seat id for groups). */
    reservationId: text("reservation_id").notNull(),
    status: text("status", { enum: ["confirmed", "cancelled"] }).notNull(),
    creditsMinutes: integer("credits_minutes").notNull(),
    /** A week of a weekly series: the series (the seat is the week, so a group series has it per student). */
    seriesId: text("series_id"),
    /** A week of a series not paid yet: when its credits will be taken (null once paid, released or cancelled). */
    paymentDueAt: text("payment_due_at"),
    /** A cancelled seat the student gave up while the session went on (false for one cancelled with its session). */
    leftEarly: integer("left_early", { mode: "boolean" }).notNull().default(false),
    /**
     * A cancelled seat whose credit goes back to the student (refunded, or held for a replacement their tutor's
     * cancellation offered); false when the student cancelled too late to get it back (the books then count it as
     * revenue); null for a seat projected before this was kept.
     */
    refunded: integer("refunded", { mode: "boolean" }),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.studentId] }), index("booking_participants_student").on(t.studentId, t.bookingId)],
);

/**
 * The D1 projection of every student's credit ledger (see domain/credits/ledger.ts). The source of truth is the
 * student's StudentAccount object: it writes each entry here through its outbox, idempotently by entry id, after it
 * has answered. Read it for lists and reports across students (admin, books, expiry sweeps), never to decide a spend.
 */
export const creditLedger = sqliteTable(
  "credit_ledger",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: LEDGER_KINDS }).notNull(),
    minutes: integer("minutes").notNull(),
    /** Paid value moved with the minutes (cents); for a lot, what the student paid for all of it (0 for promo). */
    paidCents: integer("paid_cents").notNull().default(0),
    /** Lots only: who paid for the credit. */
    funding: text("funding", { enum: ["paid", "promo"] }),
    /** Lots only: the purchase (Stripe invoice / payment) the credit came from. */
    purchaseRef: text("purchase_ref"),
    lotId: text("lot_id"),
    expiresAt: text("expires_at"),
    /** The reservation a debit or refund belongs to; for clawbacks and freezes, the Stripe refund or dispute. */
    reservationId: text("reservation_id"),
    /** A lot's grant id (e.g. a Stripe invoice), unique per student in their object. */
    sourceRef: text("source_ref"),
    reason: text("reason"),
    actorId: text("actor_id"),
    /** The entry's position in its student's ledger. */
    seq: integer("seq"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [
    index("credit_ledger_user").on(t.userId, t.createdAt),
    index("credit_ledger_purchase").on(t.purchaseRef),
    index("credit_ledger_reservation").on(t.reservationId),
    index("credit_ledger_expiry").on(t.expiresAt),
    /** Rows no wallet has written yet: the ledger as the Worker kept it before wallets moved into the objects. */
    index("credit_ledger_legacy").on(t.userId).where(sql`seq IS NULL`),
  ],
);

/** A Stripe dispute (chargeback) of a credit purchase, projected for the admin console from the webhook events. */
export const creditDisputes = sqliteTable(
  "credit_disputes",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    chargeId: text("charge_id"),
    purchaseRef: text("purchase_ref").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    reason: text("reason"),
    /** Stripe's dispute status as last seen (needs_response, under_review, won, lost, ...). */
    status: text("status").notNull(),
    /** Credit-minutes of the purchase frozen when the dispute opened (its unspent credit then). */
    frozenMinutes: integer("frozen_minutes").notNull().default(0),
    /** Taken back as of the last event; GET /api/admin/disputes adds what the ledger took after (see credits/routes). */
    clawedBackMinutes: integer("clawed_back_minutes").notNull().default(0),
    openedAt: text("opened_at").notNull(),
    closedAt: text("closed_at"),
    /** Stripe `event.created` (seconds) of the newest event applied, so a late delivery cannot move it back. */
    lastEventAt: integer("last_event_at").notNull().default(0),
  },
  (t) => [index("credit_disputes_opened").on(t.openedAt), index("credit_disputes_user").on(t.userId)],
);

/** The first response to each (user, route, Idempotency-Key); a retry gets it back unchanged. */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id").notNull(),
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    body: text("body").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scope, t.key] }), index("idempotency_keys_created").on(t.createdAt)],
);

/** A student's Stripe subscription, kept from webhooks; `lastEventAt` makes late deliveries unable to move it back. */
export const subscriptions = sqliteTable(
  "subscriptions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    customerId: text("customer_id").notNull(),
    planId: text("plan_id").notNull(),
    status: text("status").notNull(),
    itemId: text("item_id"),
    currentPeriodStart: text("current_period_start"),
    currentPeriodEnd: text("current_period_end"),
    cancelAtPeriodEnd: integer("cancel_at_period_end", { mode: "boolean" }).notNull().default(false),
    /** A downgrade waiting for the period end. */
    pendingPlanId: text("pending_plan_id"),
    scheduleId: text("schedule_id"),
    /** Stripe `event.created` (seconds) of the newest subscription event applied to this row. */
    lastEventAt: integer("last_event_at").notNull().default(0),
    /**
     * `event.created` of the newest event that set `status`: subscription events and payment events
     * (invoice.paid, invoice.payment_failed) both do, and an older one never overwrites a newer one.
     */
    statusEventAt: integer("status_event_at").notNull().default(0),
    /**
     * When the student's suspension paused this plan's billing (Stripe's `pause_collection`, invoices voided); null when
     * it is not held. Written before Stripe is called, so a call that failed is known and retried; a restore clears it.
     */
    billingHeldAt: text("billing_held_at"),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("subscriptions_user").on(t.userId)],
);

/**
 * A plan's pauses (issue 15): one row per pause, unique per subscription and billing period (`periodStart`, the
 * period's start when the pause was taken), so of two concurrent requests one inserts and the other is refused.
 * `shiftMs` is what the renewal and the affected credit expiries were moved by (the full pause; less after an
 * early resume); `endedAt` is set by a resume.
 */
export const subscriptionPauses = sqliteTable(
  "subscription_pauses",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    subscriptionId: text("subscription_id").notNull(),
    periodStart: text("period_start").notNull(),
    weeks: integer("weeks").notNull(),
    startsAt: text("starts_at").notNull(),
    endsAt: text("ends_at").notNull(),
    /** The renewal before the pause moved it. */
    renewalBefore: text("renewal_before").notNull(),
    shiftMs: integer("shift_ms").notNull(),
    status: text("status", { enum: ["starting", "active", "ended"] }).notNull(),
    endedAt: text("ended_at"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [uniqueIndex("subscription_pauses_once").on(t.subscriptionId, t.periodStart), index("subscription_pauses_user").on(t.userId, t.createdAt)],
);

/** Every verified webhook delivery, recorded in the same D1 batch as its effect: a repeat is a no-op. */
export const webhookEvents = sqliteTable(
  "webhook_events",
  {
    id: text("id").primaryKey(),
    provider: text("provider", { enum: ["stripe", "calendly"] }).notNull(),
    type: text("type").notNull(),
    /** When the provider created the event. */
    createdAt: text("created_at").notNull(),
    receivedAt: text("received_at").notNull(),
    status: text("status", { enum: ["processed", "ignored", "failed"] }).notNull(),
    detail: text("detail"),
    payload: text("payload").notNull(),
  },
  (t) => [index("webhook_events_received").on(t.receivedAt)],
);

/** Checkout Sessions we created (real Stripe or the local payment mode), to know who bought what. */
export const checkoutSessions = sqliteTable(
  "checkout_sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    kind: text("kind", { enum: ["plan", "pack"] }).notNull(),
    itemId: text("item_id").notNull(),
    /** `expired`: a newer plan checkout (or the student's suspension) expired it at Stripe, so it can no longer be paid. */
    status: text("status", { enum: ["open", "complete", "expired"] }).notNull(),
    url: text("url").notNull(),
    createdAt: text("created_at").notNull(),
  },
  (t) => [index("checkout_sessions_user").on(t.userId), index("checkout_sessions_status").on(t.status, t.createdAt)],
);

/** A tutor's Stripe Connect account (controller-configured, Express dashboard). */
export const payoutAccounts = sqliteTable(
  "payout_accounts",
  {
    tutorId: text("tutor_id").primaryKey(),
    stripeAccountId: text("stripe_account_id").notNull(),
    detailsSubmitted: integer("details_submitted", { mode: "boolean" }).notNull().default(false),
    chargesEnabled: integer("charges_enabled", { mode: "boolean" }).notNull().default(false),
    payoutsEnabled: integer("payouts_enabled", { mode: "boolean" }).notNull().default(false),
    lastEventAt: integer("last_event_at").notNull().default(0),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [uniqueIndex("payout_accounts_stripe").on(t.stripeAccountId)],
);

/**
 * What a tutor earned for one completed session, as fixed when its seats were confirmed and settled by attendance;
 * claimed by exactly one payout. A `held` earning (tutor and student look like one person) waits for an admin and
 * is never paid out until approved; a `rejected` one never is.
 */
export const earnings = sqliteTable(
  "earnings",
  {
    id: text("id").primaryKey(),
    tutorId: text("tutor_id").notNull(),
    bookingId: text("booking_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    status: text("status", { enum: ["accrued", "held", "rejected"] }).notNull().default("accrued"),
    /** Why it is held (`same_email`, `same_card`), and who decided and when. */
    holdReason: text("hold_reason"),
    reviewedBy: text("reviewed_by"),
    reviewedAt: text("reviewed_at"),
    /** The earning fixed at booking, before attendance settled it, and how it was settled. */
    fixedCents: integer("fixed_cents"),
    outcome: text("outcome"),
    currency: text("currency").notNull().default("usd"),
    minutes: integer("minutes").notNull(),
    students: integer("students").notNull(),
    kind: text("kind", { enum: ["one_on_one", "group"] }).notNull(),
    sessionEndAt: text("session_end_at").notNull(),
    createdAt: text("created_at").notNull(),
    payoutId: text("payout_id"),
  },
  (t) => [
    uniqueIndex("earnings_booking").on(t.bookingId),
    index("earnings_tutor_payout").on(t.tutorId, t.payoutId),
    index("earnings_status").on(t.status),
    // The few an admin reviewed, which the books recognise apart (worker/features/finance/posting.ts).
    index("earnings_reviewed").on(t.reviewedAt).where(sql`reviewed_at IS NOT NULL`),
  ],
);

/** One Transfer to a tutor's connected account covering the earnings that name it. */
export const payouts = sqliteTable(
  "payouts",
  {
    id: text("id").primaryKey(),
    tutorId: text("tutor_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull().default("usd"),
    status: text("status", { enum: ["pending", "paid", "failed"] }).notNull(),
    /** Transfer attempts so far; a run claims an attempt by bumping it, so two runs never both try. */
    attempts: integer("attempts").notNull().default(0),
    transferId: text("transfer_id"),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("payouts_tutor").on(t.tutorId, t.createdAt), index("payouts_status").on(t.status)],
);

/** The last run of each scheduled job, for the admin health page. */
export const cronRuns = sqliteTable("cron_runs", {
  job: text("job").primaryKey(),
  lastStartedAt: text("last_started_at").notNull(),
  lastFinishedAt: text("last_finished_at"),
  lastStatus: text("last_status", { enum: ["running", "ok", "failed"] }).notNull(),
  lastError: text("last_error"),
  lastResult: text("last_result"),
});

/**
 * Who entered and left a session's video room, one row per socket event, written by the booking's SessionRoom
 * object (its own storage is the outbox; a retry inserts nothing twice). No-shows are decided from these rows
 * by domain/video/attendance.ts.
 */
export const sessionAttendance = sqliteTable(
  "session_attendance",
  {
    id: text("id").primaryKey(),
    bookingId: text("booking_id").notNull(),
    userId: text("user_id").notNull(),
    role: text("role", { enum: ["tutor", "student"] }).notNull(),
    kind: text("kind", { enum: ["join", "leave"] }).notNull(),
    /** The room socket the event belongs to: a leave closes the join with the same id. */
    connectionId: text("connection_id").notNull(),
    at: text("at").notNull(),
  },
  (t) => [index("session_attendance_booking").on(t.bookingId, t.at), index("session_attendance_user").on(t.userId, t.at)],
);

/**
 * What a session leaves behind, kept with the booking: the shared notes, the tutor's summary and homework, and
 * how much is on the whiteboard (its pages stay in the booking's SessionRoom object, which writes this row;
 * `version` only grows, so a late write never replaces a newer one).
 */
export const sessionRecords = sqliteTable(
  "session_records",
  {
    bookingId: text("booking_id").primaryKey(),
    tutorId: text("tutor_id").notNull(),
    notes: text("notes").notNull().default(""),
    notesFormat: text("notes_format", { enum: ["plain", "markdown"] }).notNull().default("plain"),
    summary: text("summary"),
    homework: text("homework"),
    summaryAt: text("summary_at"),
    boardPages: integer("board_pages").notNull().default(0),
    boardItems: integer("board_items").notNull().default(0),
    version: integer("version").notNull().default(0),
    updatedAt: text("updated_at").notNull(),
  },
  (t) => [index("session_records_tutor").on(t.tutorId)],
);

/** The in-app inbox: every notification a user was sent, read or not. */
export const notifications = sqliteTable(
  "notifications",
  {
    id: text("id").primaryKey(),
    userId: text("user_id").notNull(),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    link: text("link"),
    /** Makes a notification idempotent: the same key is only ever delivered once. */
    dedupeKey: text("dedupe_key"),
    createdAt: text("created_at").notNull(),
    readAt: text("read_at"),
  },
  (t) => [index("notifications_user").on(t.userId, t.createdAt), uniqueIndex("notifications_dedupe").on(t.dedupeKey), index("notifications_created").on(t.createdAt)],
);

/** Emails waiting to be sent (and the record of those sent), drained by the sender; one row per dedupe key. */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: text("id").primaryKey(),
    userId: text("user_id"),
    toEmail: text("to_email").notNull(),
    /** The recipient's display name for the To header. */
    toName: text("to_name"),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    /** Files sent with it (JSON, platform/integrations/email/sender.ts `AttachmentsSchema`), e.g. a calendar invitation. */
    attachments: text("attachments"),
    dedupeKey: text("dedupe_key").notNull(),
    /**
     * The account whose words the email carries (a message digest), when it carries someone's: it goes only while that
     * account is active. Suspended or deleted since it was queued, the email is `dropped` unsent at its send.
     */
    fromUserId: text("from_user_id"),
    /** `dropped`: never sent, nor retried, because its `fromUserId` was no longer active when its turn came. */
    status: text("status", { enum: ["pending", "sent", "failed", "dropped"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    /** When its latest attempt was claimed: a drain leaves an email alone while its send may still be under way. */
    claimedAt: text("claimed_at"),
    provider: text("provider"),
    error: text("error"),
    createdAt: text("created_at").notNull(),
    sentAt: text("sent_at"),
  },
  (t) => [uniqueIndex("email_outbox_dedupe").on(t.dedupeKey), index("email_outbox_status").on(t.status, t.createdAt)],
);

/** What a tutor's reliability score is computed from (see domain/credits/reliability.ts). */
export const reliabilityEvents = sqliteTable(
  "reliability_events",
  {
    tutorId: text("tutor_id").notNull(),
    bookingId: text("booking_id").notNull(),
    kind: text("kind", { enum: ["completed", "late_cancel", "no_show"] }).notNull(),
    weight: integer("weight").notNull(),
    at: text("at").notNull(),
    detail: text("detail"),
  },
  (t) => [primaryKey({ columns: [t.tutorId, t.bookingId, t.kind] }), index("reliability_events_tutor_at").on(t.tutorId, t.at)],
);

/** One review per student per completed booking. */
export const reviews = sqliteTable(
  "reviews",
  {
    bookingId: text("booking_id").notNull(),
    studentId: text("student_id").notNull(),
    tutorId: text("tutor_id").notNull(),
    rating: integer("rating").notNull(),
    comment: text("comment"),
    createdAt: text("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.bookingId, t.studentId] }), index("reviews_tutor").on(t.tutorId, t.createdAt)],
);

// ───────────────────────── calendar interoperability (issue 5) ─────────────────────────

/**
 * A user's rotated iCal feed. The token in a feed URL is derived (worker/features/calendarSync/feedToken.ts):
 * an HMAC of the user and this nonce under the server's feed secret, so neither the token nor anything that
 * opens it is stored. A user who never rotated has no row (their nonce is the initial one); rotating writes a
 * new nonce, which kills the old URL.
 */
export const calendarFeeds = sqliteTable("calendar_feeds", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  nonce: text("nonce").notNull(),
  rotatedAt: text("rotated_at").notNull(),
});

/**
 * The Calendly user (URI) whose bookings block a tutor's time; one tutor per Calendly user. A link is proven by a
 * personal access token that Calendly's `GET /users/me` resolved to that user; the token is kept sealed
 * (worker/lib/sealed.ts) to look up bookings of that user. Rows from before proofs have no token: unverified,
 * they block nothing and give way to a proven link of the same user.
 */
export const calendlyLinks = sqliteTable(
  "calendly_links",
  {
    tutorId: text("tutor_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    userUri: text("user_uri").notNull(),
    linkedAt: text("linked_at").notNull(),
    /** Sealed personal access token; null on links made before ownership was checked. */
    accessToken: text("access_token"),
    /** The Calendly user's name as Calendly reported it when the link was proven. */
    calendlyName: text("calendly_name"),
  },
  (t) => [uniqueIndex("calendly_links_user_uri").on(t.userUri)],
);

/** An outside calendar (secret ICS address) whose busy times block a tutor's time; synced by a Cron Trigger. */
export const externalCalendars = sqliteTable(
  "external_calendars",
  {
    id: text("id").primaryKey(),
    tutorId: text("tutor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    label: text("label").notNull(),
    /** A secret, sealed (worker/lib/sealed.ts): never returned by the API, never stored in the clear. */
    url: text("url").notNull(),
    /** The host the address points at, shown to the tutor (not secret). */
    host: text("host").notNull().default(""),
    createdAt: text("created_at").notNull(),
    lastSyncAt: text("last_sync_at"),
    lastSuccessAt: text("last_success_at"),
    lastError: text("last_error"),
    /** Busy intervals the last successful sync blocked. */
    eventCount: integer("event_count").notNull().default(0),
    /** Events the last successful sync could not read (malformed) and left out. */
    skippedEvents: integer("skipped_events").notNull().default(0),
    failures: integer("failures").notNull().default(0),
    /** The last full download's ETag and Last-Modified, sent back for a 304, and when it happened. */
    etag: text("etag"),
    lastModified: text("last_modified"),
    fetchedAt: text("fetched_at"),
  },
  (t) => [index("external_calendars_tutor").on(t.tutorId), index("external_calendars_due").on(t.lastSyncAt)],
);

// ───────────────────────── books (issue 12) ─────────────────────────

/**
 * The double-entry journal (domain/books): one row per line, the lines of a transaction adding up to zero.
 * A transaction's id is the event it was posted from ("ledger:<entry>", "stripe:<event>", "session:<booking>",
 * "payout:<id>"), so posting the same event twice is refused by the primary key. Written only by the books drain
 * (worker/features/finance/posting.ts); never updated or deleted.
 */
export const journalLines = sqliteTable(
  "journal_lines",
  {
    txId: text("tx_id").notNull(),
    line: integer("line").notNull(),
    kind: text("kind").notNull(),
    /** When the money moved (the event's time, ISO UTC). */
    at: text("at").notNull(),
    account: text("account").notNull(),
    /** Debit > 0, credit < 0. */
    amountCents: integer("amount_cents").notNull(),
    memo: text("memo").notNull(),
    /** The outside object the line is about (a Stripe object or the purchase a credit came from). */
    ref: text("ref"),
    studentId: text("student_id"),
    tutorId: text("tutor_id"),
    bookingId: text("booking_id"),
    reservationId: text("reservation_id"),
    postedAt: text("posted_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.txId, t.line] }),
    index("journal_lines_account_at").on(t.account, t.at),
    index("journal_lines_at").on(t.at),
    index("journal_lines_ref").on(t.ref, t.account),
    index("journal_lines_reservation").on(t.reservationId, t.account),
    index("journal_lines_booking").on(t.bookingId),
  ],
);

/**
 * Every source event the books drain has handled, posted lines or not (a promotional spend moves no money):
 * inserted in the same batch as its lines, so an event is posted whole, once. Its id is the lines' `tx_id`.
 */
export const journalSources = sqliteTable("journal_sources", {
  id: text("id").primaryKey(),
  kind: text("kind").notNull(),
  lines: integer("lines").notNull(),
  postedAt: text("posted_at").notNull(),
});

/**
 * How far the books drain has read each source (a rowid), with the last error it met there; and the row
 * "lease" (position = until when, in ms; holder = which drain) that lets one drain run at a time.
 */
export const booksCursors = sqliteTable("books_cursors", {
  source: text("source").primaryKey(),
  position: integer("position").notNull().default(0),
  holder: text("holder"),
  updatedAt: text("updated_at").notNull(),
  lastError: text("last_error"),
});

// ───────────────────────── talk and reach (issue 16) ─────────────────────────

/**
 * One conversation per student and tutor. The row is the directory (who is in it) written by the route that
 * starts it; the rest is a projection from the conversation's own object (durable-objects/Conversation.ts),
 * the only writer of its messages: a row is only replaced by one with a higher `version`.
 */
export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    studentId: text("student_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tutorId: text("tutor_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    startedBy: text("started_by").notNull(),
    createdAt: text("created_at").notNull(),
    lastMessageAt: text("last_message_at"),
    /** One line of the newest message (domain/messaging/text.ts previewOf). */
    lastMessagePreview: text("last_message_preview"),
    lastSenderId: text("last_sender_id"),
    studentUnread: integer("student_unread").notNull().default(0),
    tutorUnread: integer("tutor_unread").notNull().default(0),
    studentBlocked: integer("student_blocked", { mode: "boolean" }).notNull().default(false),
    tutorBlocked: integer("tutor_blocked", { mode: "boolean" }).notNull().default(false),
    version: integer("version").notNull().default(0),
  },
  (t) => [
    uniqueIndex("conversations_pair").on(t.studentId, t.tutorId),
    index("conversations_tutor").on(t.tutorId, t.lastMessageAt),
    index("conversations_student").on(t.studentId, t.lastMessageAt),
  ],
);

/**
 * A participant's report of a conversation, for the admin console; an open one keeps its messages from retention.
 * A reporter has at most one open report per conversation (the partial unique index): a repeat answers that one.
 */
export const conversationReports = sqliteTable(
  "conversation_reports",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id, { onDelete: "cascade" }),
    reporterId: text("reporter_id").notNull(),
    reportedUserId: text("reported_user_id").notNull(),
    reason: text("reason", { enum: ["spam", "harassment", "inappropriate", "off_platform_payment", "other"] }).notNull(),
    details: text("details"),
    status: text("status", { enum: ["open", "dismissed", "actioned"] }).notNull().default("open"),
    createdAt: text("created_at").notNull(),
    resolvedAt: text("resolved_at"),
    resolvedBy: text("resolved_by"),
    resolutionNote: text("resolution_note"),
  },
  (t) => [
    index("conversation_reports_status").on(t.status, t.createdAt),
    index("conversation_reports_conversation").on(t.conversationId),
    uniqueIndex("conversation_reports_open_per_reporter").on(t.conversationId, t.reporterId).where(sql`status = 'open'`),
  ],
);

/**
 * A browser's Web Push subscription (RFC 8030/8291); removed when its push service answers 404 or 410, and with the
 * session it was made under (signed out, revoked, expired): a browser signed out gets no one's messages.
 */
export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    endpoint: text("endpoint").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** The auth session's public id; null on rows saved before it was recorded (treated as any session's). */
    sessionId: text("session_id").references(() => authSessions.id, { onDelete: "cascade" }),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: text("created_at").notNull(),
    lastSuccessAt: text("last_success_at"),
  },
  (t) => [index("push_subscriptions_user").on(t.userId, t.createdAt), index("push_subscriptions_session").on(t.sessionId)],
);

/** Which switchable notices (domain/notifications/settings.ts) a user wants, per channel; no row = all on. */
export const notificationSettings = sqliteTable("notification_settings", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  pushReminders: integer("push_reminders", { mode: "boolean" }).notNull().default(true),
  pushCancellations: integer("push_cancellations", { mode: "boolean" }).notNull().default(true),
  pushOffers: integer("push_offers", { mode: "boolean" }).notNull().default(true),
  pushMessages: integer("push_messages", { mode: "boolean" }).notNull().default(true),
  emailReminders: integer("email_reminders", { mode: "boolean" }).notNull().default(true),
  emailCancellations: integer("email_cancellations", { mode: "boolean" }).notNull().default(true),
  emailOffers: integer("email_offers", { mode: "boolean" }).notNull().default(true),
  emailMessages: integer("email_messages", { mode: "boolean" }).notNull().default(true),
  updatedAt: text("updated_at").notNull(),
});

// ───────────────────────── money rules (issue 12) ─────────────────────────

/**
 * Card fingerprints seen on a user's payments (students) or payout cards (tutors), from Stripe events: the same card
 * on both sides of a session holds its earning for review (domain/billing/selfDealing.ts).
 */
export const cardFingerprints = sqliteTable(
  "card_fingerprints",
  {
    userId: text("user_id").notNull(),
    fingerprint: text("fingerprint").notNull(),
    seenAt: text("seen_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.fingerprint] }), index("card_fingerprints_fingerprint").on(t.fingerprint)],
);

/**
 * The last render of a user's iCal feed (gzip), under the ETag it was rendered for: a GET whose ETag matches serves it
 * without rendering (platform/calendarFeed/render.ts). Rendered when the feed URL is handed out and after each change
 * to a tutor's sessions; one row per user.
 */
export const feedRenders = sqliteTable("feed_renders", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  etag: text("etag").notNull(),
  /** The origin its links were written for. */
  origin: text("origin").notNull(),
  gzip: blob("gzip", { mode: "buffer" }).notNull(),
  renderedAt: text("rendered_at").notNull(),
});

/**
 * Where a student waits for a seat: one row per group session whose line they joined, written by the waitlist route
 * after the tutor's calendar (the line's one keeper) put them in it. Only an index of which calendars to ask: when an
 * account is suspended or deleted it is taken out of every line it is in, so no freed seat is held for it.
 */
export const waitlistEntries = sqliteTable(
  "waitlist_entries",
  {
    studentId: text("student_id").notNull(),
    sessionId: text("session_id").notNull(),
    tutorId: text("tutor_id").notNull(),
    joinedAt: text("joined_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.sessionId] })],
);
