import { and, desc, eq, isNotNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../../platform/db/client";
import { bookingParticipants, bookings, conversationReports, conversations, users } from "../../../platform/db/schema";
import type { User } from "../../../domain/schemas/auth";

export type ConversationRow = typeof conversations.$inferSelect;
export type ReportRow = typeof conversationReports.$inferSelect;
/** What the Conversation object is addressed with. */
export const factsOf = (r: ConversationRow) => ({ id: r.id, studentId: r.studentId, tutorId: r.tutorId });

const other = alias(users, "other");
const LIST_LIMIT = 100;

/** The conversation if `me` is in it; strangers get nothing (the route answers 404, so ids do not leak). */
export async function findMine(db: Db, id: string, me: User): Promise<ConversationRow | undefined> {
  return db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), or(eq(conversations.studentId, me.id), eq(conversations.tutorId, me.id))))
    .get();
}

/** The conversation of this student and tutor, started now by `startedBy` if there was none (concurrent starts meet on one). */
export async function startOrFind(db: Db, pair: { studentId: string; tutorId: string; startedBy: string; now: Date }): Promise<{ row: ConversationRow; created: boolean }> {
  const id = crypto.randomUUID();
  const inserted = await db
    .insert(conversations)
    .values({ id, studentId: pair.studentId, tutorId: pair.tutorId, startedBy: pair.startedBy, createdAt: pair.now.toISOString() })
    .onConflictDoNothing()
    .returning();
  if (inserted[0]) return { row: inserted[0], created: true };
  const row = await db.select().from(conversations).where(and(eq(conversations.studentId, pair.studentId), eq(conversations.tutorId, pair.tutorId))).get();
  if (!row) throw new Error("conversation vanished between insert and select");
  return { row, created: false };
}

/** Whether the tutor has (or had) a booking with the student. */
export async function haveBooked(db: Db, tutorId: string, studentId: string): Promise<boolean> {
  const row = await db
    .select({ id: bookings.id })
    .from(bookings)
    .innerJoin(bookingParticipants, eq(bookingParticipants.bookingId, bookings.id))
    .where(and(eq(bookings.tutorId, tutorId), eq(bookingParticipants.studentId, studentId)))
    .limit(1)
    .get();
  return row !== undefined;
}

/** A conversation as its participant `me` sees it. */
export function toView(r: ConversationRow, me: User, person: { id: string; name: string; role: string }) {
  const iAmStudent = r.studentId === me.id;
  return {
    id: r.id,
    other: { id: person.id, name: person.name, role: person.role === "tutor" ? ("tutor" as const) : ("student" as const) },
    createdAt: r.createdAt,
    lastMessage: r.lastMessageAt ? { preview: r.lastMessagePreview ?? "", at: r.lastMessageAt, fromMe: r.lastSenderId === me.id } : null,
    unread: iAmStudent ? r.studentUnread : r.tutorUnread,
    canSend: !r.studentBlocked && !r.tutorBlocked,
    blockedByMe: iAmStudent ? r.studentBlocked : r.tutorBlocked,
  };
}
export type ConversationView = ReturnType<typeof toView>;

/**
 * `me`'s conversations, latest activity first: those with messages, and empty ones `me` started (the other
 * person sees a conversation once something was said in it).
 */
export async function listMine(db: Db, me: User): Promise<ConversationView[]> {
  const mine = or(eq(conversations.studentId, me.id), eq(conversations.tutorId, me.id));
  const visible = or(isNotNull(conversations.lastMessageAt), eq(conversations.startedBy, me.id));
  const rows = await db
    .select({ c: conversations, person: { id: other.id, name: other.name, role: other.role } })
    .from(conversations)
    .innerJoin(other, eq(other.id, sql`CASE WHEN ${conversations.studentId} = ${me.id} THEN ${conversations.tutorId} ELSE ${conversations.studentId} END`))
    .where(and(mine, visible))
    .orderBy(desc(sql`coalesce(${conversations.lastMessageAt}, ${conversations.createdAt})`))
    .limit(LIST_LIMIT)
    .all();
  return rows.map((r) => toView(r.c, me, r.person));
}

export async function personOf(db: Db, id: string) {
  return db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(eq(users.id, id)).get();
}

/** The other participant's id, for `me` in the conversation. */
export const otherIn = (r: ConversationRow, me: User) => (r.studentId === me.id ? r.tutorId : r.studentId);

/**
 * Files `report` unless its reporter already has an open report on the conversation (or this id was filed
 * before): then that one, so concurrent reports meet on one (the partial unique index decides, not a prior read).
 */
export async function fileReport(db: Db, report: typeof conversationReports.$inferInsert): Promise<{ report: ReportRow; created: boolean }> {
  const inserted = await db.insert(conversationReports).values(report).onConflictDoNothing().returning();
  if (inserted[0]) return { report: inserted[0], created: true };
  const openOne = and(eq(conversationReports.conversationId, report.conversationId), eq(conversationReports.reporterId, report.reporterId), eq(conversationReports.status, "open"));
  const existing = await db
    .select()
    .from(conversationReports)
    .where(or(openOne, eq(conversationReports.id, report.id)))
    .orderBy(desc(sql`${conversationReports.status} = 'open'`))
    .limit(1)
    .get();
  if (!existing) throw new Error("report vanished between insert and select");
  return { report: existing, created: false };
}

/** Unread messages over all of `me`'s conversations (the nav's badge). */
export async function unreadTotal(db: Db, me: User): Promise<number> {
  const row = await db
    .select({ n: sql<number>`coalesce(sum(CASE WHEN ${conversations.studentId} = ${me.id} THEN ${conversations.studentUnread} ELSE ${conversations.tutorUnread} END), 0)` })
    .from(conversations)
    .where(or(eq(conversations.studentId, me.id), eq(conversations.tutorId, me.id)))
    .get();
  return Number(row?.n ?? 0);
}
