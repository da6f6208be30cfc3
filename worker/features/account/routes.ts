import { z } from "zod";
import { deviceLabel, deviceOf } from "../../../domain/accounts/device";
import { ChangeEmailSchema, ChangePasswordSchema, DeleteAccountSchema, ProfileUpdateSchema } from "../../../domain/schemas/auth";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError, notFound } from "../../lib/errors";
import { hashPassword } from "../../lib/password";
import { validate } from "../../lib/validate";
import { currentSessionId, currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { appUrl, sendAccountEmail } from "../auth/mail";
import { accountUser, findAccount, isActiveAccount, learningGoalsOf, setPassword, updateProfile } from "../auth/repo";
import { pushTutorFacts } from "../tutors/facts";
import { moveCalendarZone } from "../tutors/zone";
import { checkPassword, rememberDevice, sendVerification } from "../auth/routes";
import { clearCookies, refreshCredential, startSession } from "../auth/session";
import { listSessions, revokeAllSessions, revokeSession } from "../auth/sessionStore";
import { closeSockets } from "../auth/sockets";
import { renewFeed } from "../calendarSync/feedRepo";
import { forgetAllSubscriptions, moveSubscriptions } from "../push/repo";
import { pendingEmailOf, voidStaleTokens } from "../auth/tokens";
import { deleteAccount } from "./deletion";
import { exportAccount } from "./export";

const SessionParam = z.object({ id: z.string().min(1).max(64) });
const wrongPassword = () => new ApiError(401, "invalid_credentials", "That password is not right.");

/**
 * The caller's account, once `password` proves it, for a change only its owner may make (a new password or address,
 * deletion). Within the credential's bound the caller is believed, so an account suspended or deleted since is refused
 * first: it changes nothing of itself, erases nothing an admin may restore, and above all gets no new session (which
 * would carry it past the bound, a minute at a time).
 */
async function ownAccount(c: Parameters<typeof checkPassword>[0], password: string) {
  const account = await findAccount(getDb(c.env), currentUser(c).id);
  if (account?.status !== "active") throw unauthenticated();
  if ((await checkPassword(c, account.email, password, [account])) < 0) throw wrongPassword();
  return account;
}

/** The signed-in user's own account: profile, password, address, devices, export and deletion. */
export const accountRoutes = newApp()
  .get("/me", requireRole(), (c) => c.json({ user: currentUser(c) }, 200))
  /** What the settings page shows beyond the user: learning goals, an address change waiting for its link. */
  .get("/me/account", requireRole(), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const [account, learningGoals, pendingEmail] = await Promise.all([findAccount(db, me.id), me.role === "student" ? learningGoalsOf(db, me.id) : null, pendingEmailOf(db, me.id, me.email, Date.now())]);
    if (!account) throw notFound("Your account");
    return c.json({ user: accountUser(account), learningGoals, pendingEmail, createdAt: account.createdAt }, 200);
  })
  .patch("/me", requireRole(), validate("json", ProfileUpdateSchema), async (c) => {
    const me = currentUser(c);
    const change = c.req.valid("json");
    if (change.learningGoals !== undefined && me.role !== "student") {
      throw new ApiError(400, "invalid_request", "Only students have learning goals.", [{ path: "learningGoals", message: "Only students have learning goals" }]);
    }
    const db = getDb(c.env);
    // Within the credential's bound the caller is believed; an account deleted or suspended since takes no edits.
    if (!(await isActiveAccount(db, me.id))) throw unauthenticated();
    if (me.role === "tutor" && change.timezone !== undefined) await moveCalendarZone(c.env, me.id, change.timezone); // one zone (tutors/zone.ts)
    await updateProfile(db, me, change);
    if (me.role === "tutor" && change.name !== undefined) await pushTutorFacts(c.env, me.id); // booking answers carry the name
    const account = await findAccount(db, me.id);
    if (!account) throw notFound("Your account");
    const user = accountUser(account);
    await refreshCredential(c, user);
    return c.json({ user, learningGoals: me.role === "student" ? await learningGoalsOf(db, me.id) : null }, 200);
  })
  /** A new password: needs the current one; this device gets a new session, every other one ends. */
  .post("/me/password", requireRole(), validate("json", ChangePasswordSchema), async (c) => {
    const me = currentUser(c);
    const { current, password } = c.req.valid("json");
    const db = getDb(c.env);
    const account = await ownAccount(c, current);
    const now = Date.now();
    const passwordHash = await hashPassword(password);
    await setPassword(db, me.id, passwordHash);
    // Open reset links and a pending change of address go with the old password.
    await voidStaleTokens(db, me.id, account.email, now);
    const user = accountUser(account);
    // This browser signs in anew and keeps its push subscription; every other session ends, and with it the
    // subscriptions made under it (a browser signed out is pushed nothing). The calendar feed URL stays: it sits in
    // the owner's calendar apps; a reset or signing out everywhere renews it.
    const previous = currentSessionId(c);
    await startSession(c, user, now);
    const fresh = currentSessionId(c);
    await db.batch([moveSubscriptions(db, me.id, previous, fresh), revokeAllSessions(db, me.id, fresh)]);
    await closeSockets(c.env, me.id, undefined, now);
    // Every known-device mark went with the old password; this browser, which knew it, gets a new one.
    await rememberDevice(c, { ...account, passwordHash });
    await sendAccountEmail(c.env, { ...user, userId: user.id }, { kind: "password_changed", at: new Date(now).toISOString(), resetLink: `${appUrl(c.env, c.req.url)}/forgot-password` }, `password-changed:${user.id}:${now}`);
    return c.json({ user }, 200);
  })
  /** A new address: it is used once its link is clicked; the old address is told. Same answer if it is taken. */
  .post("/me/email", requireRole(), validate("json", ChangeEmailSchema), async (c) => {
    const { email, password } = c.req.valid("json");
    const account = await ownAccount(c, password);
    if (email === account.email) throw new ApiError(400, "invalid_request", "That is already your address.", [{ path: "email", message: "That is already your address" }]);
    const now = Date.now();
    await sendVerification(c, account, email, "email_change", now);
    if (account.emailVerifiedAt) {
      await sendAccountEmail(c.env, { ...account, userId: account.id }, { kind: "email_change_notice", newEmail: email, at: new Date(now).toISOString() }, `email-change-notice:${account.id}:${now}`);
    }
    return c.json({ pendingEmail: email, message: `We sent a link to ${email}. Your address changes when you open it.` }, 202);
  })
  .get("/me/sessions", requireRole(), async (c) => {
    const me = currentUser(c);
    const current = currentSessionId(c);
    const rows = await listSessions(getDb(c.env), me.id, Date.now());
    // `device` in English for API clients; `browser` and `os` for the page to say in the viewer's language.
    const sessions = rows.map(({ userAgent, ...s }) => ({ ...s, id: s.id ?? "", device: deviceLabel(userAgent), ...deviceOf(userAgent), current: s.id === current }));
    return c.json({ sessions }, 200);
  })
  /** Signs one device out (this one too, when it is the current session); its sockets close at once, its pushes stop. */
  .delete("/me/sessions/:id", requireRole(), validate("param", SessionParam), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    if (!(await revokeSession(getDb(c.env), me.id, id))) throw notFound("That session");
    await closeSockets(c.env, me.id, id);
    if (id === currentSessionId(c)) clearCookies(c);
    return c.body(null, 204);
  })
  /**
   * Signs out everywhere, this device included: every browser's push subscription goes, and the calendar feed gets a
   * new URL (one copied while someone else had a session stops with it).
   */
  .post("/me/sessions/revoke-all", requireRole(), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    await db.batch([revokeAllSessions(db, me.id), forgetAllSubscriptions(db, me.id), renewFeed(db, me.id, new Date())]);
    await closeSockets(c.env, me.id);
    clearCookies(c);
    return c.body(null, 204);
  })
  .get("/me/export", requireRole(), async (c) => {
    const now = Date.now();
    const data = await exportAccount(c.env, currentUser(c), now);
    c.header("Content-Disposition", `attachment; filename="tutorly-data-${new Date(now).toISOString().slice(0, 10)}.json"`);
    c.header("Cache-Control", "no-store");
    return c.json(data, 200);
  })
  /** Deletes the account (password needed): upcoming sessions cancelled, personal data erased, books kept. */
  .delete("/me", requireRole(), validate("json", DeleteAccountSchema), async (c) => {
    const account = await ownAccount(c, c.req.valid("json").password);
    const result = await deleteAccount(c.env, accountUser(account), Date.now());
    clearCookies(c);
    return c.json({ deleted: true, ...result }, 200);
  });
