import { and, count, eq, gt, lt } from "drizzle-orm";
import type { Db } from "../../../platform/db/client";
import { loginFailures, students, tutorProfiles, users } from "../../../platform/db/schema";
import type { User } from "../../../domain/schemas/auth";

export const THROTTLE = { maxFailures: 10, windowMinutes: 15 } as const;

const publicUser = { id: users.id, email: users.email, name: users.name, role: users.role, timezone: users.timezone };

export type NewUser = Omit<User, "id"> & { passwordHash: string };

/** Inserts the user and their role's row in one batch; `null` when the email is already registered. */
export async function createUser(db: Db, input: NewUser): Promise<User | null> {
  const id = crypto.randomUUID();
  const roleRow =
    input.role === "tutor"
      ? db.insert(tutorProfiles).values({ userId: id, timezone: input.timezone })
      : input.role === "student"
        ? db.insert(students).values({ userId: id })
        : null;
  try {
    await db.batch([db.insert(users).values({ id, ...input }), ...(roleRow ? [roleRow] : [])]);
  } catch (e) {
    if (String((e as Error)?.message ?? e).includes("UNIQUE constraint failed: users.email")) return null;
    throw e;
  }
  const { passwordHash: _, ...user } = input;
  return { id, ...user };
}

export const findUserByEmail = (db: Db, email: string) =>
  db
    .select({ ...publicUser, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.email, email))
    .get();

export const findUserById = (db: Db, id: string) => db.select(publicUser).from(users).where(eq(users.id, id)).get();

const windowStart = (now: Date) => new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();

export async function recentFailures(db: Db, email: string, now: Date): Promise<number> {
  const row = await db
    .select({ n: count() })
    .from(loginFailures)
    .where(and(eq(loginFailures.email, email), gt(loginFailures.at, windowStart(now))))
    .get();
  return row?.n ?? 0;
}

/** Records a failed login and prunes this email's failures that fell out of the window. */
export async function recordFailure(db: Db, email: string, now: Date): Promise<void> {
  await db.batch([
    db.insert(loginFailures).values({ email, at: now.toISOString() }),
    db.delete(loginFailures).where(and(eq(loginFailures.email, email), lt(loginFailures.at, windowStart(now)))),
  ]);
}

export const clearFailures = (db: Db, email: string) => db.delete(loginFailures).where(eq(loginFailures.email, email));
