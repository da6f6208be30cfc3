import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { BlockSchema, HistoryQuerySchema, ReportSchema, SendMessageSchema, StartConversationSchema } from "../../../domain/schemas/conversation";
import { getDb } from "../../../platform/db/client";
import { conversationReports } from "../../../platform/db/schema";
import { newApp } from "../../app";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { conversationOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { findTutor } from "../tutors/repo";
import { factsOf, findMine, haveBooked, listMine, personOf, startOrFind, toView, unreadTotal } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const participants = requireRole("student", "tutor");
const noConversation = () => notFound("That conversation");

/** Messaging between a student and a tutor (one conversation per pair); the Conversation object holds the messages. */
export const conversationRoutes = newApp()
  .get("/conversations", participants, async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const [conversations, unread] = await Promise.all([listMine(db, me), unreadTotal(db, me)]);
    return c.json({ conversations, unread }, 200);
  })
  /** A student may write to any approved tutor; a tutor only to a student they have a booking with. */
  .post("/conversations", participants, idempotency, validate("json", StartConversationSchema), async (c) => {
    const me = currentUser(c);
    const body = c.req.valid("json");
    const db = getDb(c.env);
    let pair: { studentId: string; tutorId: string };
    if (me.role === "student") {
      if (!("tutorId" in body)) throw new ApiError(400, "invalid_request", "As a student, name the tutor: {tutorId}.", [{ path: "tutorId", message: "Required" }]);
      const tutor = await findTutor(db, body.tutorId);
      if (!tutor?.approved) throw notFound("That tutor");
      pair = { studentId: me.id, tutorId: tutor.id };
    } else {
      if (!("studentId" in body)) throw new ApiError(400, "invalid_request", "As a tutor, name the student: {studentId}.", [{ path: "studentId", message: "Required" }]);
      if (!(await haveBooked(db, me.id, body.studentId))) throw forbidden("You can write to students who booked a session with you.");
      pair = { studentId: body.studentId, tutorId: me.id };
    }
    const { row, created } = await startOrFind(db, { ...pair, startedBy: me.id, now: new Date() });
    const person = await personOf(db, me.role === "student" ? row.tutorId : row.studentId);
    if (!person) throw noConversation();
    return c.json({ conversation: toView(row, me, person) }, created ? 201 : 200);
  })
  .get("/conversations/:id/messages", participants, validate("param", IdParam), validate("query", HistoryQuerySchema), async (c) => {
    const row = await findMine(getDb(c.env), c.req.valid("param").id, currentUser(c));
    if (!row) throw noConversation();
    const { cursor, q, limit } = c.req.valid("query");
    const page = await conversationOf(c.env, row.id).history({ conversation: factsOf(row), before: cursor ? Number(cursor) : undefined, q, limit });
    return c.json(page, 200);
  })
  .post("/conversations/:id/messages", participants, idempotency, validate("param", IdParam), validate("json", SendMessageSchema), async (c) => {
    const me = currentUser(c);
    const row = await findMine(getDb(c.env), c.req.valid("param").id, me);
    if (!row) throw noConversation();
    const outcome = await conversationOf(c.env, row.id).send({
      conversation: factsOf(row),
      senderId: me.id,
      messageId: await idFor(me.id, c.req.header("Idempotency-Key"), `message:${row.id}`),
      text: c.req.valid("json").text,
      now: Date.now(),
    });
    if (!outcome.ok) throw new ApiError(409, outcome.code, outcome.message);
    return c.json({ message: outcome.value.message }, 201);
  })
  .post("/conversations/:id/read", participants, validate("param", IdParam), async (c) => {
    const me = currentUser(c);
    const row = await findMine(getDb(c.env), c.req.valid("param").id, me);
    if (!row) throw noConversation();
    const state = await conversationOf(c.env, row.id).markRead({ conversation: factsOf(row), userId: me.id, now: Date.now() });
    return c.json({ conversation: { id: row.id, ...state } }, 200);
  })
  .post("/conversations/:id/block", participants, idempotency, validate("param", IdParam), validate("json", BlockSchema), async (c) => {
    const me = currentUser(c);
    const row = await findMine(getDb(c.env), c.req.valid("param").id, me);
    if (!row) throw noConversation();
    const state = await conversationOf(c.env, row.id).setBlocked({ conversation: factsOf(row), userId: me.id, blocked: c.req.valid("json").blocked, now: Date.now() });
    return c.json({ conversation: { id: row.id, ...state } }, 200);
  })
  /** Reports the other participant to the admins; the conversation is kept (no retention) while the report is open. */
  .post("/conversations/:id/report", participants, idempotency, validate("param", IdParam), validate("json", ReportSchema), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const row = await findMine(db, c.req.valid("param").id, me);
    if (!row) throw noConversation();
    const { reason, details, block } = c.req.valid("json");
    const open = await db
      .select()
      .from(conversationReports)
      .where(and(eq(conversationReports.conversationId, row.id), eq(conversationReports.reporterId, me.id), eq(conversationReports.status, "open")))
      .get();
    const now = Date.now();
    const conversation = conversationOf(c.env, row.id);
    // Hold first: a report is never on record for messages retention might still delete.
    await conversation.hold({ conversation: factsOf(row), held: true, now });
    const report =
      open ??
      (
        await db
          .insert(conversationReports)
          .values({
            id: await idFor(me.id, c.req.header("Idempotency-Key"), `report:${row.id}`),
            conversationId: row.id,
            reporterId: me.id,
            reportedUserId: me.id === row.studentId ? row.tutorId : row.studentId,
            reason,
            details: details || null,
            createdAt: new Date(now).toISOString(),
          })
          .onConflictDoUpdate({ target: conversationReports.id, set: { id: conversationReports.id } })
          .returning()
      )[0]!;
    if (block) await conversation.setBlocked({ conversation: factsOf(row), userId: me.id, blocked: true, now });
    return c.json({ report: { id: report.id, status: report.status, reason: report.reason, createdAt: report.createdAt } }, open ? 200 : 201);
  });
