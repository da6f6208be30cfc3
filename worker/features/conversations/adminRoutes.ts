import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { z } from "zod";
import { HistoryQuerySchema, ResolveReportSchema } from "../../../domain/schemas/conversation";
import { getDb } from "../../../platform/db/client";
import { conversationReports, conversations, users } from "../../../platform/db/schema";
import { newApp } from "../../app";
import { ApiError, notFound } from "../../lib/errors";
import { conversationOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { PageCursor, nextOf, olderThan } from "../admin/pages";
import { currentUser, requireRole } from "../../middleware/auth";
import { factsOf } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const ReportsQuery = z.object({ status: z.enum(["open", "closed"]).default("open"), before: PageCursor.optional(), limit: z.coerce.number().int().min(1).max(100).default(100) });
const reporter = alias(users, "reporter");
const reported = alias(users, "reported");
const person = (u: typeof reporter | typeof reported) => ({ id: u.id, name: u.name, email: u.email, role: u.role, status: u.status });

/**
 * The admin console's view of reported conversations. An admin reads a conversation only once one of its
 * participants reported it; everything else stays between the two of them.
 */
export const conversationAdminRoutes = newApp()
  /** Open (or closed) reports, newest first; page with `before` (the previous page's `next`). */
  .get("/admin/conversations/reports", requireRole("admin"), validate("query", ReportsQuery), async (c) => {
    const { status, before, limit } = c.req.valid("query");
    const rows = await getDb(c.env)
      .select({ report: conversationReports, reporter: person(reporter), reported: person(reported) })
      .from(conversationReports)
      .innerJoin(reporter, eq(reporter.id, conversationReports.reporterId))
      .innerJoin(reported, eq(reported.id, conversationReports.reportedUserId))
      .where(
        and(
          status === "open" ? eq(conversationReports.status, "open") : ne(conversationReports.status, "open"),
          before ? olderThan(conversationReports.createdAt, conversationReports.id, before) : undefined,
        ),
      )
      .orderBy(desc(conversationReports.createdAt), desc(conversationReports.id))
      .limit(limit)
      .all();
    const reports = rows.map((r) => ({ ...r.report, reporter: r.reporter, reported: r.reported }));
    return c.json({ reports, next: nextOf(reports.map((r) => ({ at: r.createdAt, id: r.id })), limit) }, 200);
  })
  .get("/admin/conversations/:id/messages", requireRole("admin"), validate("param", IdParam), validate("query", HistoryQuerySchema), async (c) => {
    const db = getDb(c.env);
    const { id } = c.req.valid("param");
    const row = await db.select().from(conversations).where(eq(conversations.id, id)).get();
    const reportedOnce = row && (await db.select({ id: conversationReports.id }).from(conversationReports).where(eq(conversationReports.conversationId, id)).limit(1).get());
    if (!row || !reportedOnce) throw notFound("A reported conversation with that id");
    const { cursor, q, limit } = c.req.valid("query");
    const page = await conversationOf(c.env, row.id).history({ conversation: factsOf(row), before: cursor ? Number(cursor) : undefined, q, limit });
    const names = await db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(inArray(users.id, [row.studentId, row.tutorId])).all();
    return c.json({ ...page, participants: names }, 200);
  })
  /** Closes a report; when no other report on the conversation is open, retention applies to it again. */
  .post("/admin/conversations/reports/:id/resolve", requireRole("admin"), validate("param", IdParam), validate("json", ResolveReportSchema), async (c) => {
    const db = getDb(c.env);
    const { resolution, note } = c.req.valid("json");
    const now = new Date();
    const [report] = await db
      .update(conversationReports)
      .set({ status: resolution, resolvedAt: now.toISOString(), resolvedBy: currentUser(c).id, resolutionNote: note || null })
      .where(and(eq(conversationReports.id, c.req.valid("param").id), eq(conversationReports.status, "open")))
      .returning();
    if (!report) {
      const exists = await db.select({ id: conversationReports.id }).from(conversationReports).where(eq(conversationReports.id, c.req.valid("param").id)).get();
      if (!exists) throw notFound("That report");
      throw new ApiError(409, "already_resolved", "This report was already closed.");
    }
    const stillOpen = await db
      .select({ id: conversationReports.id })
      .from(conversationReports)
      .where(and(eq(conversationReports.conversationId, report.conversationId), eq(conversationReports.status, "open")))
      .get();
    const row = await db.select().from(conversations).where(eq(conversations.id, report.conversationId)).get();
    if (!stillOpen && row) await conversationOf(c.env, row.id).hold({ conversation: factsOf(row), held: false, now: now.getTime() });
    return c.json({ report }, 200);
  });
