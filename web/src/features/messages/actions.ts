import type { ReportInput } from "../../../../domain/schemas/conversation";
import { api, call } from "../../lib/api";
import { conversations } from "./conversations";

/** Blocks or unblocks a conversation for both sides; the list follows the answer. */
export async function setBlocked(id: string, blocked: boolean, key: string) {
  const { conversation } = await call(api.conversations[":id"].block.$post({ param: { id }, json: { blocked } }, { headers: { "Idempotency-Key": key } }));
  conversations.patch(id, { canSend: conversation.canSend, blockedByMe: conversation.blockedByMe, unread: conversation.unread });
}

/** Reports the other participant to Tutorly's team (and blocks them, if asked). */
export async function report(id: string, input: ReportInput, key: string) {
  const answer = await call(api.conversations[":id"].report.$post({ param: { id }, json: input }, { headers: { "Idempotency-Key": key } }));
  if (input.block) conversations.refetch();
  return answer.report;
}
