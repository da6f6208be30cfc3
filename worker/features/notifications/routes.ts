import { and, count, desc, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { newApp } from "../../app";
import { isLocalEnvironment } from "../../../platform/environment";
import { getDb, inChunks } from "../../../platform/db/client";
import { emailOutbox, notifications } from "../../../platform/db/schema";
import { notFound } from "../../lib/errors";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";

const ReadSchema = z.union([z.object({ all: z.literal(true) }), z.object({ ids: z.array(z.string().max(64)).min(1).max(100) })]);

export const notificationRoutes = newApp()
  .get("/notifications", requireRole(), async (c) => {
    const db = getDb(c.env);
    const me = currentUser(c);
    const [list, unread] = await Promise.all([
      db.select().from(notifications).where(eq(notifications.userId, me.id)).orderBy(desc(notifications.createdAt)).limit(50).all(),
      db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, me.id), isNull(notifications.readAt))).get(),
    ]);
    return c.json({ notifications: list.map(({ dedupeKey: _, userId: __, ...n }) => n), unread: unread?.n ?? 0 }, 200);
  })
  .post("/notifications/read", requireRole(), validate("json", ReadSchema), async (c) => {
    const me = currentUser(c);
    const body = c.req.valid("json");
    const db = getDb(c.env);
    const readAt = new Date().toISOString();
    const mine = (ids?: string[]) => and(eq(notifications.userId, me.id), isNull(notifications.readAt), ids ? inArray(notifications.id, ids) : undefined);
    // The ids go in parts, all in one batch: a request may name 100 and D1 binds at most 100 values to a statement.
    const [first, ...rest] = "ids" in body ? inChunks(body.ids).map((part) => db.update(notifications).set({ readAt }).where(mine(part))) : [db.update(notifications).set({ readAt }).where(mine())];
    await db.batch([first!, ...rest]);
    return c.body(null, 204);
  })
  /**
   * Local development's mailbox: what would have been emailed, with the links in each, readable without signing
   * in (a password reset link is needed before anyone can). Absent (404) everywhere else.
   */
  .get("/dev/mailbox", async (c) => {
    if (!isLocalEnvironment(c.env)) throw notFound("That page");
    const mails = await getDb(c.env).select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(100).all();
    return c.json({ emails: mails.map(({ dedupeKey: _, ...m }) => ({ ...m, links: m.text.match(/https?:\/\/\S+/g) ?? [] })) }, 200);
  });
