import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { z } from "zod";
import type { AcceptInviteSchema, User } from "../../../domain/schemas/auth";
import { getDb } from "../../../platform/db/client";
import { adminInvitations } from "../../../platform/db/schema";
import { newToken, sha256Hex } from "../../lib/crypto";
import { ApiError } from "../../lib/errors";
import { hashPassword } from "../../lib/password";
import { sendAccountEmail } from "./mail";
import { createUser, ownerOf } from "./repo";

export const INVITE_TTL_MS = 7 * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const emailTaken = () => new ApiError(409, "email_taken", "An account already uses this address.");

/** An admin invites `email` to become an admin: a single-use link, valid for 7 days. */
export async function inviteAdmin(env: Env, by: User, email: string, baseUrl: string, now: number) {
  const db = getDb(env);
  if (await ownerOf(db, email)) throw emailTaken();
  const token = newToken();
  const expiresAt = iso(now + INVITE_TTL_MS);
  await db.insert(adminInvitations).values({ tokenHash: await sha256Hex(token), email, invitedBy: by.id, createdAt: iso(now), expiresAt });
  // The invitee has no zone yet: the inviter's is the best guess, and the email names it.
  const to = { userId: null, email, name: email.split("@")[0]!, timezone: by.timezone, locale: by.locale };
  await sendAccountEmail(env, to, { kind: "admin_invite", link: `${baseUrl}/accept-invite?token=${token}`, expiresAt, invitedBy: by.name }, `admin-invite:${token.slice(0, 16)}`);
  return { email, expiresAt };
}

/** Open invitations, newest first, for the console. */
export const openInvitations = (env: Env, now: number) =>
  getDb(env)
    .select({ email: adminInvitations.email, invitedBy: adminInvitations.invitedBy, createdAt: adminInvitations.createdAt, expiresAt: adminInvitations.expiresAt })
    .from(adminInvitations)
    .where(and(isNull(adminInvitations.acceptedAt), gt(adminInvitations.expiresAt, iso(now))))
    .orderBy(desc(adminInvitations.createdAt))
    .limit(50)
    .all();

/** Uses an invitation up and creates its admin (verified: the link proved the address). Null for a bad link. */
export async function acceptInvitation(env: Env, input: z.output<typeof AcceptInviteSchema>, now: number): Promise<User | null> {
  const db = getDb(env);
  const tokenHash = await sha256Hex(input.token);
  const open = await db.select({ email: adminInvitations.email }).from(adminInvitations).where(and(eq(adminInvitations.tokenHash, tokenHash), isNull(adminInvitations.acceptedAt), gt(adminInvitations.expiresAt, iso(now)))).get();
  if (!open) return null;
  if (await ownerOf(db, open.email)) throw emailTaken();
  const passwordHash = await hashPassword(input.password);
  const [claimed] = await db
    .update(adminInvitations)
    .set({ acceptedAt: iso(now) })
    .where(and(eq(adminInvitations.tokenHash, tokenHash), isNull(adminInvitations.acceptedAt)))
    .returning({ email: adminInvitations.email });
  if (!claimed) return null;
  const user = await createUser(db, { email: claimed.email, name: input.name, role: "admin", timezone: input.timezone, locale: input.locale ?? "en", passwordHash, emailVerifiedAt: iso(now) });
  await db.update(adminInvitations).set({ acceptedUserId: user.id }).where(eq(adminInvitations.tokenHash, tokenHash));
  return user;
}
