import type { Booking } from "../../../../domain/schemas/booking";
import type { RateBounds } from "../../../../domain/schemas/tutor";
import { type SeatRefund, SeatRefundAnswerSchema } from "../../../../domain/schemas/refund";
import { api, call } from "../../lib/api";
import type { CronRun } from "../../../../domain/schemas/cron";

const keyed = (key: string) => ({ headers: { "Idempotency-Key": key } });

export type Role = "student" | "tutor" | "admin";

export const fetchUsers = async (f: { q?: string; role?: Role }) => (await call(api.admin.users.$get({ query: { q: f.q || undefined, role: f.role } }))).users;
export type AdminUser = Awaited<ReturnType<typeof fetchUsers>>[number];

export const fetchTutorsByApproval = async (status: "pending" | "approved") => (await call(api.admin.tutors.$get({ query: { status } }))).tutors;
export const approveTutor = async (id: string) => (await call(api.admin.tutors[":id"].approve.$post({ param: { id } }))).tutor;

export const fetchFlagged = async () => (await call(api.admin.tutors.flagged.$get())).tutors;
export type FlaggedTutor = Awaited<ReturnType<typeof fetchFlagged>>[number];

export type BookingFilter = { status?: Booking["status"]; from?: string; to?: string; tutorId?: string; studentId?: string };
export const fetchAllBookings = async (f: BookingFilter): Promise<Booking[]> => (await call(api.bookings.$get({ query: f }))).bookings;

/**
 * Gives one student's seat of a cancelled or completed booking its credits back (recorded with the reason), and
 * answers what really happened: refunded (and whether any was taken back at once), or, with a 409, why nothing was
 * (already refunded, moved to a replacement tutor, nothing spent). Other failures throw.
 */
export async function refundSeat(bookingId: string, studentId: string, reason: string, key: string): Promise<SeatRefund> {
  const request = api.admin.bookings[":id"].refund.$post({ param: { id: bookingId }, json: { studentId, reason } }, keyed(key));
  const res = await request.catch(() => null);
  if (res?.status === 409) {
    const answer = SeatRefundAnswerSchema.safeParse(await res.clone().json().catch(() => null));
    if (answer.success) return answer.data.refund;
  }
  return SeatRefundAnswerSchema.parse(await call(request)).refund;
}

/** Adds (minutes > 0) or takes (minutes < 0) credit, in the ledger with a reason. */
export const adjustCredits = async (input: { userId: string; minutes: number; reason: string; expiresInDays?: number }, key: string) =>
  call(api.admin.credits.$post({ json: input }, keyed(key)));
export const fetchUserCredits = async (userId: string) => call(api.admin.credits[":userId"].$get({ param: { userId } }));
export type UserCredits = Awaited<ReturnType<typeof fetchUserCredits>>;

export type WebhookStatus = "processed" | "ignored" | "failed";
export const fetchWebhooks = async (f: { provider?: "stripe" | "calendly"; status?: WebhookStatus }) => (await call(api.admin.webhooks.$get({ query: f }))).events;
export type WebhookEvent = Awaited<ReturnType<typeof fetchWebhooks>>[number];
export const replayWebhook = async (id: string) => (await call(api.admin.webhooks[":id"].replay.$post({ param: { id } }))).result;

export const fetchPayouts = async () => call(api.admin.payouts.$get());
export type PayoutsOverview = Awaited<ReturnType<typeof fetchPayouts>>;
export const runPayoutsNow = async () => call(api.admin.payouts.run.$post());

/** Earnings held because tutor and student looked like one person; an admin approves (paid next run) or rejects them. */
export const fetchHeldEarnings = async () => (await call(api.admin.earnings.held.$get())).earnings;
export type HeldEarning = Awaited<ReturnType<typeof fetchHeldEarnings>>[number];
export const approveEarning = async (id: string) => (await call(api.admin.earnings[":id"].approve.$post({ param: { id } }))).earning;
export const rejectEarning = async (id: string) => (await call(api.admin.earnings[":id"].reject.$post({ param: { id } }))).earning;

/** The hourly rates tutors may set. */
export const fetchRateBounds = async () => (await call(api.admin["rate-bounds"].$get())).bounds;
export const saveRateBounds = async (json: RateBounds) => (await call(api.admin["rate-bounds"].$put({ json }))).bounds;

export const fetchBookingStats = async (days = 30) => (await call(api.admin.stats.bookings.$get({ query: { days: String(days) } }))).days;

/** The service's health: D1, scheduled jobs, webhook backlog, payouts and email (a 503 still carries the report). */
export const fetchHealth = async () => (await call(api.admin.health.$get())) as HealthReport;
export type HealthReport = {
  ok: boolean;
  checkedAt: string;
  d1: { ok: boolean; latencyMs: number; error: string | null };
  /** `stale`: running longer than its schedule allows, or not finished for twice its period; `ok`: neither stale nor failed. */
  cron: (CronRun & { stale: boolean; ok: boolean })[];
  webhooks: { last24h: number; failed24h: number; ignored24h: number; lastReceivedAt: string | null };
  payouts: { failed: number; pending: number };
  email: { pending: number; failed: number };
};

/** Accounts: suspend (sessions end, sockets close) and restore; invite admins; the audit log. */
/** Suspends an account (the reason is emailed to the person): the account, and how many sessions to come were cancelled. */
export const suspendUser = async (id: string, reason: string) => call(api.admin.users[":id"].suspend.$post({ param: { id }, json: { reason } }));
export const restoreUser = async (id: string) => (await call(api.admin.users[":id"].restore.$post({ param: { id } }))).user;
export const inviteAdmin = async (email: string) => (await call(api.admin.admins.invite.$post({ json: { email } }))).invitation;
export const fetchInvitations = async () => (await call(api.admin.admins.invitations.$get())).invitations;
export const fetchAudit = async (f: { before?: string; targetId?: string }) => call(api.admin.audit.$get({ query: { before: f.before, targetId: f.targetId } }));
export type AuditEntry = Awaited<ReturnType<typeof fetchAudit>>["entries"][number];

/** Chargebacks of credit purchases (open, closed or all), newest first. */
export type DisputeFilter = "open" | "closed" | "all";
export const fetchDisputes = async (status: DisputeFilter) => (await call(api.admin.disputes.$get({ query: { status } }))).disputes;
export type AdminDispute = Awaited<ReturnType<typeof fetchDisputes>>[number];
