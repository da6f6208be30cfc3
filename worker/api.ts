import { Hono } from "hono";
import type { AppEnv } from "./app";
import { adminRoutes } from "./features/admin/routes";
import { authRoutes } from "./features/auth/routes";
import { tutorRoutes } from "./features/tutors/routes";
import { photoRoutes } from "./features/tutors/photos";
import { PHOTO } from "../domain/schemas/tutor";
import { bookingRoutes } from "./features/bookings/routes";
import { seriesRoutes } from "./features/series/routes";
import { bookingDetailRoutes } from "./features/bookings/detail";
import { calendarRoutes } from "./features/calendar/routes";
import { calendarSyncRoutes } from "./features/calendarSync/routes";
import { creditRoutes } from "./features/credits/routes";
import { liveRoutes } from "./features/live/routes";
import { billingRoutes } from "./features/billing/routes";
import { payoutRoutes } from "./features/payouts/routes";
import { videoRoutes } from "./features/video/routes";
import { devRoutes } from "./features/dev/routes";
import { notificationRoutes } from "./features/notifications/routes";
import { offerRoutes } from "./features/offers/routes";
import { reviewRoutes } from "./features/reviews/routes";
import { adminConsoleRoutes } from "./features/admin/console";
import { adminAccountRoutes } from "./features/admin/accounts";
import { accountRoutes } from "./features/account/routes";
import { auditAdminActions } from "./middleware/audit";
import { financeRoutes } from "./features/finance/routes";
import { conversationRoutes } from "./features/conversations/routes";
import { conversationAdminRoutes } from "./features/conversations/adminRoutes";
import { pushRoutes } from "./features/push/routes";
import { rebookRoutes } from "./features/rebook/routes";
import { waitlistRoutes } from "./features/waitlist/routes";
import { loadSession } from "./middleware/auth";
import { d1Session } from "./middleware/d1Session";
import { demoSeed } from "./middleware/demoSeed";
import { originCheck } from "./middleware/origin";
import { API_BODY_LIMIT, WEBHOOK_BODY_LIMIT, changesOnly, clientIp, limitBody, postsOnly, rateLimit, rateLimitOncePerKey, userKey } from "./middleware/limits";

/** Everything under /api: one sub-app per feature. */
export const api = new Hono<AppEnv>()
  .use("/webhooks/*", limitBody(WEBHOOK_BODY_LIMIT), rateLimit("WEBHOOK_LIMITER", clientIp))
  .use("*", async (c, next) => (c.req.path.startsWith("/api/webhooks/") ? next() : limitBody(c.req.path === "/api/tutors/me/photo" ? PHOTO.maxBytes : API_BODY_LIMIT)(c, next)))
  .use(d1Session, originCheck, demoSeed, loadSession)
  .use("/auth/signup", rateLimit("SIGNUP_LIMITER", clientIp))
  .use("/auth/login", rateLimit("LOGIN_LIMITER", clientIp))
  // Routes that send email or check a mailed token, per address; signed-in ones per user.
  .use("/auth/password-reset/*", rateLimit("ACCOUNT_LIMITER", clientIp))
  .use("/auth/verify-email", rateLimit("ACCOUNT_LIMITER", clientIp))
  .use("/auth/verify-email/*", rateLimit("ACCOUNT_LIMITER", userKey))
  .use("/auth/admin-invite/*", rateLimit("ACCOUNT_LIMITER", clientIp))
  .use("/me/email", rateLimit("ACCOUNT_LIMITER", userKey))
  .use("/admin/admins/invite", rateLimit("ACCOUNT_LIMITER", userKey))
  .use("/me/export", rateLimit("EXPORT_LIMITER", userKey))
  .use("/billing/checkout", rateLimit("BILLING_LIMITER", userKey))
  .use("/billing/portal", rateLimit("BILLING_LIMITER", userKey))
  // "/x/*" also matches "/x" itself: one registration, so each change counts once.
  .use("/tutors/me/external-calendars/*", changesOnly(rateLimit("CALENDAR_LIMITER", userKey)))
  .use("/tutors/me/calendly", changesOnly(rateLimit("CALENDAR_LIMITER", userKey)))
  .use("/tutors/me/calendar-feed/rotate", rateLimit("CALENDAR_LIMITER", userKey))
  .use("/me/calendar-feed/rotate", rateLimit("CALENDAR_LIMITER", userKey))
  .use("/tutors/me/photo", changesOnly(rateLimit("ACCOUNT_LIMITER", userKey)))
  // Every admin action that changes something lands in the audit log, and so does an admin cancelling, ending or
  // moving someone's session or series (money moves) from the routes students and tutors use.
  .use("/admin/*", auditAdminActions)
  .use("/bookings/*", auditAdminActions)
  .use("/series/*", auditAdminActions)
  // Booking actions are limited per user, once per booking (retries of one Idempotency-Key count once). One
  // pattern per path: `/bookings/*` also matches `/bookings`, so mounting both would count every booking twice.
  .use("/bookings/*", postsOnly(rateLimitOncePerKey("BOOKING_LIMITER", userKey)))
  .use("/offers/*", postsOnly(rateLimitOncePerKey("BOOKING_LIMITER", userKey)))
  // Writing is limited per user: starting conversations, sending messages and reports (reading and marking read are not).
  .use("/conversations", postsOnly(rateLimit("MESSAGE_LIMITER", userKey, 10)))
  .use("/conversations/:id/messages", postsOnly(rateLimit("MESSAGE_LIMITER", userKey, 10)))
  .use("/conversations/:id/report", postsOnly(rateLimit("MESSAGE_LIMITER", userKey, 10)))
  // Each block or unblock is a live event to the other person: toggling is limited like writing.
  .use("/conversations/:id/block", postsOnly(rateLimit("MESSAGE_LIMITER", userKey, 10)))
  .route("/", authRoutes)
  .route("/", accountRoutes)
  .route("/", calendarRoutes)
  .route("/", calendarSyncRoutes)
  .route("/", photoRoutes)
  .route("/", tutorRoutes)
  .route("/", bookingRoutes)
  .route("/", bookingDetailRoutes)
  .route("/", seriesRoutes)
  .route("/", rebookRoutes)
  .route("/", waitlistRoutes)
  .route("/", creditRoutes)
  .route("/", liveRoutes)
  .route("/", billingRoutes)
  .route("/", payoutRoutes)
  .route("/", notificationRoutes)
  .route("/", offerRoutes)
  .route("/", reviewRoutes)
  .route("/", videoRoutes)
  .route("/", devRoutes)
  .route("/", adminRoutes)
  .route("/", adminConsoleRoutes)
  .route("/", adminAccountRoutes)
  .route("/", financeRoutes)
  .route("/", conversationRoutes)
  .route("/", conversationAdminRoutes)
  .route("/", pushRoutes);

/** The typed route table the SPA's `hc` client is built from. */
export type AppType = typeof api;
