import { desc, eq, or } from "drizzle-orm";
import type { User } from "../../../domain/schemas/auth";
import { getDb } from "../../../platform/db/client";
import {
  auditLog,
  authSessions,
  calendlyLinks,
  checkoutSessions,
  creditLedger,
  earnings,
  emailOutbox,
  externalCalendars,
  notifications,
  payoutAccounts,
  payouts,
  reviews,
  sessionAttendance,
  students,
  subscriptions,
  tutorProfiles,
  tutorSubjects,
  users,
} from "../../../platform/db/schema";
import { listForStudent, listForTutor } from "../bookings/repo";
import { talkForExport } from "../conversations/account";

/**
 * Everything Tutorly holds about one person, as JSON: the account, devices, sessions, money, messages sent to
 * them, what they wrote and what was recorded about them. Secrets stay out (password hash, session and feed
 * tokens, outside calendar addresses).
 */
export async function exportAccount(env: Env, user: User, now: number) {
  const db = getDb(env);
  const [account, student, tutor, subjects, devices, ledger, subs, checkouts, inbox, emails, written, received, attendance, earned, paid, payoutAccount, calendars, calendly, adminActions] = await Promise.all([
    db.select({ createdAt: users.createdAt, status: users.status, emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id)).get(),
    db.select({ learningGoals: students.learningGoals, stripeCustomerId: students.stripeCustomerId, createdAt: students.createdAt }).from(students).where(eq(students.userId, user.id)).get(),
    db.select().from(tutorProfiles).where(eq(tutorProfiles.userId, user.id)).get(),
    db.select({ subject: tutorSubjects.subject }).from(tutorSubjects).where(eq(tutorSubjects.tutorId, user.id)).all(),
    db.select({ id: authSessions.id, createdAt: authSessions.createdAt, lastSeenAt: authSessions.lastSeenAt, expiresAt: authSessions.expiresAt, userAgent: authSessions.userAgent }).from(authSessions).where(eq(authSessions.userId, user.id)).all(),
    db.select().from(creditLedger).where(eq(creditLedger.userId, user.id)).orderBy(creditLedger.createdAt).all(),
    db.select().from(subscriptions).where(eq(subscriptions.userId, user.id)).all(),
    db.select({ id: checkoutSessions.id, kind: checkoutSessions.kind, itemId: checkoutSessions.itemId, status: checkoutSessions.status, createdAt: checkoutSessions.createdAt }).from(checkoutSessions).where(eq(checkoutSessions.userId, user.id)).all(),
    db.select({ id: notifications.id, kind: notifications.kind, title: notifications.title, body: notifications.body, link: notifications.link, createdAt: notifications.createdAt, readAt: notifications.readAt }).from(notifications).where(eq(notifications.userId, user.id)).orderBy(desc(notifications.createdAt)).all(),
    db.select({ subject: emailOutbox.subject, toEmail: emailOutbox.toEmail, status: emailOutbox.status, createdAt: emailOutbox.createdAt, sentAt: emailOutbox.sentAt }).from(emailOutbox).where(eq(emailOutbox.userId, user.id)).all(),
    db.select().from(reviews).where(eq(reviews.studentId, user.id)).all(),
    db.select({ bookingId: reviews.bookingId, rating: reviews.rating, comment: reviews.comment, createdAt: reviews.createdAt }).from(reviews).where(eq(reviews.tutorId, user.id)).all(),
    db.select({ bookingId: sessionAttendance.bookingId, kind: sessionAttendance.kind, at: sessionAttendance.at }).from(sessionAttendance).where(eq(sessionAttendance.userId, user.id)).all(),
    db.select().from(earnings).where(eq(earnings.tutorId, user.id)).all(),
    db.select().from(payouts).where(eq(payouts.tutorId, user.id)).all(),
    db.select({ stripeAccountId: payoutAccounts.stripeAccountId, payoutsEnabled: payoutAccounts.payoutsEnabled }).from(payoutAccounts).where(eq(payoutAccounts.tutorId, user.id)).get(),
    db.select({ id: externalCalendars.id, label: externalCalendars.label, createdAt: externalCalendars.createdAt, lastSuccessAt: externalCalendars.lastSuccessAt }).from(externalCalendars).where(eq(externalCalendars.tutorId, user.id)).all(),
    db.select({ userUri: calendlyLinks.userUri, linkedAt: calendlyLinks.linkedAt }).from(calendlyLinks).where(eq(calendlyLinks.tutorId, user.id)).get(),
    db.select({ at: auditLog.at, actorId: auditLog.actorId, action: auditLog.action, targetId: auditLog.targetId }).from(auditLog).where(or(eq(auditLog.actorId, user.id), eq(auditLog.targetId, user.id))).all(),
  ]);
  const sessions = user.role === "tutor" ? await listForTutor(db, user.id) : user.role === "student" ? await listForStudent(db, user.id) : [];
  const talk = await talkForExport(env, user);
  return {
    exportedAt: new Date(now).toISOString(),
    account: { ...user, ...account, learningGoals: student?.learningGoals ?? null },
    signedInDevices: devices,
    sessions,
    ...(student ? { student: { stripeCustomerId: student.stripeCustomerId, since: student.createdAt }, credits: ledger, subscriptions: subs, checkouts, reviewsWritten: written } : {}),
    ...(tutor ? { tutor: { ...tutor, subjects: subjects.map((s) => s.subject) }, reviewsReceived: received, earnings: earned, payouts: paid, payoutAccount: payoutAccount ?? null, outsideCalendars: calendars, calendly: calendly ?? null } : {}),
    attendance,
    notifications: inbox,
    emails,
    ...talk,
    adminActions,
  };
}
