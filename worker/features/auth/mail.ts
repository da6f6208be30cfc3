import { type AccountEmail, type Recipient, renderAccountEmail } from "../../../domain/accounts/emails";
import { queueEmail } from "../../../platform/notifications/service";

/** Where links in emails point: the configured public URL, else the origin the request came to. */
export const appUrl = (env: Env, requestUrl: string) => (env.APP_URL ?? new URL(requestUrl).origin).replace(/\/$/, "");

export type MailTo = Recipient & { userId: string | null; email: string };

/** Renders an account email in the recipient's zone and locale and queues it (once per dedupe key). */
export async function sendAccountEmail(env: Env, to: MailTo, email: AccountEmail, dedupeKey: string, now = new Date()) {
  const { subject, text } = renderAccountEmail(email, to);
  await queueEmail(env, { userId: to.userId, to: to.email, toName: to.name, subject, text, dedupeKey }, now);
}
