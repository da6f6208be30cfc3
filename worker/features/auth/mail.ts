import { type AccountEmail, type Recipient, renderAccountEmail } from "../../../domain/accounts/emails";
import { isLocalEnvironment } from "../../../platform/environment";
import { queueEmail } from "../../../platform/notifications/service";

/** The site's address for mailed links: APP_URL (a deployment refuses to start without it), the request's origin only locally. */
export const appUrl = (env: Env, requestUrl: string) => (env.APP_URL ?? (isLocalEnvironment(env) ? new URL(requestUrl).origin : "")).replace(/\/$/, "");

export type MailTo = Recipient & { userId: string | null; email: string };

/**
 * Renders an account email in the recipient's zone and locale and queues it (once per dedupe key). A recipient
 * without a name (an address not yet confirmed) is greeted by none and gets no display name on the To line.
 */
export async function sendAccountEmail(env: Env, to: MailTo, email: AccountEmail, dedupeKey: string, now = new Date()) {
  const { subject, text } = renderAccountEmail(email, to);
  await queueEmail(env, { userId: to.userId, to: to.email, toName: to.name ?? undefined, subject, text, dedupeKey }, now);
}
