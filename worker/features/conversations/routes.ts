import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { hasVisibleText, normalizeMessageText } from "../../../domain/messaging/text";
import { BlockSchema, HistoryQuerySchema, ReportSchema, SendMessageSchema, StartConversationSchema } from "../../../domain/schemas/conversation";
import { getDb } from "../../../platform/db/client";
import { type AppEnv, newApp } from "../../app";
import { ApiError, forbidden, notFound } from "../../lib/errors";
import { idFor } from "../../lib/ids";
import { conversationOf } from "../../lib/stubs";
import { validate } from "../../lib/validate";
import { currentUser, requireRole } from "../../middleware/auth";
import { idempotency } from "../../middleware/idempotency";
import { findTutor } from "../tutors/repo";
import { isActiveAccount } from "../auth/repo";
import { factsOf, fileReport, findMine, haveBooked, listMine, otherIn, personOf, startOrFind, toView, unreadTotal } from "./repo";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const participants = requireRole("student", "tutor");
const noConversation = () => notFound("That conversation");
/** The counterpart was suspended or deleted: as when they blocked the conversation (a deleted account's is closed). */
const unreachable = () => new ApiError(409, "conversation_blocked", "You can't send messages in this conversation any more.");
/**
 * The sender was suspended or deleted: their signed credential is trusted for up to a minute after, but a person
 * suspended for what they wrote must not write on in it (as a closed wallet books nothing in that minute).
 */
const senderClosed = () => new ApiError(403, "account_closed", "This account is suspended or deleted, so it cannot send messages.");

/**
 * Writing to people needs a confirmed email address, as booking does. It runs before `idempotency`, so the
 * refusal is not kept as the key's answer: the same request goes through once the address is confirmed.
 */
const confirmedEmail = (before: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const me = currentUser(c);
    if (!me.emailVerified) throw new ApiError(403, "email_unverified", `Confirm your email address before ${before}: open the link we sent to ${me.email} (you can ask for a new one in Account settings).`);
    await next();
  });

/** A report's free-text details as stored: normalized like a message, or null when nothing visible is left. */
function detailsOf(raw: string | undefined): string | null {
  const text = normalizeMessageText(raw ?? "");
  return hasVisibleText(text) ? text : null;
}

/** Messaging between a student and a tutor (one conversation per pair); the Conversation object holds the messages. */
export const conversationRoutes = newApp()
  .get("/conversations", participants, async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const [conversations, unread] = await Promise.all([listMine(db, me), unreadTotal(db, me)]);
    return c.json({ conversations, unread }, 200);
  })
  /** A student may write to any listed tutor; a tutor only to a student they have a booking with. Suspended and deleted accounts are out of reach. */
  .post("/conversations", participants, confirmedEmail("writing to anyone"), idempotency, validate("json", StartConversationSchema), async (c) => {
    const me = currentUser(c);
    const body = c.req.valid("json");
    const db = getDb(c.env);
    let pair: { studentId: string; tutorId: string };
    if (me.role === "student") {
      if (!("tutorId" in body)) throw new ApiError(400, "invalid_request", "As a student, name the tutor: {tutorId}.", [{ path: "tutorId", message: "Required" }]);
      const tutor = await findTutor(db, body.tutorId);
      if (!tutor?.listed) throw notFound("That tutor");
      pair = { studentId: me.id, tutorId: tutor.id };
    } else {
      if (!("studentId" in body)) throw new ApiError(400, "invalid_request", "As a tutor, name the student: {studentId}.", [{ path: "studentId", message: "Required" }]);
      if (!(await haveBooked(db, me.id, body.studentId))) throw forbidden("You can write to students who booked a session with you.");
      if (!(await isActiveAccount(db, body.studentId))) throw notFound("That student");
      pair = { studentId: body.studentId, tutorId: me.id };
    }
    const { row, created } = await startOrFind(db, { ...pair, startedBy: me.id, now: new Date() });
    const person = await personOf(db, otherIn(row, me));
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
  .post("/conversations/:id/messages", participants, confirmedEmail("sending messages"), idempotency, validate("param", IdParam), validate("json", SendMessageSchema), async (c) => {
    const me = currentUser(c);
    const db = getDb(c.env);
    const row = await findMine(db, c.req.valid("param").id, me);
    if (!row) throw noConversation();
    const [senderActive, otherActive] = await Promise.all([isActiveAccount(db, me.id), isActiveAccount(db, otherIn(row, me))]);
    if (!senderActive) throw senderClosed();
    if (!otherActive) throw unreachable();
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
    const now = Date.now();
    const conversation = conversationOf(c.env, row.id);
    // Hold first: a report is never on record for messages retention might still delete.
    await conversation.hold({ conversation: factsOf(row), held: true, now });
    const { report, created } = await fileReport(db, {
      id: await idFor(me.id, c.req.header("Idempotency-Key"), `report:${row.id}`),
      conversationId: row.id,
      reporterId: me.id,
      reportedUserId: otherIn(row, me),
      reason,
      // Kept as messages are (an admin reads it): no control characters or bidi overrides; nothing visible is none.
      details: detailsOf(details),
      createdAt: new Date(now).toISOString(),
    });
    if (block) await conversation.setBlocked({ conversation: factsOf(row), userId: me.id, blocked: true, now });
    return c.json({ report: { id: report.id, status: report.status, reason: report.reason, createdAt: report.createdAt } }, created ? 201 : 200);
  });
