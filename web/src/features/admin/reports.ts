import { api, call } from "../../lib/api";

/** A page of reported conversations for the admin console (open, or closed ones for the record), newest first; `next` is the following page's `before`. */
export const fetchReports = async (f: { status: "open" | "closed"; before?: string }) => call(api.admin.conversations.reports.$get({ query: { status: f.status, before: f.before } }));
export type ConversationReport = Awaited<ReturnType<typeof fetchReports>>["reports"][number];

/** A reported conversation's messages, newest page first (older with `cursor`). */
export const fetchReportedMessages = async (conversationId: string, cursor?: string) =>
  call(api.admin.conversations[":id"].messages.$get({ param: { id: conversationId }, query: cursor ? { cursor } : {} }));

export const resolveReport = async (id: string, resolution: "dismissed" | "actioned", note?: string) =>
  (await call(api.admin.conversations.reports[":id"].resolve.$post({ param: { id }, json: { resolution, note } }))).report;
