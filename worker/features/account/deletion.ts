import { forgetPhotos } from "../tutors/photos";
import { roomsWithChatOf } from "../../../durable-objects/room/chat";
import { and, count, eq, ne } from "drizzle-orm";
import type { User } from "../../../domain/schemas/auth";
import { forgetRendersNaming } from "../../../platform/calendarFeed/render";
import { getDb } from "../../../platform/db/client";
import {
  accountTokens,
  authSessions,
  calendarFeeds,
  cardFingerprints,
  calendlyLinks,
  emailOutbox,
  externalCalendars,
  feedRenders,
  notifications,
  reviews,
  students,
  tutorProfiles,
  tutorSubjects,
  tutorWeeklyWindows,
  users,
} from "../../../platform/db/schema";
import { ApiError } from "../../lib/errors";
import { roomOf } from "../../lib/stubs";
import { pushTutorFacts } from "../tutors/facts";
import { closeSockets } from "../auth/sockets";
import { sendAccountEmail } from "../auth/mail";
import { changePlan, subscriptionOf } from "../billing/service";
import { closeAccountSessions, nextStatusVersion } from "../bookings/upcoming";
import { unauthenticated } from "../../middleware/auth";
import { forgetTalk } from "../conversations/account";
import { leaveEveryWaitlist } from "../waitlist/repo";

/**
 * Deletes an account the way the books allow: upcoming sessions are cancelled first under the normal rules
 * (as if the user cancelled them; a student's seat in a group is given up, the group goes on), a running subscription
 * stops renewing, then personal data is erased or anonymised, and a student leaves every waitlist. Bookings, the
 * credit ledger, subscriptions, earnings and payouts stay, tied to an anonymous row.
 */
export async function deleteAccount(env: Env, user: User, now: number): Promise<{ cancelledSessions: number }> {
  const db = getDb(env);
  if (user.role === "admin") {
    const admins = await db.select({ n: count() }).from(users).where(and(eq(users.role, "admin"), eq(users.status, "active"), ne(users.id, user.id))).get();
    if (!admins?.n) throw new ApiError(409, "last_admin", "You are the only admin: invite another admin before you delete your account.");
  }

  const from = new Date(now).toISOString();
  // Nothing more is booked from here (a credential signed before the deletion, another device's, still works for up to
  // a minute), and what the account holds is cancelled even if D1 does not list it yet. The closing takes the account's
  // next status version while it is still active (suspended since it was checked: refused, as it would have been).
  const [closing] = await db.update(users).set({ statusVersion: nextStatusVersion() }).where(and(eq(users.id, user.id), eq(users.status, "active"))).returning({ version: users.statusVersion });
  if (!closing) throw unauthenticated();
  let cancelledSessions = (await closeAccountSessions(env, user, { id: user.id, role: user.role }, now, closing.version)) ?? 0;

  if (user.role === "student") {
    const sub = await subscriptionOf(env, user.id);
    if (sub && sub.planId !== "free" && !sub.cancelAtPeriodEnd) await changePlan(env, user, "free");
  }

  // The goodbye email goes out before the address is erased.
  await sendAccountEmail(env, { ...user, userId: user.id }, { kind: "account_deleted", at: from, cancelledSessions }, `account-deleted:${user.id}`);
  await closeSockets(env, user.id, undefined, now);
  await forgetTalk(env, user.id, now);
  // Room chat keeps the name a line was said under: the rooms that may still hold theirs anonymise it.
  for (const id of await roomsWithChatOf(db, user.id, now)) await roomOf(env, id).forget({ userId: user.id });
  const [[deletion]] = await db.batch([
    db
      .update(users)
      .set({ email: `deleted+${user.id}@deleted.invalid`, name: "Deleted user", passwordHash: "!deleted", emailVerifiedAt: null, locale: "en", status: "deleted", deletedAt: from, statusVersion: nextStatusVersion() })
      .where(eq(users.id, user.id))
      .returning({ version: users.statusVersion }),
    db.delete(authSessions).where(eq(authSessions.userId, user.id)),
    db.delete(accountTokens).where(eq(accountTokens.userId, user.id)),
    db.delete(notifications).where(eq(notifications.userId, user.id)),
    db.delete(emailOutbox).where(and(eq(emailOutbox.userId, user.id), ne(emailOutbox.dedupeKey, `account-deleted:${user.id}`))),
    db.delete(calendarFeeds).where(eq(calendarFeeds.userId, user.id)),
    db.delete(calendlyLinks).where(eq(calendlyLinks.tutorId, user.id)),
    db.delete(externalCalendars).where(eq(externalCalendars.tutorId, user.id)),
    db.update(students).set({ learningGoals: null }).where(eq(students.userId, user.id)),
    db.update(tutorProfiles).set({ bio: "", approvedAt: null, photoVersion: null, introVideoUrl: null }).where(eq(tutorProfiles.userId, user.id)),
    db.delete(tutorSubjects).where(eq(tutorSubjects.tutorId, user.id)),
    db.delete(tutorWeeklyWindows).where(eq(tutorWeeklyWindows.tutorId, user.id)),
    db.update(reviews).set({ comment: null }).where(eq(reviews.studentId, user.id)),
    db.delete(feedRenders).where(eq(feedRenders.userId, user.id)),
    db.delete(cardFingerprints).where(eq(cardFingerprints.userId, user.id)),
  ]);
  // Admins suspending and restoring the account while this ran may have reopened its wallet or calendar after the
  // closing above: the deletion's own status version, newer than theirs, closes it for good (what it took meanwhile is
  // cancelled too), and no restore older than it reopens it.
  if (deletion) cancelledSessions += (await closeAccountSessions(env, user, { id: user.id, role: user.role }, now, deletion.version)) ?? 0;
  // After the name is erased: the feeds that named them drop their kept renders (a new GET renders without it).
  await forgetRendersNaming(env, user.id);
  // After the account is marked deleted, so a waitlist join racing this sees it gone (features/waitlist/repo.ts).
  if (user.role === "student") await leaveEveryWaitlist(env, user.id, now);
  if (user.role === "tutor") {
    await forgetPhotos(env, user.id);
    await pushTutorFacts(env, user.id); // no longer bookable
  }
  return { cancelledSessions };
}
