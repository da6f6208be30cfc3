import type { Context } from "hono";
import { pushTutorFacts } from "../tutors/facts";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import {
  AcceptInviteSchema,
  LoginSchema,
  PasswordResetConfirmSchema,
  PasswordResetRequestSchema,
  SignupSchema,
  VerifyEmailSchema,
} from "../../../domain/schemas/auth";
import { acceptLanguageTags, negotiateLocale } from "../../../domain/i18n/locales";
import { type AppEnv, newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { ApiError } from "../../lib/errors";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../../lib/password";
import { validate } from "../../lib/validate";
import { clientIp } from "../../middleware/limits";
import { currentUser, requireRole } from "../../middleware/auth";
import { type MarkedAccount, isKnownDevice, knownDeviceMark, signingSecret } from "./credential";
import { takeAddressMail, takeResetMail } from "./addressMails";
import { acceptInvitation } from "./invitations";
import { appUrl, sendAccountEmail } from "./mail";
import { accountUser, claimEmail, createSignupUser, findAccount, loginCandidates, ownerOf, resetAccounts, setPassword } from "./repo";
import { clearCookies, endSession, refreshCredential, startSession } from "./session";
import { revokeAllSessions } from "./sessionStore";
import { closeSockets } from "./sockets";
import { renewFeed } from "../calendarSync/feedRepo";
import { forgetAllSubscriptions } from "../push/repo";
import { type ThrottleKeys, admitAttempt, forgiveAccount, forgiveAttempt } from "./throttle";
import { consumeToken, isOpenToken, issueToken, tokensSince, voidOthersLinks, voidStaleTokens } from "./tokens";

const KNOWN_DEVICE_COOKIE = "tutorly_device";
/** Verification links a user may ask for per hour (signup's own included). */
export const RESEND_PER_HOUR = 3;
const HOUR_MS = 60 * 60_000;

type Ctx = Context<AppEnv>;

export const invalidLink = () => new ApiError(400, "invalid_token", "This link is no longer valid: it was used already or has expired. Ask for a new one.");
/** A signup with an address that already holds as many unconfirmed accounts as a sign-in checks. */
const addressBusy = () =>
  new ApiError(
    429,
    "address_busy",
    "Several accounts are already waiting for this address to be confirmed, so no more can be made with it. If it is your address, sign in, open a confirmation link we emailed to it, or choose a new password from “Forgot your password?”.",
  );
const throttled = (seconds: number) =>
  new ApiError(429, "too_many_attempts", `Too many failed attempts. Try again in ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}.`, undefined, { "Retry-After": String(seconds) });

/** An account a password is checked against: its id and hash, and whether it owns its address (confirmed it). */
export type PasswordAccount = MarkedAccount & { emailVerifiedAt: string | null };

/** `owner`: the account that owns `email`, the only one whose known devices skip the per-account limit. */
export async function throttleKeys(c: Ctx, email: string, owner: MarkedAccount | undefined): Promise<ThrottleKeys> {
  return { address: clientIp(c), email, knownDevice: await isKnownDevice(signingSecret(c.env), getCookie(c, KNOWN_DEVICE_COOKIE), owner) };
}

/**
 * Checks a password under the sign-in throttle (sign-in, and the account routes that ask for the password
 * again): 429 while a delay runs. Returns the index of the account the password matches, or -1; a match forgives
 * the account's failures.
 */
export async function checkPassword(c: Ctx, email: string, password: string, accounts: PasswordAccount[]): Promise<number> {
  const keys = await throttleKeys(c, email, accounts.find((a) => a.emailVerifiedAt !== null));
  const admitted = await admitAttempt(c.env.DB, keys, Date.now());
  if (!admitted.ok) throw throttled(admitted.retryAfterSeconds);
  // Verify against a dummy hash when there is no account, so timing does not tell which addresses exist.
  if (!accounts.length) {
    await verifyPassword(password, DUMMY_HASH);
    return -1;
  }
  for (const [i, { passwordHash, emailVerifiedAt }] of accounts.entries()) {
    if (await verifyPassword(password, passwordHash)) {
      await forgiveAttempt(c.env.DB, keys, admitted.attemptId, emailVerifiedAt !== null);
      return i;
    }
  }
  return -1;
}

/**
 * Sends the address a confirmation link, or, when another account owns it, a note to its owner that they have one.
 * Either way the requester is issued a link (the note just does not carry it), so what they can see afterwards, the
 * resends left and the address pending, is the same whoever owns the address. The address gets at most
 * `ADDRESS_MAILS.perHour` of these an hour from all accounts together (addressMails.ts); past that nothing is sent.
 * A link goes to an address its account has not shown it reads yet, so it greets no one by the account's name.
 */
export async function sendVerification(c: Ctx, user: { id: string; timezone: string; locale: string }, email: string, kind: "verify_email" | "email_change", now: number) {
  const db = getDb(c.env);
  const base = appUrl(c.env, c.req.url);
  const { token, expiresAt } = await issueToken(db, { userId: user.id, purpose: "verify_email", email, now });
  const owner = await ownerOf(db, email);
  if (!(await takeAddressMail(c.env.DB, email, now))) return;
  if (owner && owner.id !== user.id) {
    const to = { userId: owner.id, email, name: owner.name, timezone: owner.timezone, locale: owner.locale };
    await sendAccountEmail(c.env, to, { kind: "already_registered", loginLink: `${base}/login`, resetLink: `${base}/forgot-password` }, `already-registered:${owner.id}:${token.slice(0, 16)}`);
    return;
  }
  const link = `${base}/verify-email?token=${token}`;
  const to = { userId: user.id, email, name: null, timezone: user.timezone, locale: user.locale };
  await sendAccountEmail(c.env, to, kind === "verify_email" ? { kind, link, expiresAt } : { kind, link, expiresAt, newEmail: email }, `verify:${token.slice(0, 16)}`);
}

/**
 * Remembers this browser as a known device of `account` for the throttle, after it proved the password of the account
 * that owns the address (a sign-in, a reset, a new password). Never at signup, which anyone can do with any address,
 * and never for an unconfirmed account: several may share an address, and any of them may be a stranger's.
 */
export async function rememberDevice(c: Ctx, account: PasswordAccount) {
  if (account.emailVerifiedAt === null) return;
  const secure = new URL(c.req.url).protocol === "https:";
  // A mark given before it was scoped to all of /api: a browser would send that one first to sign-in (the longer path
  // wins), and it goes stale with the next password while the new one stands.
  deleteCookie(c, KNOWN_DEVICE_COOKIE, { path: "/api/auth", secure });
  // All of /api: sign-in, and the account routes that ask for the password again (new password, new address, deletion).
  setCookie(c, KNOWN_DEVICE_COOKIE, await knownDeviceMark(signingSecret(c.env), account), { httpOnly: true, sameSite: "Lax", path: "/api", maxAge: 365 * 86_400, secure });
}

/** Signed in on this device with the account's password, remembered as a known device of it when it owns its address. */
async function signIn(c: Ctx, user: Parameters<typeof startSession>[1], account: PasswordAccount) {
  await startSession(c, user);
  await rememberDevice(c, account);
}

/** The locale of a new account that did not say one: the first of the browser's languages we ship. */
const requestLocale = (acceptLanguage: string | undefined) => negotiateLocale(acceptLanguageTags(acceptLanguage));

export const authRoutes = newApp()
  /**
   * 201 with a signed-in, unverified account: whether the address already had an account is told only to that
   * address (the email says "you already have an account" instead of carrying a link). 429 `address_busy` once the
   * address holds `UNCONFIRMED_PER_ADDRESS` unconfirmed accounts, owned or not, after those nobody came back for went
   * (repo.ts `createSignupUser`): it tells only that signups with the address wait to be confirmed, and keeps every one
   * of them within what a sign-in checks.
   */
  .post("/auth/signup", validate("json", SignupSchema), async (c) => {
    const { password, locale, ...profile } = c.req.valid("json");
    const user = await createSignupUser(c.env.DB, { ...profile, locale: locale ?? requestLocale(c.req.header("Accept-Language")), passwordHash: await hashPassword(password) }, Date.now());
    if (!user) throw addressBusy();
    // Signed in, but no known-device mark: anyone may sign up with any address.
    await startSession(c, user);
    await sendVerification(c, user, user.email, "verify_email", Date.now());
    return c.json({ user }, 201);
  })
  .post("/auth/login", validate("json", LoginSchema), async (c) => {
    const { email, password } = c.req.valid("json");
    const candidates = await loginCandidates(getDb(c.env), email);
    const match = candidates[await checkPassword(c, email, password, candidates)];
    if (!match) throw new ApiError(401, "invalid_credentials", "That email and password do not match an account.");
    if (match.status !== "active") throw new ApiError(403, "account_suspended", "This account is suspended. Reply to the email we sent you, or contact support.");
    const user = accountUser(match);
    await signIn(c, user, match);
    return c.json({ user }, 200);
  })
  .post("/auth/logout", requireRole(), async (c) => {
    const sessionId = c.get("sessionId");
    await endSession(c);
    if (sessionId) c.executionCtx.waitUntil(closeSockets(c.env, currentUser(c).id, sessionId));
    return c.body(null, 204);
  })
  /**
   * Always 202, known address or not; the email (if any) is sent after the answer, at most `RESET_MAILS_PER_HOUR` an
   * hour to one address (counted atomically, so requests arriving together get no more). An address an account
   * confirmed gets that account's link; one nobody confirmed gets a link for each account signed up with it, each
   * described, so the inbox's owner opens their own and never a stranger's who used the address after or before them.
   */
  .post("/auth/password-reset/request", validate("json", PasswordResetRequestSchema), async (c) => {
    const { email } = c.req.valid("json");
    const base = appUrl(c.env, c.req.url);
    const locale = requestLocale(c.req.header("Accept-Language"));
    const now = Date.now();
    const link = (token: string) => `${base}/reset-password?token=${token}`;
    c.executionCtx.waitUntil(
      (async () => {
        const db = getDb(c.env);
        const accounts = await resetAccounts(db, email);
        if (!accounts.length || !(await takeResetMail(c.env.DB, email, now))) return;
        const issued = await Promise.all(accounts.map(async (account) => ({ account, ...(await issueToken(db, { userId: account.id, purpose: "password_reset", email, now })) })));
        const [first] = issued;
        if (!first) return;
        if (first.account.emailVerifiedAt) {
          await sendAccountEmail(c.env, { ...first.account, userId: first.account.id, email }, { kind: "password_reset", link: link(first.token), expiresAt: first.expiresAt }, `reset:${first.token.slice(0, 16)}`);
          return;
        }
        // Several people's accounts, maybe: greeted by no name, in the asker's language.
        const accountsListed = issued.map(({ account, token }) => ({ name: account.name, role: account.role, timezone: account.timezone, signedUpAt: account.createdAt, link: link(token) }));
        const to = { userId: null, email, name: null, timezone: "UTC", locale };
        await sendAccountEmail(c.env, to, { kind: "password_reset_choice", expiresAt: first.expiresAt, accounts: accountsListed }, `reset:${first.token.slice(0, 16)}`);
      })(),
    );
    return c.json({ message: "If an account uses that address, we sent it a link to choose a new password. It works for 30 minutes." }, 202);
  })
  /**
   * A new password from a reset link: every session ends, with every browser's push subscription, the calendar feed
   * gets a new URL (what someone copied while they had a session stops), the address counts as confirmed, and this
   * device signs in.
   */
  .post("/auth/password-reset/confirm", validate("json", PasswordResetConfirmSchema), async (c) => {
    const { token, password } = c.req.valid("json");
    const db = getDb(c.env);
    const now = Date.now();
    const used = await consumeToken(db, token, "password_reset", now);
    const account = used && (await findAccount(db, used.userId));
    // A link mailed to an address the account has since left is void.
    if (!used || !account || account.status !== "active" || used.email !== account.email) throw invalidLink();
    // An unconfirmed account's link (the inbox's owner picked it from the accounts on the address) confirms the address
    // for it, unless another account confirmed it first: then the link is void, before it changed anything. The other
    // accounts' links to the address go: none of them can take it now.
    if (!account.emailVerifiedAt) {
      if (!(await claimEmail(db, account.id, account.email, new Date(now)))) throw invalidLink();
      await voidOthersLinks(db, account.id, account.email, now);
      if (account.role === "tutor") await pushTutorFacts(c.env, account.id);
    }
    await setPassword(db, account.id, await hashPassword(password));
    await voidStaleTokens(db, account.id, account.email, now);
    await db.batch([revokeAllSessions(db, account.id), forgetAllSubscriptions(db, account.id), renewFeed(db, account.id, new Date(now))]);
    await closeSockets(c.env, account.id);
    await forgiveAccount(c.env.DB, account.email);
    const fresh = await findAccount(db, account.id);
    if (!fresh) throw invalidLink();
    const user = accountUser(fresh);
    await sendAccountEmail(c.env, { ...user, userId: user.id }, { kind: "password_changed", at: new Date(now).toISOString(), resetLink: `${appUrl(c.env, c.req.url)}/forgot-password` }, `password-changed:${user.id}:${now}`);
    clearCookies(c);
    await signIn(c, user, fresh);
    return c.json({ user }, 200);
  })
  /** Confirms an address from its link: at signup, or the new one of an email change. */
  .post("/auth/verify-email", validate("json", VerifyEmailSchema), async (c) => {
    const db = getDb(c.env);
    const now = Date.now();
    const { token } = c.req.valid("json");
    // Signed in, the link confirms this account only: a link of another account's (a stranger who signed up with this
    // address, say) is refused, not used, so nobody confirms someone else's account while looking at their own.
    const signedIn = c.get("user")?.id;
    const used = await consumeToken(db, token, "verify_email", now, signedIn);
    if (!used && signedIn && (await isOpenToken(db, token, "verify_email", now))) {
      throw new ApiError(409, "link_for_another_account", "This link confirms another account's address. Ask for a new link from this account, or sign out to use it.");
    }
    const account = used && (await findAccount(db, used.userId));
    if (!used || !account || account.status !== "active") throw invalidLink();
    const previous = account.email;
    if (!(await claimEmail(db, account.id, used.email, new Date(now)))) {
      throw new ApiError(409, "email_taken", "Another account confirmed this address first. Sign in to that account, or use another address.");
    }
    const user = accountUser({ ...account, email: used.email, emailVerifiedAt: new Date(now).toISOString() });
    if (previous !== used.email) {
      // Reset links mailed to the old address, and other pending changes, no longer stand.
      await voidStaleTokens(db, account.id, used.email, now);
      await sendAccountEmail(c.env, { ...user, userId: user.id, email: previous }, { kind: "email_changed", newEmail: used.email, at: new Date(now).toISOString() }, `email-changed:${user.id}:${now}`);
    }
    if (account.role === "tutor") await pushTutorFacts(c.env, account.id); // a confirmed address is part of being bookable
    if (c.get("user")?.id === user.id) await refreshCredential(c, user);
    return c.json({ user }, 200);
  })
  .post("/auth/verify-email/resend", requireRole(), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const now = Date.now();
    const account = await findAccount(db, me.id);
    if (!account) throw invalidLink();
    if (account.emailVerifiedAt) throw new ApiError(409, "already_verified", "Your email address is already confirmed.");
    if ((await tokensSince(db, me.id, "verify_email", now - HOUR_MS)) >= RESEND_PER_HOUR) {
      throw new ApiError(429, "too_many_requests", `We sent ${RESEND_PER_HOUR} links in the last hour. Check your spam folder, or try again later.`, undefined, { "Retry-After": String(HOUR_MS / 1000) });
    }
    await sendVerification(c, account, account.email, "verify_email", now);
    return c.json({ message: `We sent a new link to ${account.email}.` }, 202);
  })
  /** Creates the admin account an invitation was for, and signs it in. */
  .post("/auth/admin-invite/accept", validate("json", AcceptInviteSchema), async (c) => {
    const input = c.req.valid("json");
    const user = await acceptInvitation(c.env, { ...input, locale: input.locale ?? requestLocale(c.req.header("Accept-Language")) }, Date.now());
    const account = user && (await findAccount(getDb(c.env), user.id));
    if (!user || !account) throw invalidLink();
    await signIn(c, user, account);
    return c.json({ user }, 201);
  })
  /** Who is signed in, for anyone: `{user: null}` for a visitor (a 200, so a browser logs no failed request). */
  .get("/auth/session", (c) => c.json({ user: c.get("user") ?? null }, 200));
