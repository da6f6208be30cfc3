import { isLocalEnvironment } from "../../environment";

/**
 * Pluggable email delivery. `EMAIL_PROVIDER` picks one:
 *  - "outbox" (default, local development): nothing leaves the machine; the dev mailbox page shows the outbox.
 *  - "http": POST JSON {from, to, subject, text} to `EMAIL_HTTP_URL` with `Authorization: Bearer EMAIL_HTTP_TOKEN`
 *    (the shape Resend and similar APIs take).
 *  - "cloudflare": the Workers `send_email` binding `EMAIL` (Email Routing), from `EMAIL_FROM`.
 */
import { z } from "zod";

/** A file sent with an email (UTF-8 text content, e.g. a text/calendar invitation). */
export const AttachmentSchema = z.object({ filename: z.string().min(1).max(100), contentType: z.string().min(1).max(200), content: z.string().max(200_000) });
export type Attachment = z.infer<typeof AttachmentSchema>;
/** Attachments as stored with an outbox row (JSON). */
export const AttachmentsSchema = z.array(AttachmentSchema).max(5);

export type Email = { to: string; subject: string; text: string; attachments?: Attachment[] };
export type SendResult = { provider: string; id?: string };

export async function sendEmail(env: Env, email: Email): Promise<SendResult> {
  const provider = env.EMAIL_PROVIDER ?? "outbox";
  const from = env.EMAIL_FROM ?? "Tutorly <no-reply@tutorly.dev>";
  switch (provider) {
    case "outbox":
      // Nothing leaves the machine: fine locally, a silent loss anywhere else.
      if (!isLocalEnvironment(env)) throw new Error(`EMAIL_PROVIDER is not configured (ENVIRONMENT ${JSON.stringify(env.ENVIRONMENT ?? null)} is not local)`);
      return { provider: "outbox" };
    case "http": {
      if (!env.EMAIL_HTTP_URL) throw new Error("EMAIL_HTTP_URL is not set");
      const res = await fetch(env.EMAIL_HTTP_URL, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...(env.EMAIL_HTTP_TOKEN ? { Authorization: `Bearer ${env.EMAIL_HTTP_TOKEN}` } : {}) },
        body: JSON.stringify({
          from,
          to: email.to,
          subject: email.subject,
          text: email.text,
          // Resend's shape: base64 content with a filename and content type.
          ...(email.attachments?.length ? { attachments: email.attachments.map((a) => ({ filename: a.filename, content: base64(a.content), content_type: a.contentType })) } : {}),
        }),
      });
      if (!res.ok) throw new Error(`email provider answered ${res.status}`);
      const body = (await res.json().catch(() => ({}))) as { id?: string };
      return { provider: "http", id: body.id };
    }
    case "cloudflare": {
      const binding = (env as unknown as { EMAIL?: { send(message: unknown): Promise<void> } }).EMAIL;
      if (!binding) throw new Error("the EMAIL send_email binding is not configured");
      const { EmailMessage } = await import("cloudflare:email");
      const raw = mime(from, email);
      await binding.send(new EmailMessage(from.replace(/.*<|>.*/g, ""), email.to, raw));
      return { provider: "cloudflare" };
    }
    default:
      throw new Error(`unknown EMAIL_PROVIDER ${provider}`);
  }
}

const base64 = (text: string) => {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
};

/** A raw RFC 5322 message: plain text, or multipart/mixed with the attachments (base64, lines of 76). */
function mime(from: string, email: Email): string {
  const head = [`From: ${from}`, `To: ${email.to}`, `Subject: ${email.subject}`, "MIME-Version: 1.0"];
  if (!email.attachments?.length) return [...head, "Content-Type: text/plain; charset=utf-8", "", email.text].join("\r\n");
  const boundary = `tutorly-${crypto.randomUUID()}`;
  const parts = [
    [`--${boundary}`, "Content-Type: text/plain; charset=utf-8", "", email.text],
    ...email.attachments.map((a) => [
      `--${boundary}`,
      `Content-Type: ${a.contentType}`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: attachment; filename="${a.filename.replace(/["\\\r\n]/g, "")}"`,
      "",
      base64(a.content).replace(/.{76}/g, "$&\r\n"),
    ]),
  ].map((p) => p.join("\r\n"));
  return [...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, "", ...parts, `--${boundary}--`, ""].join("\r\n");
}
