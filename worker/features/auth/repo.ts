import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { isUniqueViolation } from "../../../platform/db/errors";
import { students, tutorProfiles, users } from "../../../platform/db/schema";
import type { User } from "../../../domain/schemas/auth";
import { deleteAbandonedAccounts } from "./abandoned";
import { type UserRow, toUser, userColumns } from "./sessionStore";

export type NewUser = { email: string; name: string; role: User["role"]; timezone: string; locale: string; passwordHash: string; emailVerifiedAt?: string };

/** Inserts the user (unverified unless said otherwise) and their role's row in one batch. */
export async function createUser(db: Db, input: NewUser): Promise<User> {
  const id = crypto.randomUUID();
  const roleRow =
    input.role === "tutor"
      ? db.insert(tutorProfiles).values({ userId: id, timezone: input.timezone })
      : input.role === "student"
        ? db.insert(students).values({ userId: id })
        : null;
  await db.batch([db.insert(users).values({ id, ...input }), ...(roleRow ? [roleRow] : [])]);
  return toUser({ id, email: input.email, name: input.name, role: input.role, timezone: input.timezone, locale: input.locale, emailVerifiedAt: input.emailVerifiedAt ?? null });
}

/**
 * How many of the unconfirmed accounts on one address a sign-in checks, and a reset email lists: also as many as the
 * address may hold (`createSignupUser`), so they are all of them.
 */
export const UNCONFIRMED_PER_ADDRESS = 10;

type SignupInput = Omit<NewUser, "emailVerifiedAt"> & { role: "student" | "tutor" };

/**
 * A signup's account and its role's row, unless the address already has `UNCONFIRMED_PER_ADDRESS` unconfirmed accounts
 * (deleted ones aside): null then, and nothing is written. Anyone may sign up with any address, and a sign-in checks at
 * most that many unconfirmed accounts on it (as many are listed by a reset), so an address never holds more than a
 * sign-in checks: whoever owns the inbox and signed up with it is always among them, however many strangers signed up
 * before them. A full address first loses its abandoned accounts (abandoned.ts: links expired, nothing in them), which
 * the daily job would delete that night anyway, and is counted again: strangers who signed up before its owner and
 * never came back keep the owner out for the life of their links only. The cap holds whether or not an account owns
 * the address, so the refusal never tells which.
 */
export async function createSignupUser(d1: D1Database, input: SignupInput, now: number): Promise<User | null> {
  const user = await insertSignupUser(d1, input);
  if (user || !(await deleteAbandonedAccounts(d1, now, { email: input.email, limit: UNCONFIRMED_PER_ADDRESS })).length) return user;
  return insertSignupUser(d1, input);
}

/**
 * The account and its role's row when the address has room, else null and nothing written. Counted in the INSERT
 * itself, which D1 runs on its own, so signups arriving together never pass the cap together; the role's row follows
 * in the same batch only when the account went in.
 */
async function insertSignupUser(d1: D1Database, input: SignupInput): Promise<User | null> {
  const id = crypto.randomUUID();
  const roleRow =
    input.role === "tutor"
      ? d1.prepare("INSERT INTO tutor_profiles (user_id, timezone) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)").bind(id, input.timezone)
      : d1.prepare("INSERT INTO students (user_id) SELECT ?1 WHERE EXISTS (SELECT 1 FROM users WHERE id = ?1)").bind(id);
  const [inserted] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO users (id, email, name, role, timezone, locale, password_hash) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7
         WHERE (SELECT count(*) FROM users WHERE email = ?2 AND email_verified_at IS NULL AND status != 'deleted') < ?8 RETURNING id`,
      )
      .bind(id, input.email, input.name, input.role, input.timezone, input.locale, input.passwordHash, UNCONFIRMED_PER_ADDRESS),
    roleRow,
  ]);
  if (!inserted?.results.length) return null;
  return toUser({ id, email: input.email, name: input.name, role: input.role, timezone: input.timezone, locale: input.locale, emailVerifiedAt: null });
}

/** The account that verified `email`, if any: it owns the address. */
export const ownerOf = (db: Db, email: string) =>
  db
    .select({ ...userColumns, status: users.status })
    .from(users)
    .where(and(eq(users.email, email), isNotNull(users.emailVerifiedAt)))
    .get();

/**
 * The accounts a sign-in with `email` may mean: the one that owns the address first, then unconfirmed ones in the
 * order they signed up, at most `UNCONFIRMED_PER_ADDRESS` of them (each is a password check, so a flood of signups
 * cannot make a sign-in slow). Signup keeps an address to that many unconfirmed accounts, so these are all of them:
 * strangers who sign up with the address, before or after its owner, never push the owner's account out.
 */
export const loginCandidates = (db: Db, email: string) =>
  db
    .select({ ...userColumns, status: users.status, passwordHash: users.passwordHash, createdAt: users.createdAt })
    .from(users)
    .where(and(eq(users.email, email), sql`${users.status} != 'deleted'`))
    .orderBy(sql`${users.emailVerifiedAt} IS NULL`, asc(users.createdAt), sql`rowid`)
    .limit(1 + UNCONFIRMED_PER_ADDRESS)
    .all();

export type Candidate = Awaited<ReturnType<typeof loginCandidates>>[number];

/**
 * The accounts a password reset of `email` is mailed for: its owner alone once an account confirmed it (none while
 * the owner is suspended); until then each active unconfirmed account on it, as a sign-in sees them, so the inbox's
 * owner picks theirs: a link for one account only would open whichever account a stranger made with the address.
 */
export async function resetAccounts(db: Db, email: string): Promise<Candidate[]> {
  const candidates = await loginCandidates(db, email);
  const owner = candidates.find((a) => a.emailVerifiedAt !== null);
  if (owner) return owner.status === "active" ? [owner] : [];
  return candidates.filter((a) => a.status === "active");
}

export const findAccount = (db: Db, id: string) =>
  db
    .select({ ...userColumns, status: users.status, passwordHash: users.passwordHash, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.id, id))
    .get();

export type Account = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

/** Whether the account exists and is active (neither suspended nor deleted). */
export async function isActiveAccount(db: Db, id: string): Promise<boolean> {
  const row = await db.select({ status: users.status }).from(users).where(eq(users.id, id)).get();
  return row?.status === "active";
}
export const accountUser = (a: UserRow): User => toUser(a);

export const setPassword = (db: Db, userId: string, passwordHash: string) => db.update(users).set({ passwordHash }).where(eq(users.id, userId));


/**
 * Marks `email` verified for the user, moving the account to it when it is a new address. False when another
 * account verified that address first.
 */
export async function claimEmail(db: Db, userId: string, email: string, now: Date): Promise<boolean> {
  try {
    await db.update(users).set({ email, emailVerifiedAt: now.toISOString() }).where(eq(users.id, userId));
    return true;
  } catch (e) {
    if (isUniqueViolation(e, "users.email")) return false;
    throw e;
  }
}

export const learningGoalsOf = async (db: Db, userId: string) =>
  (await db.select({ goals: students.learningGoals }).from(students).where(eq(students.userId, userId)).get())?.goals ?? null;

/** Name, zone and locale on the account (a tutor's public zone follows); learning goals on a student's row. */
export async function updateProfile(db: Db, user: User, change: { name?: string; timezone?: string; locale?: string; learningGoals?: string }) {
  const { learningGoals, ...fields } = change;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  const steps = [];
  if (Object.keys(defined).length) steps.push(db.update(users).set(defined).where(eq(users.id, user.id)));
  if (change.timezone && user.role === "tutor") steps.push(db.update(tutorProfiles).set({ timezone: change.timezone }).where(eq(tutorProfiles.userId, user.id)));
  if (learningGoals !== undefined) steps.push(db.update(students).set({ learningGoals: learningGoals || null }).where(eq(students.userId, user.id)));
  const [first, ...rest] = steps;
  if (first) await db.batch([first, ...rest]);
}
