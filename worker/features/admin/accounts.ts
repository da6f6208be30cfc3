import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { AdminInviteSchema, SuspendSchema } from "../../../domain/schemas/auth";
import { newApp } from "../../app";
import { getDb } from "../../../platform/db/client";
import { adminInvitations, auditLog, authSessions, users } from "../../../platform/db/schema";
import { ApiError, notFound } from "../../lib/errors";
import { accountOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole, unauthenticated } from "../../middleware/auth";
import { inviteAdmin, openInvitations } from "../auth/invitations";
import { appUrl, sendAccountEmail } from "../auth/mail";
import { accountUser, findAccount, isActiveAccount } from "../auth/repo";
import { closeSockets } from "../auth/sockets";
import { holdBilling, releaseBilling } from "../billing/hold";
import { closeAccountSessions, nextStatusVersion } from "../bookings/upcoming";
import { pushTutorFacts } from "../tutors/facts";
import { leaveEveryWaitlist } from "../waitlist/repo";
import { PageCursor, nextOf, olderThan } from "./pages";

const Id = z.object({ id: z.string().min(1).max(64) });
const notSuspended = () => new ApiError(409, "not_suspended", "This account is not suspended.");
const AuditQuery = z.object({ before: PageCursor.optional(), targetId: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Admins running accounts: inviting admins, suspending and restoring anyone, and the audit log. */
export const adminAccountRoutes = newApp()
  .use("/admin/*", requireRole("admin"))
  .post("/admin/admins/invite", validate("json", AdminInviteSchema), async (c) => {
    const invitation = await inviteAdmin(c.env, currentUser(c), c.req.valid("json").email, appUrl(c.env, c.req.url), Date.now());
    return c.json({ invitation }, 201);
  })
  .get("/admin/admins/invitations", async (c) => c.json({ invitations: await openInvitations(c.env, Date.now()) }, 200))
  /** Suspends an account: its sessions end and its live and room sockets close at once; it cannot sign in. */
  .post("/admin/users/:id/suspend", validate("param", Id), validate("json", SuspendSchema), async (c) => {
    const me = currentUser(c);
    const { id } = c.req.valid("param");
    if (id === me.id) throw new ApiError(409, "cannot_suspend_self", "You cannot suspend your own account.");
    const db = getDb(c.env);
    const account = await findAccount(db, id);
    if (!account || account.status === "deleted") throw notFound("That account");
    if (account.status === "suspended") throw new ApiError(409, "already_suspended", "This account is already suspended.");
    const now = new Date();
    // One transaction, checked as it writes: the one suspending is still an active admin when it commits. So two
    // admins suspending each other at once cannot both succeed, and an active admin always remains (nobody suspends
    // themselves).
    const actorActive = sql`EXISTS (SELECT 1 FROM ${users} AS actor WHERE actor.id = ${me.id} AND actor.status = 'active')`;
    // What follows the suspension in the batch happens only if it did.
    const nowSuspended = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${id} AND ${users.status} = 'suspended')`;
    const [suspended] = await db.batch([
      db
        .update(users)
        .set({ status: "suspended", suspendedAt: now.toISOString(), statusVersion: nextStatusVersion() })
        .where(and(eq(users.id, id), eq(users.status, "active"), actorActive))
        .returning({ version: users.statusVersion }),
      db.delete(authSessions).where(and(eq(authSessions.userId, id), nowSuspended)),
      // Invitations a suspended admin sent no longer open the door.
      db.update(adminInvitations).set({ expiresAt: now.toISOString() }).where(and(eq(adminInvitations.invitedBy, id), isNull(adminInvitations.acceptedAt), gt(adminInvitations.expiresAt, now.toISOString()), nowSuspended)),
    ]);
    const [suspension] = suspended;
    if (!suspension) {
      if (!(await isActiveAccount(db, me.id))) throw unauthenticated();
      throw new ApiError(409, "already_suspended", "This account is already suspended.");
    }
    const user = accountUser(account);
    // Nobody waits for a lesson a suspended account cannot give or attend: it books nothing more from here (its signed
    // credential works for up to a minute), and its sessions to come are cancelled by the admin (the students refunded
    // in full, everyone told); a suspended student's seat in a group is given up (refunded in full) and the group goes
    // on. `cancelledSessions` counts both. A restore that reached the wallet or calendar first (another admin, right
    // after the write above) outranks this closing by its status version: then nothing is closed, cancelled or left.
    const closed = await closeAccountSessions(c.env, user, { id: me.id, role: "admin" }, now.getTime(), suspension.version);
    await closeSockets(c.env, id, undefined, now.getTime());
    await pushTutorFacts(c.env, id); // the calendar's facts as D1 holds them now (nothing for other roles)
    // No freed seat is held for someone who cannot take it: a suspended student leaves every waitlist.
    if (user.role === "student" && closed !== null) await leaveEveryWaitlist(c.env, id, now.getTime());
    // They cannot sign in to cancel their plan: its billing is held until a restore (the suspension stands if Stripe fails).
    const billingPaused = user.role === "student" && (await holdBilling(c.env, id, now));
    await sendAccountEmail(c.env, { ...user, userId: id }, { kind: "account_suspended", at: now.toISOString(), reason: c.req.valid("json").reason, billingPaused }, `suspended:${id}:${now.getTime()}`);
    return c.json({ user: { ...user, status: "suspended" as const, suspendedAt: now.toISOString() }, cancelledSessions: closed ?? 0 }, 200);
  })
  .post("/admin/users/:id/restore", validate("param", Id), async (c) => {
    const { id } = c.req.valid("param");
    const db = getDb(c.env);
    const account = await findAccount(db, id);
    if (!account || account.status === "deleted") throw notFound("That account");
    if (account.status !== "suspended") throw notSuspended();
    const now = new Date();
    const user = accountUser(account);
    // Two steps, each taking the next status version while the account is still suspended. The wallet is reopened with
    // the first, before the account is active again with the second, so a restored student is never refused a booking
    // for a closed wallet; the tutor's facts, read after the second, outrank any read while suspended. A status change
    // in between (another admin's restore, the account's deletion) outranks this one: the second step then refuses.
    const [opening] = await db.update(users).set({ statusVersion: nextStatusVersion() }).where(and(eq(users.id, id), eq(users.status, "suspended"))).returning({ version: users.statusVersion });
    if (!opening) throw notSuspended();
    if (user.role === "student") await accountOf(c.env, id).reopenAccount({ studentId: id, now: now.getTime(), version: opening.version });
    const [restored] = await db
      .update(users)
      .set({ status: "active", suspendedAt: null, statusVersion: nextStatusVersion() })
      .where(and(eq(users.id, id), eq(users.status, "suspended"), eq(users.statusVersion, opening.version)))
      .returning({ id: users.id });
    if (!restored) throw notSuspended();
    await pushTutorFacts(c.env, id);
    if (user.role === "student") await releaseBilling(c.env, id, now);
    await sendAccountEmail(c.env, { ...user, userId: id }, { kind: "account_restored", at: now.toISOString() }, `restored:${id}:${now.getTime()}`);
    return c.json({ user: { ...user, status: "active" as const, suspendedAt: null } }, 200);
  })
  /** The audit log, newest first; page with `before` (the previous page's `next`). */
  .get("/admin/audit", validate("query", AuditQuery), async (c) => {
    const { before, targetId, limit } = c.req.valid("query");
    const actor = alias(users, "actor");
    const target = alias(users, "target");
    const rows = await getDb(c.env)
      .select({ id: auditLog.id, at: auditLog.at, action: auditLog.action, targetId: auditLog.targetId, detail: auditLog.detail, requestId: auditLog.requestId, actorId: auditLog.actorId, actorName: actor.name, actorEmail: actor.email, targetName: target.name })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorId))
      .leftJoin(target, eq(target.id, auditLog.targetId))
      // Entries of one moment are ordered by id, so a page boundary among them skips none.
      .where(and(before ? olderThan(auditLog.at, auditLog.id, before) : undefined, targetId ? eq(auditLog.targetId, targetId) : undefined))
      .orderBy(desc(auditLog.at), desc(auditLog.id))
      .limit(limit)
      .all();
    const entries = rows.map(({ actorName, actorEmail, ...r }) => ({ ...r, actor: { id: r.actorId, name: actorName ?? "", email: actorEmail ?? "" } }));
    return c.json({ entries, next: nextOf(rows, limit) }, 200);
  });
