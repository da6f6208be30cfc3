import { z } from "zod";
import { isLocalEnvironment } from "../../environment";
import { type Email, base64, buildEmail } from "./message";

/**
 * Pluggable email delivery. Every message gets its headers once (message.ts); `EMAIL_PROVIDER` picks how it
 * leaves:
 *  - "outbox" (default, local development): nothing leaves the machine; the dev mailbox shows the outbox.
 *  - "http": POST JSON {from, to, subject, text, headers} to `EMAIL_HTTP_URL` with
 *    `Authorization: Bearer EMAIL_HTTP_TOKEN` (the shape Resend and similar APIs take).
 *  - "cloudflare": the Workers `send_email` binding `EMAIL`, given the raw message.
 */
export type { Email };
export { type Attachment, AttachmentsSchema } from "./message";
export type SendResult = { provider: string; id?: string };

const HttpAnswerSchema = z.object({ id: z.string().max(200).optional() }).loose();

export async function sendEmail(env: Env, email: Email, opts: { id?: string; now?: Date } = {}): Promise<SendResult> {
  const provider = env.EMAIL_PROVIDER ?? "outbox";
  const from = env.EMAIL_FROM ?? "Tutorly <no-reply@tutorly.dev>";
  const built = buildEmail(from, email, { id: opts.id ?? crypto.randomUUID(), date: opts.now ?? new Date() });
  switch (provider) {
    case "outbox":
      // Nothing leaves the machine: fine locally, a silent loss anywhere else.
      if (!isLocalEnvironment(env)) throw new Error(`EMAIL_PROVIDER is not configured (ENVIRONMENT ${JSON.stringify(env.ENVIRONMENT ?? null)} is not local)`);
      return { provider: "outbox" };
    case "http": {
      if (!env.EMAIL_HTTP_URL) throw new Error("EMAIL_HTTP_URL is not set");
      const res = await fetch(env.EMAIL_HTTP_URL, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          ...(env.EMAIL_HTTP_TOKEN ? { Authorization: `Bearer ${env.EMAIL_HTTP_TOKEN}` } : {}),
          // The outbox row's id: a send repeated after its result was lost (a drain cut short) is delivered once.
          ...(opts.id ? { "Idempotency-Key": opts.id } : {}),
        },
        body: JSON.stringify({
          from,
          to: built.to,
          subject: built.subject,
          text: built.text,
          headers: { "Message-ID": built.messageId, Date: built.date },
          // Resend's shape: base64 content with a filename and content type.
          ...(email.attachments?.length ? { attachments: email.attachments.map((a) => ({ filename: a.filename, content: base64(a.content), content_type: a.contentType })) } : {}),
        }),
      });
      if (!res.ok) throw new Error(`email provider answered ${res.status}`);
      const answer = HttpAnswerSchema.safeParse(await res.json().catch(() => ({})));
      return { provider: "http", id: answer.success ? answer.data.id : undefined };
    }
    case "cloudflare": {
      if (!env.EMAIL) throw new Error("the EMAIL send_email binding is not configured");
      const { EmailMessage } = await import("cloudflare:email");
      await env.EMAIL.send(new EmailMessage(built.from.addr, built.to, built.raw()));
      return { provider: "cloudflare", id: built.messageId };
    }
    default:
      throw new Error(`unknown EMAIL_PROVIDER ${provider}`);
  }
}
