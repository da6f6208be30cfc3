import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { SessionSummary } from "../../domain/schemas/video";
import { renderSummaryNotice } from "../../domain/video/summary";
import { getDb } from "../../platform/db/client";
import { sessionRecords, users } from "../../platform/db/schema";
import { notify } from "../../platform/notifications/service";

export const SessionSummarySchema = z.object({ summary: z.string(), homework: z.string(), writtenAt: z.string(), updatedAt: z.string() });

/** What the room writes to D1 about its session (the `session_records` projection). */
export type RecordProjection = {
  bookingId: string;
  tutorId: string;
  notes: string;
  notesFormat: "plain" | "markdown";
  summary: SessionSummary | null;
  boardPages: number;
  boardItems: number;
  version: number;
};

/** Upserts the projection; a row with a higher version already there is left alone. */
export async function projectRecord(env: Env, r: RecordProjection): Promise<void> {
  const row = {
    bookingId: r.bookingId,
    tutorId: r.tutorId,
    notes: r.notes,
    notesFormat: r.notesFormat,
    summary: r.summary?.summary ?? null,
    homework: r.summary?.homework ?? null,
    summaryAt: r.summary?.writtenAt ?? null,
    boardPages: r.boardPages,
    boardItems: r.boardItems,
    version: r.version,
    updatedAt: new Date().toISOString(),
  };
  const { bookingId: _, ...changes } = row;
  await getDb(env)
    .insert(sessionRecords)
    .values(row)
    .onConflictDoUpdate({ target: sessionRecords.bookingId, set: changes, setWhere: sql`excluded.version > ${sessionRecords.version}` });
}

/** Tells one student (inbox and email, once per session) that the summary is there. */
export async function sendSummaryNotice(
  env: Env,
  n: { bookingId: string; userId: string; subject: string; start: string; tutorName: string; summary: SessionSummary },
): Promise<void> {
  const user = await getDb(env).select({ timezone: users.timezone, locale: users.locale }).from(users).where(eq(users.id, n.userId)).get();
  if (!user) return;
  const { title, body } = renderSummaryNotice({ subject: n.subject, start: n.start, tutorName: n.tutorName, summary: n.summary.summary, homework: n.summary.homework }, user.timezone, user.locale);
  await notify(env, { userId: n.userId, kind: "session_summary", title, body, link: "/sessions", dedupeKey: `summary:${n.bookingId}:${n.userId}` });
}
