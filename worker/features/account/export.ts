import { and, desc, eq, inArray, or } from "drizzle-orm";
import { roomsWithChatOf } from "../../../durable-objects/room/chat";
import type { User } from "../../../domain/schemas/auth";
import { type Db, getDb } from "../../../platform/db/client";
import {
  auditLog,
  authSessions,
  bookingParticipants,
  calendlyLinks,
  checkoutSessions,
  conversationReports,
  creditLedger,
  earnings,
  emailOutbox,
  externalCalendars,
  notifications,
  payoutAccounts,
  payouts,
  reviews,
  sessionAttendance,
  sessionRecords,
  students,
  subscriptions,
  tutorProfiles,
  tutorSubjects,
  users,
  waitlistEntries,
} from "../../../platform/db/schema";
import { roomOf } from "../../lib/stubs";
import { listForStudent, listForTutor } from "../bookings/repo";
import { talkForExport } from "../conversations/account";

/**
 * Everything Tutorly holds about one person, as JSON: the account, devices, sessions, money, messages sent to
 * them, what they wrote (their room chat and the reports they filed included) and what was recorded about them
 * (their sessions' records, as the record route shows them). Secrets stay out (password hash, session and feed
 * tokens, outside calendar addresses), and so do reports made about them, which would name who reported.
 */
export async function exportAccount(env: Env, user: User, now: number) {
  const db = getDb(env);
  const [account, student, tutor, subjects, devices, ledger, subs, checkouts, inbox, emails, written, received, attendance, earned, paid, payoutAccount, calendars, calendly, adminActions, reportsFiled, waitlist, records] = await Promise.all([
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
    db
      .select({ id: conversationReports.id, conversationId: conversationReports.conversationId, reason: conversationReports.reason, details: conversationReports.details, status: conversationReports.status, createdAt: conversationReports.createdAt, resolvedAt: conversationReports.resolvedAt })
      .from(conversationReports)
      .where(eq(conversationReports.reporterId, user.id))
      .orderBy(conversationReports.createdAt)
      .all(),
    db.select({ sessionId: waitlistEntries.sessionId, tutorId: waitlistEntries.tutorId, joinedAt: waitlistEntries.joinedAt }).from(waitlistEntries).where(eq(waitlistEntries.studentId, user.id)).all(),
    recordsOf(db, user),
  ]);
  const sessions = user.role === "tutor" ? await listForTutor(db, user.id) : user.role === "student" ? await listForStudent(db, user.id) : [];
  const talk = await talkForExport(env, user);
  const roomChat = await roomChatOf(env, db, user.id, now);
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
    roomChat,
    sessionRecords: records,
    reportsFiled,
    ...(user.role === "student" ? { waitlist } : {}),
    adminActions,
  };
}

/**
 * The records of the sessions the user may read through the record route: a tutor's own sessions, a student's
 * confirmed seats (the whiteboard itself stays in the room; its size is here).
 */
function recordsOf(db: Db, user: User) {
  if (user.role !== "tutor" && user.role !== "student") return Promise.resolve([]);
  const seats = db.select({ id: bookingParticipants.bookingId }).from(bookingParticipants).where(and(eq(bookingParticipants.studentId, user.id), eq(bookingParticipants.status, "confirmed")));
  return db
    .select({
      bookingId: sessionRecords.bookingId,
      summary: sessionRecords.summary,
      homework: sessionRecords.homework,
      summaryAt: sessionRecords.summaryAt,
      notes: sessionRecords.notes,
      notesFormat: sessionRecords.notesFormat,
      boardPages: sessionRecords.boardPages,
      boardItems: sessionRecords.boardItems,
      updatedAt: sessionRecords.updatedAt,
    })
    .from(sessionRecords)
    .where(user.role === "tutor" ? eq(sessionRecords.tutorId, user.id) : inArray(sessionRecords.bookingId, seats))
    .orderBy(sessionRecords.updatedAt)
    .all();
}

/** What the user said in the session rooms that still keep chat (room/chat.ts), per session. */
async function roomChatOf(env: Env, db: Db, userId: string, now: number) {
  const rooms = await roomsWithChatOf(db, userId, now);
  const said = await Promise.all(rooms.map(async (bookingId) => ({ bookingId, lines: await roomOf(env, bookingId).chatBy({ userId }) })));
  return said.filter((r) => r.lines.length > 0);
}
