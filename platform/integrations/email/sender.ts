import { isLocalEnvironment } from "../../environment";

/**
 * Pluggable email delivery. `EMAIL_PROVIDER` picks one:
 *  - "outbox" (default, local development): nothing leaves the machine; the dev mailbox page shows the outbox.
 *  - "http": POST JSON {from, to, subject, text} to `EMAIL_HTTP_URL` with `Authorization: Bearer EMAIL_HTTP_TOKEN`
 *    (the shape Resend and similar APIs take).
 *  - "cloudflare": the Workers `send_email` binding `EMAIL` (Email Routing), from `EMAIL_FROM`.
 */
export type Email = { to: string; subject: string; text: string };
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
        body: JSON.stringify({ from, to: email.to, subject: email.subject, text: email.text }),
      });
      if (!res.ok) throw new Error(`email provider answered ${res.status}`);
      const body = (await res.json().catch(() => ({}))) as { id?: string };
      return { provider: "http", id: body.id };
    }
    case "cloudflare": {
      const binding = (env as unknown as { EMAIL?: { send(message: unknown): Promise<void> } }).EMAIL;
      if (!binding) throw new Error("the EMAIL send_email binding is not configured");
      const { EmailMessage } = await import("cloudflare:email");
      const raw = [`From: ${from}`, `To: ${email.to}`, `Subject: ${email.subject}`, "Content-Type: text/plain; charset=utf-8", "", email.text].join("\r\n");
      await binding.send(new EmailMessage(from.replace(/.*<|>.*/g, ""), email.to, raw));
      return { provider: "cloudflare" };
    }
    default:
      throw new Error(`unknown EMAIL_PROVIDER ${provider}`);
  }
}
