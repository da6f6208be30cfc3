import { api, call } from "../../lib/api";

/** Reported conversations for the admin console (open, or closed ones for the record). */
export const fetchReports = async (status: "open" | "closed") => (await call(api.admin.conversations.reports.$get({ query: { status } }))).reports;
export type ConversationReport = Awaited<ReturnType<typeof fetchReports>>[number];

/** A reported conversation's messages, newest page first (older with `cursor`). */
export const fetchReportedMessages = async (conversationId: string, cursor?: string) =>
  call(api.admin.conversations[":id"].messages.$get({ param: { id: conversationId }, query: cursor ? { cursor } : {} }));

export const resolveReport = async (id: string, resolution: "dismissed" | "actioned", note?: string) =>
  (await call(api.admin.conversations.reports[":id"].resolve.$post({ param: { id }, json: { resolution, note } }))).report;
